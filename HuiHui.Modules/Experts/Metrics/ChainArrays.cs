using System.Buffers;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// A chain as parallel arrays (structure of arrays) with the greeks every metric needs, computed once.
/// Contracts without an implied volatility (none given and none solvable from the mid) are left out.
/// Delta and gamma come from the provider when present and sane; vanna and charm are always computed.
/// </summary>
internal sealed class ChainArrays : IDisposable
{
    private ChainArrays(int capacity)
    {
        Strike = Rent<double>(capacity);
        Years = Rent<double>(capacity);
        Iv = Rent<double>(capacity);
        OpenInterest = Rent<double>(capacity);
        Volume = Rent<double>(capacity);
        Delta = Rent<double>(capacity);
        Gamma = Rent<double>(capacity);
        Vanna = Rent<double>(capacity);
        Charm = Rent<double>(capacity);
        Vega = Rent<double>(capacity);
        Vomma = Rent<double>(capacity);
        Theta = Rent<double>(capacity);
        DaysToExpiry = Rent<int>(capacity);
        Mid = Rent<double>(capacity);
        Spread = Rent<double>(capacity);
        IsCall = Rent<bool>(capacity);
        Expiry = Rent<DateOnly>(capacity);
        Source = Rent<int>(capacity);
    }

    /// <summary>
    /// The columns are rented from the shared array pools (a chain of a thousand contracts is ~150 KB of them, every
    /// snapshot) and given back here: they may be longer than <see cref="Count"/>, and nothing may keep them after.
    /// </summary>
    public void Dispose()
    {
        ArrayPool<double>.Shared.Return(Strike);
        ArrayPool<double>.Shared.Return(Years);
        ArrayPool<double>.Shared.Return(Iv);
        ArrayPool<double>.Shared.Return(OpenInterest);
        ArrayPool<double>.Shared.Return(Volume);
        ArrayPool<double>.Shared.Return(Delta);
        ArrayPool<double>.Shared.Return(Gamma);
        ArrayPool<double>.Shared.Return(Vanna);
        ArrayPool<double>.Shared.Return(Charm);
        ArrayPool<double>.Shared.Return(Vega);
        ArrayPool<double>.Shared.Return(Vomma);
        ArrayPool<double>.Shared.Return(Theta);
        ArrayPool<int>.Shared.Return(DaysToExpiry);
        ArrayPool<double>.Shared.Return(Mid);
        ArrayPool<double>.Shared.Return(Spread);
        ArrayPool<bool>.Shared.Return(IsCall);
        ArrayPool<DateOnly>.Shared.Return(Expiry);
        ArrayPool<int>.Shared.Return(Source);
    }

    private static T[] Rent<T>(int capacity) => ArrayPool<T>.Shared.Rent(Math.Max(1, capacity));

    public int Count { get; private set; }

    public int ComputedGreeks { get; private set; }

    public double Spot { get; private init; }

    public double Rate { get; private init; }

    public double Dividend { get; private init; }

    public double[] Strike { get; }

    public double[] Years { get; }

    public double[] Iv { get; }

    public double[] OpenInterest { get; }

    public double[] Volume { get; }

    public double[] Delta { get; }

    public double[] Gamma { get; }

    public double[] Vanna { get; }

    public double[] Charm { get; }

    /// <summary>Per 1.00 of volatility.</summary>
    public double[] Vega { get; }

    /// <summary>∂vega/∂σ, per 1.00 of volatility squared.</summary>
    public double[] Vomma { get; }

    /// <summary>Per year of calendar time (the provider's when given, else Black-Scholes).</summary>
    public double[] Theta { get; }

    /// <summary>Calendar days from the session's New York date to the expiry (0 = expiring today).</summary>
    public int[] DaysToExpiry { get; }

    /// <summary>Contracts of the snapshot outside the slice (not counted in <see cref="Count"/>).</summary>
    public int OutOfSlice { get; private set; }

    /// <summary>Mid price, or last when one side is missing; 0 when unknown.</summary>
    public double[] Mid { get; }

    /// <summary>Ask − bid; 0 when unknown.</summary>
    public double[] Spread { get; }

    public bool[] IsCall { get; }

    public DateOnly[] Expiry { get; }

    /// <summary>Index of the contract in the snapshot's list.</summary>
    public int[] Source { get; }

