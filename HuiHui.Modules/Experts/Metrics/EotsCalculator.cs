using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// The EOTS arsenal on the sliced chain: A-DAG, E-SDAG (multiplicative and directional), D-TDPI, VRI 2.0, GIB, HP-EOD and
/// the 0DTE suite. Every formula, unit and coefficient is in docs/metrics.md; the coefficients come from
/// <see cref="EotsOptions"/>. Per-strike customer flow is the snapshot's prints (a derived snapshot's latest interval).
/// </summary>
internal static class EotsCalculator
{
    private static readonly TimeSpan SessionOpen = new(9, 30, 0);
    private static readonly TimeSpan SessionLength = TimeSpan.FromHours(6.5);

    public static EotsMetrics Compute(ChainArrays chain, ExposureMetrics exposures, int[] strikeOf, VolatilityMetrics volatility, double[] netContracts, ChainSnapshot snapshot, EotsOptions options)
    {
        var strikes = exposures.ByStrike;
        var m = strikes.Count;
        var scale = StructureMetrics.Scales.For(chain.Spot);
        var atmByExpiry = new Dictionary<DateOnly, double>(volatility.Term.Count);
        foreach (var t in volatility.Term)
        {
            atmByExpiry[t.Expiry] = t.AtmIv;
        }

        var scaledGex = new double[m];     // Σ GEX × DTE scale
        var skewGex = new double[m];       // Σ GEX × skew factor
        var deltaFlow = new double[m];     // customer Δ flow, shares
        var gammaFlow = new double[m];     // customer Γ flow, GEX units
        var thetaFlow = new double[m];     // customer θ flow, dollars per day
        var vannaFlow = new double[m];     // customer vanna flow, dollars of delta per vol point
        var lastExpiry = DateOnly.MinValue;
        double atm = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            var k = strikeOf[i];
            var sign = chain.IsCall[i] ? 1 : -1;
            var gex = sign * chain.Gamma[i] * scale.Gamma * chain.OpenInterest[i];
            scaledGex[k] += gex * DteScale(chain.DaysToExpiry[i], options);
            if (chain.Expiry[i] != lastExpiry)
            {
                lastExpiry = chain.Expiry[i];
                atm = atmByExpiry.GetValueOrDefault(lastExpiry);
            }

            skewGex[k] += gex * (atm > 0 ? 1 + options.ESdagSkewSensitivity * (chain.Iv[i] / atm - 1) : 1);
            var net = netContracts[i];
            if (net != 0)
            {
                deltaFlow[k] += net * chain.Delta[i] * 100;
                gammaFlow[k] += net * sign * chain.Gamma[i] * scale.Gamma;
                thetaFlow[k] += net * chain.Theta[i] * StructureMetrics.Scales.Theta;
                vannaFlow[k] += net * chain.Vanna[i] * scale.Vanna;
            }
        }

        var maxDex = MaxAbs(strikes, s => s.Dex);
        var maxThetaFlow = MaxAbs(thetaFlow);
        var maxVannaFlow = MaxAbs(vannaFlow);
        var termFactor = TermFactor(volatility);
        var byStrike = new StrikeEots[m];
        double aDag = 0, eSdag = 0, eSdagDir = 0, dTdpi = 0, vri2 = 0, thetaFlowTotal = 0;
        for (var k = 0; k < m; k++)
        {
            var s = strikes[k];
            var a = ADag(scaledGex[k], s.NetGex, s.Dex, deltaFlow[k], gammaFlow[k], options);
            var e = skewGex[k] * (1 + options.ESdagDeltaWeight * (maxDex > 0 ? s.Dex / maxDex : 0));
            var eDir = skewGex[k] + options.ESdagDirectionalWeight * s.Dex * chain.Spot * 0.01;
            var d = s.Charm * Math.Sign(s.Theta) * (1 + options.DTdpiThetaFlowWeight * (maxThetaFlow > 0 ? thetaFlow[k] / maxThetaFlow : 0));
            var v = Vri2(s.Vanna, s.Vomma, s.Vega, maxVannaFlow > 0 ? vannaFlow[k] / maxVannaFlow : 0, termFactor, options);
            byStrike[k] = new StrikeEots(s.Strike, a, e, eDir, d, v);
            aDag += a;
            eSdag += e;
            eSdagDir += eDir;
            dTdpi += d;
            vri2 += v;
            thetaFlowTotal += thetaFlow[k];
        }

