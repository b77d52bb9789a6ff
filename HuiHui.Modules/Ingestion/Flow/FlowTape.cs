using System.Collections.Concurrent;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers;

namespace HuiHui.Modules.Ingestion.Flow;

/// <summary>
/// Flow without a tape: one symbol's consecutive snapshots turned into aggressor-signed trades. Per contract, the volume
/// traded since the previous snapshot (Δvolume of the session's cumulative volume) is signed by where the contract's last
/// trade price sits against this snapshot's quote — at or above the ask a buy, at or below the bid a sell, inside the spread
/// the provider's tick (up: buy, down: sell) — and otherwise counted as unclassified, never guessed. Each derived trade is
/// stamped at the snapshot that saw it; the tape keeps the trades of the last <see cref="Window"/> so the flow metrics run
/// over real time windows exactly as on prints (docs/metrics.md says what the approximation loses).
/// A snapshot that brings prints of its own keeps them (<see cref="FlowOrigins.Prints"/>); its volumes still become the
/// baseline, so flow carries on derived when the prints stop.
/// </summary>
internal sealed class FlowTape(TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(30);

    private readonly Lock gate = new();
    private readonly Queue<TradePrint> trades = new();
    private readonly Queue<(DateTimeOffset Time, long Volume)> unclassified = new();
    private Dictionary<string, long>? previousVolumes;
    private DateTimeOffset previousAsOf;
    private DateOnly previousSession;

    public TimeSpan Window => window;

    /// <summary>
    /// <paramref name="snapshot"/> with its prints and <see cref="ChainSnapshot.Flow"/> set, or why it was refused: a snapshot
    /// with the time of the previous one (<c>duplicate-snapshot</c>) or older (<c>out-of-order-snapshot</c>) changes nothing.
    /// Contracts whose volume went down within a session are counted under <c>volume-decreased</c> and add no trade.
    /// </summary>
    public TapeOutcome Apply(ChainSnapshot snapshot)
    {
        lock (gate)
        {
            if (previousVolumes is not null && snapshot.AsOf <= previousAsOf)
            {
                var reason = snapshot.AsOf == previousAsOf ? "duplicate-snapshot" : "out-of-order-snapshot";
                return new TapeOutcome(null, reason, $"{snapshot.Symbol} at {snapshot.AsOf:O} is {(snapshot.AsOf == previousAsOf ? "the same as" : "older than")} the last snapshot ({previousAsOf:O}); the last good one keeps serving");
            }

            var session = DateOnly.FromDateTime(ProviderJson.ToEastern(snapshot.AsOf));
            var hasPrints = snapshot.Prints.Count > 0;
            var first = previousVolumes is null;
            var sameSession = !first && session == previousSession;
            var volumes = new Dictionary<string, long>(snapshot.Contracts.Count, StringComparer.Ordinal);
            long unknown = 0;
            var decreases = 0;
            foreach (var contract in snapshot.Contracts)
            {
                volumes[contract.OccSymbol] = contract.Volume;
                if (first || hasPrints || !previousVolumes!.TryGetValue(contract.OccSymbol, out var before))
                {
                    continue; // no baseline for this contract: its volume so far is not a trade we saw
                }

                var traded = sameSession ? contract.Volume - before : contract.Volume; // a new session starts from zero: no sale
                if (traded < 0)
                {
                    decreases++;
                    continue;
                }

                if (traded == 0)
                {
                    continue;
                }

                var side = Classify(contract);
                if (side == AggressorSide.Unknown)
                {
                    unknown += traded;
                    continue;
                }

                trades.Enqueue(new TradePrint(contract.OccSymbol, contract.Last!.Value, traded, side, snapshot.AsOf));
            }

            if (unknown > 0)
            {
                unclassified.Enqueue((snapshot.AsOf, unknown));
            }

            previousVolumes = volumes;
            previousAsOf = snapshot.AsOf;
            previousSession = session;
            var from = snapshot.AsOf - window;
            while (trades.TryPeek(out var oldest) && oldest.Time <= from)
            {
                trades.Dequeue();
            }

            while (unclassified.TryPeek(out var oldest) && oldest.Time <= from)
            {
                unclassified.Dequeue();
            }

            var dropped = decreases == 0 ? snapshot.Dropped : [.. snapshot.Dropped, new DropCount("volume-decreased", decreases)];
            if (hasPrints)
            {
                long unsigned = 0;
                foreach (var print in snapshot.Prints)
                {
                    unsigned += print.Side == AggressorSide.Unknown ? print.Size : 0;
                }

                return new TapeOutcome(snapshot with { Dropped = dropped, Flow = new SnapshotFlow(FlowOrigins.Prints, unsigned) }, null, null);
            }

            long unclassifiedVolume = 0;
            foreach (var (_, volume) in unclassified)
            {
                unclassifiedVolume += volume;
            }

            var note = first ? $"first snapshot of {snapshot.Symbol}: flow starts with the next one (volume changes between snapshots)" : null;
            return new TapeOutcome(
                snapshot with { Prints = [.. trades], Dropped = dropped, Flow = new SnapshotFlow(FlowOrigins.VolumeDelta, unclassifiedVolume, note) },
                null,
                decreases > 0 ? $"{snapshot.Symbol}: volume went down in {decreases} contract(s) within the session; no trade derived for them" : null);
        }
    }

    /// <summary>The aggressor of the volume a contract traded since the last snapshot, from its last price against the quote.</summary>
    public static AggressorSide Classify(OptionContract contract)
    {
        if (contract.Last is not { } last || !(last > 0))
        {
            return AggressorSide.Unknown;
        }

        if (contract.Ask is { } ask && ask > 0 && last >= ask)
        {
            return AggressorSide.Buy;
        }

        if (contract.Bid is { } bid && bid > 0 && last <= bid)
        {
            return AggressorSide.Sell;
        }

        var quoted = contract.Bid is > 0 && contract.Ask is > 0;
        return !quoted ? AggressorSide.Unknown : contract.Tick switch
        {
            PriceTick.Up => AggressorSide.Buy,
            PriceTick.Down => AggressorSide.Sell,
            _ => AggressorSide.Unknown,
        };
    }
}

/// <summary>The snapshot with its flow, or the reason it was refused; <paramref name="Warning"/> is worth a log line.</summary>
internal sealed record TapeOutcome(ChainSnapshot? Snapshot, string? Rejected, string? Warning);

/// <summary>One <see cref="FlowTape"/> per symbol for the live ingestion (a replay keeps its own).</summary>
internal sealed class FlowTapes
{
    private readonly ConcurrentDictionary<string, FlowTape> tapes = new(StringComparer.OrdinalIgnoreCase);

    public FlowTape For(string symbol) => tapes.GetOrAdd(symbol, _ => new FlowTape(FlowTape.DefaultWindow));
}
