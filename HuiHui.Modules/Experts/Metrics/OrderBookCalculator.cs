using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// LWPAI, VABAI, LIDB, SVR, TPDLF and the notional imbalance AOFM differences, from the quoted sizes of the slice
/// (<see cref="OrderBookMetrics"/>; formulas: docs/metrics.md, "Order book"). Side is +1 for calls and −1 for puts, so
/// every directional figure reads + when the books lean bullish for the underlying (calls bid, puts offered).
/// </summary>
internal static class OrderBookCalculator
{
    /// <summary>Contracts with a smaller |delta| say little about the underlying and are left out.</summary>
    public const double MinAbsDelta = 0.05;

    /// <summary>Quotes wider than this fraction of the mid are left out.</summary>
    public const double MaxSpreadFraction = 0.5;

    /// <summary>TPDLF's liquidity filter: quotes within this fraction of the mid.</summary>
    public const double TightSpreadFraction = 0.1;

    public static OrderBookMetrics Compute(ChainArrays chain, ChainSnapshot snapshot)
    {
        int n = 0, svrCount = 0;
        double weights = 0, vabai = 0, lidb = 0, svr = 0, moveWeights = 0, move = 0, tradeDepth = 0, trade = 0, notional = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            var contract = snapshot.Contracts[chain.Source[i]];
            if (contract is not { Bid: > 0 and var bid, Ask: { } ask, BidSize: > 0 and var bidSize, AskSize: > 0 and var askSize } || ask <= bid)
            {
                continue;
            }

            var delta = chain.Delta[i];
            var mid = (bid + ask) / 2;
            var spread = ask - bid;
            if (Math.Abs(delta) < MinAbsDelta || spread / mid > MaxSpreadFraction)
            {
                continue;
            }

            n++;
            var side = chain.IsCall[i] ? 1.0 : -1.0;
            double depth = bidSize + askSize;
            var imbalance = (bidSize - askSize) / depth;
            var w = Math.Abs(delta) * depth;
            weights += w;
            vabai += w * side * imbalance * chain.Iv[i];
            lidb += w * side * ((bidSize / depth) - 0.5);
            notional += side * ((bid * bidSize) - (ask * askSize)) * FlowMath.Multiplier;

            // The microprice leans toward the side with less size; divided by delta it is a move of the underlying.
            var micro = ((bid * askSize) + (ask * bidSize)) / depth;
            move += depth * (micro - mid) / delta;
            moveWeights += depth;

            if (chain.Iv[i] > 0)
            {
                svr += spread / mid / chain.Iv[i];
                svrCount++;
            }

            if (contract.Last is > 0 and var last && spread / mid <= TightSpreadFraction)
            {
                trade += depth * side * Math.Clamp((last - mid) / (spread / 2), -1, 1);
                tradeDepth += depth;
            }
        }

        if (n == 0)
        {
            return OrderBookMetrics.None;
        }

        return new OrderBookMetrics(
            n,
            Math.Round(move / moveWeights / chain.Spot * 10_000, 4),
            Math.Round(vabai / weights, 6),
            Math.Round(lidb / weights, 6),
            svrCount > 0 ? Math.Round(svr / svrCount, 6) : null,
            tradeDepth > 0 ? Math.Round(trade / tradeDepth, 6) : null,
            Math.Round(notional, 2));
    }
}
