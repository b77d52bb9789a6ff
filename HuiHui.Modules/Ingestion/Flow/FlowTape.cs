using System.Collections.Concurrent;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Modules.Ingestion.Flow;

/// <summary>
/// Flow without a tape: one symbol's consecutive snapshots turned into aggressor-signed trades. Per contract, the volume
/// traded since the previous snapshot (Δvolume of the session's cumulative volume) is signed by where the contract's last
/// trade price sits against this snapshot's quote — at or above the ask a buy, at or below the bid a sell, inside the spread
/// the provider's tick (up: buy, down: sell) — and otherwise counted as unclassified, never guessed. Each derived trade is
/// stamped at the snapshot that saw it and weighted with its contract's delta, mid and spread in that snapshot; the tape keeps
/// one summed <see cref="FlowInterval"/> per snapshot for the last <see cref="Window"/>, so the flow metrics run over real
/// time windows at a cost that does not grow with the chain (docs/metrics.md says what the approximation loses).
/// A snapshot that brings prints of its own keeps them (<see cref="FlowOrigins.Prints"/>); its volumes still become the
/// baseline, so flow carries on derived when the prints stop.
/// </summary>
internal sealed class FlowTape(TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(30);

    private readonly Lock gate = new();
    private readonly Queue<FlowInterval> intervals = new();
    private Dictionary<string, long>? previousVolumes;
    private Dictionary<string, long>? spareVolumes; // the one before: reused, a 5,000-contract map is ~300 KB
    private DateTimeOffset previousAsOf;
    private DateOnly previousSession;

    public TimeSpan Window => window;

    /// <summary>
    /// <paramref name="snapshot"/> with its flow set, or why it was refused: a snapshot with the time of the previous one
    /// (<c>duplicate-snapshot</c>) or older (<c>out-of-order-snapshot</c>) changes nothing. Contracts whose volume went down
    /// within a session are counted under <c>volume-decreased</c> and add no trade.
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
            var mixed = hasPrints && snapshot.Flow?.PartialPrints == true; // prints for some contracts, derive the others
            var printed = mixed ? snapshot.Prints.Select(p => p.Symbol).ToHashSet(StringComparer.Ordinal) : null;
            var first = previousVolumes is null;
            var sameSession = !first && session == previousSession;
            var volumes = spareVolumes ?? new Dictionary<string, long>(snapshot.Contracts.Count, StringComparer.Ordinal);
            volumes.Clear();
            var interval = new IntervalSums();
            var trades = new List<TradePrint>();
            var decreases = 0;
            foreach (var contract in snapshot.Contracts)
            {
                volumes[contract.OccSymbol] = contract.Volume;
                if (first || (hasPrints && !mixed) || printed?.Contains(contract.OccSymbol) == true || !previousVolumes!.TryGetValue(contract.OccSymbol, out var before))
                {
                    continue; // prints tell this contract's flow, or there is no baseline: its volume so far is not a trade we saw
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
                    interval.Unclassified += traded;
                    continue;
                }

                var trade = new TradePrint(contract.OccSymbol, contract.Last!.Value, traded, side, snapshot.AsOf);
                trades.Add(trade);
                interval.Add(trade, contract, snapshot.Spot);
            }

            spareVolumes = previousVolumes;
            previousVolumes = volumes;
            previousAsOf = snapshot.AsOf;
            previousSession = session;
            if ((!hasPrints || mixed) && !first)
            {
                intervals.Enqueue(interval.ToInterval(snapshot.AsOf));
            }

            while (intervals.TryPeek(out var oldest) && oldest.At <= snapshot.AsOf - window)
            {
                intervals.Dequeue();
            }

            var dropped = decreases == 0 ? snapshot.Dropped : [.. snapshot.Dropped, new DropCount("volume-decreased", decreases)];
            if (mixed)
            {
                long unsignedPrints = 0, unclassifiedDerived = 0;
                foreach (var print in snapshot.Prints)
                {
                    unsignedPrints += print.Side == AggressorSide.Unknown ? print.Size : 0;
                }

                foreach (var each in intervals)
                {
                    unclassifiedDerived += each.Unclassified;
                }

                var coverage = $"prints for {printed!.Count} streamed contract(s), volume changes between snapshots for the others";
                return new TapeOutcome(snapshot with
                {
                    Dropped = dropped,
                    Flow = new SnapshotFlow(FlowOrigins.Prints, unsignedPrints + unclassifiedDerived, coverage, [.. intervals], PartialPrints: true),
                }, null, null);
            }

            if (hasPrints)
            {
                long unsigned = 0;
                foreach (var print in snapshot.Prints)
                {
                    unsigned += print.Side == AggressorSide.Unknown ? print.Size : 0;
                }

                intervals.Clear(); // the derived tape restarts from this baseline if the prints stop
                return new TapeOutcome(snapshot with { Dropped = dropped, Flow = new SnapshotFlow(FlowOrigins.Prints, unsigned) }, null, null);
            }

            long unclassified = 0;
            foreach (var each in intervals)
            {
                unclassified += each.Unclassified;
            }

            var note = first ? $"first snapshot of {snapshot.Symbol}: flow starts with the next one (volume changes between snapshots)" : null;
            return new TapeOutcome(
                snapshot with { Prints = trades, Dropped = dropped, Flow = new SnapshotFlow(FlowOrigins.VolumeDelta, unclassified, note, [.. intervals]) },
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

    /// <summary>
    /// The contract's delta at the snapshot: the provider's when it gave a sane one, else Black-Scholes from its implied
    /// volatility (no rate or dividend: a trade's weight, not a price), else 0 (the trade then adds no delta-weighted flow).
    /// </summary>
    internal static double DeltaOf(OptionContract contract, double spot, DateTimeOffset asOf)
    {
        if (contract.Greeks?.Delta is { } delta && Math.Abs(delta) <= 1)
        {
            return delta;
        }

        var years = ExpiryClock.YearsTo(asOf, contract.Expiry);
        return contract.ImpliedVol is { } iv && iv > 0 && years > 0 && spot > 0
            ? BlackScholes.Delta(contract.Right, spot, contract.Strike, years, 0, 0, iv)
            : 0;
    }

    private sealed class IntervalSums
    {
        private readonly List<TradePrint> large = [];
        private double callPremium, putPremium, netVolume, deltaFlow, directionalVolume, volume, deltaWeighted, liquidityWeighted, liquidity;

        public long Unclassified { get; set; }

        public void Add(TradePrint trade, OptionContract contract, double spot)
        {
            var side = trade.Side == AggressorSide.Buy ? 1 : -1;
            var isCall = contract.Right == OptionRight.Call;
            var direction = isCall ? side : -side;
            var premium = trade.Price * trade.Size * FlowMath.Multiplier;
            var delta = DeltaOf(contract, spot, trade.Time);
            var mid = contract.Mid ?? trade.Price;
            var spread = contract.Bid is { } bid && contract.Ask is { } ask ? ask - bid : 0;
            var weight = FlowMath.Liquidity(mid, spread);
            if (isCall)
            {
                callPremium += side * premium;
            }
            else
            {
                putPremium += side * premium;
            }

            netVolume += side * trade.Size;
            deltaFlow += side * delta * trade.Size * FlowMath.Multiplier;
            directionalVolume += direction * trade.Size;
            volume += trade.Size;
            deltaWeighted += direction * trade.Size * Math.Abs(delta);
            liquidityWeighted += direction * trade.Size * weight;
            liquidity += trade.Size * weight;
            if (trade.Size >= FlowMath.LargeTradeFloor)
            {
                large.Add(trade);
            }
        }

        public FlowInterval ToInterval(DateTimeOffset at)
        {
            large.Sort((a, b) => b.Size.CompareTo(a.Size));
            return new FlowInterval(at, callPremium, putPremium, netVolume, deltaFlow, directionalVolume, volume, deltaWeighted, liquidityWeighted, liquidity, Unclassified, large);
        }
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
