using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Experts.Contracts;

public enum LegSide
{
    Buy,
    Sell,
}

/// <summary>
/// A complete trade idea (the original's ATIF parameters), built from the chain actually quoted. Prices of the underlying
/// are in its currency; option prices per share; <see cref="MaxLoss"/> and <see cref="MaxGain"/> per unit of the package
/// (one contract per leg and quantity, 100 shares per contract). docs/metrics.md, "Trade ideas", has the rules.
/// </summary>
/// <param name="Strategy">The structure, e.g. <c>call debit spread</c>.</param>
/// <param name="Legs">The contracts, longest-dated and lowest strike first.</param>
/// <param name="Entry">Where to get in: the underlying's zone and the package's cost.</param>
/// <param name="StopBelow">The underlying price under which the idea is wrong (bullish and neutral ideas).</param>
/// <param name="StopAbove">The underlying price over which the idea is wrong (bearish and neutral ideas).</param>
/// <param name="Targets">Underlying prices to take profit at, nearest first (none for ideas held for time decay).</param>
/// <param name="Conviction">The meta's conviction, 0–1.</param>
/// <param name="MaxLoss">The most the package can lose per unit at the mid, in currency (null: not bounded in closed form).</param>
/// <param name="MaxGain">The most it can make per unit at the mid (null: unbounded or path-dependent).</param>
/// <param name="ExpiresAt">When the idea lapses: the close of its nearest leg's expiry.</param>
/// <param name="Atr">ATR(14) of the underlying used for the stop and targets.</param>
/// <param name="AtrSource"><c>daily bars</c>, or <c>implied move</c> when fewer than 15 daily bars are stored.</param>
/// <param name="Horizon">The target days to expiry and absolute delta the legs were chosen for.</param>
public sealed record TradeIdea(
    string Strategy,
    IReadOnlyList<IdeaLeg> Legs,
    IdeaEntry Entry,
    double? StopBelow,
    double? StopAbove,
    IReadOnlyList<double> Targets,
    double Conviction,
    double? MaxLoss,
    double? MaxGain,
    DateTimeOffset ExpiresAt,
    double Atr,
    string AtrSource,
    IdeaHorizon Horizon);

/// <param name="OccSymbol">The contract.</param>
/// <param name="Right">Call or put.</param>
/// <param name="Strike">Strike price.</param>
/// <param name="Expiry">Expiry date.</param>
/// <param name="Quantity">Contracts per unit of the package.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Bid">The quote's bid.</param>
/// <param name="Ask">The quote's ask.</param>
/// <param name="Delta">The delta used to choose it (the provider's, else Black-Scholes from the implied volatility).</param>
public sealed record IdeaLeg(string OccSymbol, OptionRight Right, double Strike, DateOnly Expiry, int Quantity, LegSide Side, double Bid, double Ask, double Delta);

/// <param name="Spot">The underlying when the idea was made.</param>
/// <param name="ZoneLow">Enter while the underlying is at or above this…</param>
/// <param name="ZoneHigh">…and at or below this (spot ± 0.25 ATR).</param>
/// <param name="Mid">The package at the legs' mids, per share: positive is paid (debit), negative received (credit).</param>
/// <param name="Natural">The package at the natural side (buy at the ask, sell at the bid), per share: the conservative cost.</param>
public sealed record IdeaEntry(double Spot, double ZoneLow, double ZoneHigh, double Mid, double Natural);

/// <param name="MinDays">Fewest days to expiry wanted.</param>
/// <param name="MaxDays">Most days to expiry wanted.</param>
/// <param name="Delta">Absolute delta of the main leg wanted.</param>
public sealed record IdeaHorizon(int MinDays, int MaxDays, double Delta);