    public static ChainArrays From(ChainSnapshot snapshot, double rate, double dividend, ChainSlice? slice = null)
    {
        slice ??= ChainSlice.Whole;
        var session = ExpiryClock.SessionDate(snapshot.AsOf);
        var outside = 0;
        var days = 0;
        var contracts = snapshot.Contracts;
        var spot = snapshot.Spot;
        var chain = new ChainArrays(contracts.Count) { Spot = spot, Rate = rate, Dividend = dividend };
        var n = 0;
        var computed = 0;
        var lastExpiry = DateOnly.MinValue;
        double years = 0, sqrtT = 0, carry = 0, discount = 0;
        for (var i = 0; i < contracts.Count; i++)
        {
            var c = contracts[i];
            if (c.Expiry != lastExpiry)
            {
                // Chains come grouped by expiry: time-only terms once per expiry, not per contract.
                lastExpiry = c.Expiry;
                days = c.Expiry.DayNumber - session.DayNumber;
                years = ExpiryClock.YearsTo(snapshot.AsOf, c.Expiry);
                sqrtT = Math.Sqrt(years);
                carry = Math.Exp(-dividend * years);
                discount = Math.Exp(-rate * years);
            }

            if (!slice.IsWhole && !slice.Contains(days, c.Strike, spot))
            {
                outside++;
                continue;
            }

            var mid = c.Bid is { } bid && c.Ask is { } ask ? (bid + ask) / 2 : c.Last ?? c.Ask ?? 0;
            var iv = c.ImpliedVol ?? (mid > 0 ? BlackScholes.ImpliedVol(c.Right, mid, spot, c.Strike, years, rate, dividend) : null);
            if (iv is not { } vol)
            {
                continue;
            }

            var g = Greeks(c.Right == OptionRight.Call, spot, c.Strike, years, sqrtT, carry, discount, rate, dividend, vol);
            var provided = c.Greeks;
            var useProvider = provided is { Delta: { } d, Gamma: { } gm } && double.IsFinite(d) && Math.Abs(d) <= 1 && double.IsFinite(gm) && gm >= 0;
            chain.Strike[n] = c.Strike;
            chain.Years[n] = years;
            chain.Iv[n] = vol;
            chain.OpenInterest[n] = c.OpenInterest;
            chain.Volume[n] = c.Volume;
            chain.Delta[n] = useProvider ? provided!.Delta!.Value : g.Delta;
            chain.Gamma[n] = useProvider ? provided!.Gamma!.Value : g.Gamma;
            chain.Vanna[n] = g.Vanna;
            chain.Charm[n] = g.Charm;
            chain.Vega[n] = g.Vega;
            chain.Vomma[n] = g.Vomma;
            chain.Theta[n] = provided?.Theta is { } theta && double.IsFinite(theta) ? theta : g.Theta;
            chain.DaysToExpiry[n] = days;
            chain.Mid[n] = mid;
            chain.Spread[n] = c.Bid is { } b && c.Ask is { } a ? a - b : 0;
            chain.IsCall[n] = c.Right == OptionRight.Call;
            chain.Expiry[n] = c.Expiry;
            chain.Source[n] = i;
            computed += useProvider ? 0 : 1;
            n++;
        }

        chain.Count = n;
        chain.ComputedGreeks = computed;
        chain.OutOfSlice = outside;
        chain.Keys = new long[n];
        chain.ByKey = new int[n];
        for (var i = 0; i < n; i++)
        {
            chain.Keys[i] = Key(chain.Expiry[i], chain.Strike[i], chain.IsCall[i]);
            chain.ByKey[i] = i;
        }

        Array.Sort(chain.Keys, chain.ByKey);
        return chain;
    }

    /// <summary>Contract keys (expiry, strike, right) in ascending order, and the contract index of each.</summary>
    public long[] Keys { get; private set; } = [];

    public int[] ByKey { get; private set; } = [];

    /// <summary>The index of the contract, or −1.</summary>
    public int Find(DateOnly expiry, double strike, bool isCall)
    {
        var at = Array.BinarySearch(Keys, Key(expiry, strike, isCall));
        return at >= 0 ? ByKey[at] : -1;
    }

    private static long Key(DateOnly expiry, double strike, bool isCall) =>
        expiry.DayNumber * 2_000_000_000L + (long)Math.Round(strike * 1000) * 2 + (isCall ? 1 : 0);

    /// <summary>
    /// Delta, gamma, vanna, charm, vega, vomma and theta (what the metrics use), with the per-expiry terms passed in:
    /// one logarithm, three exponentials and two normal CDFs per contract (N(d1) and N(d2) by the Abramowitz-Stegun
    /// 26.2.17 polynomial: absolute error under 7.5e-8, far below what any exposure can tell, at a fraction of the exact
    /// function's cost). Same formulas as
    /// <see cref="BlackScholes.Greeks"/>.
    /// </summary>
    private static (double Delta, double Gamma, double Vanna, double Charm, double Vega, double Vomma, double Theta) Greeks(bool isCall, double spot, double strike, double years, double sqrtT, double carry, double discount, double rate, double dividend, double vol)
    {
        var volSqrtT = vol * sqrtT;
        var d1 = (Math.Log(spot / strike) + (rate - dividend + 0.5 * vol * vol) * years) / volSqrtT;
        var d2 = d1 - volSqrtT;
        var pdf = BlackScholes.NormalPdf(d1);
        var nd1 = FastNormalCdf(d1);
        var nd2 = FastNormalCdf(d2);
        var charmCommon = carry * pdf * (2 * (rate - dividend) * years - d2 * volSqrtT) / (2 * years * volSqrtT);
        var vega = spot * carry * pdf * sqrtT;
        var decay = -spot * carry * pdf * vol / (2 * sqrtT);
        return (
            isCall ? carry * nd1 : carry * (nd1 - 1),
            carry * pdf / (spot * volSqrtT),
            -carry * pdf * d2 / vol,
            isCall ? dividend * carry * nd1 - charmCommon : -dividend * carry * (1 - nd1) - charmCommon,
            vega,
            vega * d1 * d2 / vol,
            isCall
                ? decay - rate * strike * discount * nd2 + dividend * spot * carry * nd1
                : decay + rate * strike * discount * (1 - nd2) - dividend * spot * carry * (1 - nd1));
    }

    /// <summary>Φ(x) by Abramowitz and Stegun 26.2.17 (|error| &lt; 7.5e-8).</summary>
    internal static double FastNormalCdf(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.2316419 * z);
        var poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        var tail = BlackScholes.NormalPdf(z) * poly;
        return x >= 0 ? 1 - tail : tail;
    }
}