        var gib = exposures.GexTotal - options.GibBaseline;
        var reference = ReferencePrice(snapshot);
        double? hpEod = reference is { } open && open > 0
            ? -gib * ((chain.Spot - open) / chain.Spot / 0.01) * TimeWeight(snapshot.AsOf, options)
            : null;
        var theta = exposures.ThetaTotal;
        return new EotsMetrics(
            aDag,
            eSdag,
            eSdagDir,
            dTdpi,
            Math.Abs(theta) > 1e-12 ? Math.Abs(exposures.CharmTotal) / Math.Abs(theta) : null,
            Math.Abs(theta) > 1e-12 ? Math.Abs(thetaFlowTotal) / Math.Abs(theta) : 0,
            vri2,
            gib,
            hpEod,
            reference,
            ZeroDte(chain, snapshot, termFactor, options),
            byStrike);
    }

    /// <summary>
    /// A-DAG at one strike: GEX scaled by days to expiry, × (1 + (c − 1)·f): c the aligned/opposed/neutral multiplier from
    /// the alignment a = (sgn DEX·sgn ΔF + sgn GEX·sgn ΓF)/2, f = min(1, |ΓF| / |GEX|) how large the flow is against the standing exposure.
    /// </summary>
    public static double ADag(double scaledGex, double gex, double dex, double deltaFlow, double gammaFlow, EotsOptions options)
    {
        var alignment = (Math.Sign(dex) * Math.Sign(deltaFlow) + Math.Sign(gex) * Math.Sign(gammaFlow)) / 2.0;
        var multiplier = alignment > options.ADagAlignmentThreshold ? options.ADagAligned
            : alignment < -options.ADagAlignmentThreshold ? options.ADagOpposed
            : 1.0;
        var share = Math.Abs(gex) > 0 ? Math.Min(1, Math.Abs(gammaFlow) / Math.Abs(gex)) : 0;
        return scaledGex * (1 + (multiplier - 1) * share);
    }

    /// <summary>VRI 2.0 at one strike: vanna × (1 + w_F·F) × (1 + w_V·clamp(vomma/vega, ±1)) × term factor.</summary>
    public static double Vri2(double vanna, double vomma, double vega, double normalisedVannaFlow, double termFactor, EotsOptions options)
    {
        var vommaRatio = vega > 0 ? Math.Clamp(vomma / vega, -1, 1) : 0;
        return vanna * (1 + options.Vri2VannaFlowWeight * normalisedVannaFlow) * (1 + options.Vri2VommaWeight * vommaRatio) * termFactor;
    }

    public static double DteScale(int days, EotsOptions options) =>
        days <= 0 ? options.DteScaleSameDay
        : days <= options.ShortDteDays ? options.DteScaleShort
        : days <= options.NormalDteDays ? options.DteScaleNormal
        : options.DteScaleLong;

    /// <summary>Front expiry's ATM IV over the 30-day ATM IV (> 1: inverted, near-term stress); 1 when either is unknown.</summary>
    public static double TermFactor(VolatilityMetrics volatility) =>
        volatility.Term.Count > 0 && volatility.AtmIv is > 0 ? volatility.Term[0].AtmIv / volatility.AtmIv.Value : 1;

    /// <summary>0.5 at the 09:30 New York open rising linearly to 1.0 at 16:00 (configured), flat outside the session.</summary>
    public static double TimeWeight(DateTimeOffset asOf, EotsOptions options)
    {
        var local = TimeZoneInfo.ConvertTime(asOf, NewYork).TimeOfDay;
        var progress = Math.Clamp((local - SessionOpen) / SessionLength, 0, 1);
        return options.HpEodOpenWeight + (options.HpEodCloseWeight - options.HpEodOpenWeight) * progress;
    }

    /// <summary>The session's open: the first minute bar of the snapshot's New York day, else the quote's open, else the previous close.</summary>
    public static double? ReferencePrice(ChainSnapshot snapshot)
    {
        var sessionStart = ExpiryClock.SessionStart(snapshot.AsOf);
        Bar? first = null;
        foreach (var bar in snapshot.Bars)
        {
            if (bar.Interval == Bar.Minute && bar.Start <= snapshot.AsOf && bar.Start >= sessionStart && (first is null || bar.Start < first.Start))
            {
                first = bar;
            }
        }

        return first?.Open ?? snapshot.Quote.Open ?? snapshot.Quote.PreviousClose;
    }

    /// <summary>VRI, VFI, VVR and VCI on the contracts expiring on the snapshot's session date.</summary>
    private static ZeroDteSuite ZeroDte(ChainArrays chain, ChainSnapshot snapshot, double termFactor, EotsOptions options)
    {
        var scale = StructureMetrics.Scales.For(chain.Spot);
        double vannaOi = 0, vannaVolume = 0, vommaOi = 0, vommaVolume = 0, vegaOi = 0, vegaVolume = 0;
        var vannaByStrike = new Dictionary<double, double>();
        var count = 0;
        DateOnly? expiry = null;
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain.DaysToExpiry[i] != 0)
            {
                continue;
            }

            count++;
            expiry = chain.Expiry[i];
            var oi = chain.OpenInterest[i];
            var traded = chain.Volume[i];
            var vanna = chain.Vanna[i] * scale.Vanna;
            var vomma = chain.Vomma[i] * StructureMetrics.Scales.Vomma;
            var vega = chain.Vega[i] * StructureMetrics.Scales.Vega;
            vannaOi += vanna * oi;
            vannaVolume += vanna * traded;
            vommaOi += vomma * oi;
            vommaVolume += vomma * traded;
            vegaOi += vega * oi;
            vegaVolume += vega * traded;
            vannaByStrike[chain.Strike[i]] = vannaByStrike.GetValueOrDefault(chain.Strike[i]) + vanna * oi;
        }

        if (count == 0)
        {
            return new ZeroDteSuite(null, 0, null, null, null, null, NoSameDayReason(chain, snapshot));
        }

        double? vri = Math.Abs(vannaOi) > 0
            ? vannaOi * (1 + Math.Min(1, Math.Abs(vannaVolume) / Math.Abs(vannaOi))) * (1 + options.Vri2VommaWeight * (vegaOi > 0 ? Math.Clamp(vommaOi / vegaOi, -1, 1) : 0)) * termFactor
            : null;
        double? vfi = vegaOi > 0 ? vegaVolume / vegaOi : null;
        double? vvr = Math.Abs(vommaVolume) > 1e-9 ? Math.Abs(vannaVolume) / Math.Abs(vommaVolume) : null;
        double totalAbs = 0;
        foreach (var v in vannaByStrike.Values)
        {
            totalAbs += Math.Abs(v);
        }

        double? vci = null;
        if (totalAbs > 0)
        {
            double hhi = 0;
            foreach (var v in vannaByStrike.Values)
            {
                var share = Math.Abs(v) / totalAbs;
                hhi += share * share;
            }

            vci = hhi;
        }

        var reason = vfi is null && vvr is null ? "today's contracts carry no open interest or volume" : vvr is null ? "no volume in today's contracts yet: VVR needs traded vomma" : null;
        return new ZeroDteSuite(expiry, count, vri, vfi, vvr, vci, reason);
    }

    private static string NoSameDayReason(ChainArrays chain, ChainSnapshot snapshot)
    {
        var session = ExpiryClock.SessionDate(snapshot.AsOf);
        var listed = false;
        DateOnly? next = null;
        foreach (var c in snapshot.Contracts)
        {
            listed |= c.Expiry == session;
            if (c.Expiry > session && (next is null || c.Expiry < next))
            {
                next = c.Expiry;
            }
        }

        return listed ? $"contracts expiring today ({session:yyyy-MM-dd}) are outside the slice"
            : chain.Count == 0 ? "no contracts"
            : $"no contract expires today ({session:yyyy-MM-dd}){(next is { } n ? $"; the next expiry is {n:yyyy-MM-dd}" : "")}";
    }

    private static double MaxAbs(IReadOnlyList<StrikeExposure> strikes, Func<StrikeExposure, double> value)
    {
        double max = 0;
        foreach (var s in strikes)
        {
            max = Math.Max(max, Math.Abs(value(s)));
        }

        return max;
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
}
