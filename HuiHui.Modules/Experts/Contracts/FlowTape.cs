using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>How the flow tape is ordered.</summary>
public enum TapeOrder
{
    /// <summary>Largest premium first.</summary>
    Premium,

    /// <summary>Most contracts first.</summary>
    Size,

    /// <summary>Latest first.</summary>
    Newest,
}

/// <summary>
/// The trades the latest flow of <paramref name="Symbol"/> is built from (the provider's prints, or those derived from
/// volume changes between snapshots), from the cached snapshot, with blocks and sweeps marked as the flow metrics count them.
/// </summary>
/// <param name="Side">Only buys (at the ask) or sells (at the bid); null for every side, unknown included.</param>
/// <param name="Right">Only calls or puts.</param>
/// <param name="MinPremium">Only trades of at least this premium, in currency.</param>
/// <param name="Limit">At most this many trades (the total is still counted).</param>
public sealed record GetFlowTape(string Symbol, TapeOrder Order = TapeOrder.Premium, AggressorSide? Side = null, OptionRight? Right = null, double MinPremium = 0, int Limit = 500)
    : IQuery<FlowTapeView?>;

/// <param name="AsOf">The snapshot's time.</param>
/// <param name="DerivedFrom">Where the trades come from: <c>prints</c>, or <c>volumeDelta</c> when derived.</param>
/// <param name="Total">Trades matching the filters (before the limit).</param>
/// <param name="Trades">The trades, in the order asked for.</param>
public sealed record FlowTapeView(string Symbol, DateTimeOffset AsOf, string DerivedFrom, int Total, IReadOnlyList<TapeTrade> Trades);

/// <param name="Premium">Price × size × 100.</param>
/// <param name="Block">At least the block size (<c>HuiHui:Experts:Metrics:BlockSize</c>, 500 contracts).</param>
/// <param name="Sweep">Part of a burst the flow counts as a sweep (same contract and side, within the sweep window).</param>
public sealed record TapeTrade(string OccSymbol, DateOnly Expiry, double Strike, OptionRight Right, AggressorSide Side, long Size, double Price, double Premium, DateTimeOffset Time, bool Block, bool Sweep);
