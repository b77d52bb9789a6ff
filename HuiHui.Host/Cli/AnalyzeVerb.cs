using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui analyze SYMBOL [--source simulated|tradier|cboe|file:PATH] [--dte MIN-MAX] [--strike-range PCT] [--json]</c>:
/// one full analysis. JSON (stable): symbol, asOf, spot, metrics (gexTotal, gexByStrike [{strike, callGex, putGex, netGex}],
/// zeroGamma, callWall, putWall, maxPain, pcrOi, pcrVolume, atmIv, …, slice, exposures, eots, levels [{price, kind,
/// conviction, sources}], keyLevels, book), experts (regime, flow, sentiment, meta), compass and timingsMs.
/// Exit 1 when there is nothing to analyse (unknown symbol, unreadable source, empty chain or slice), 2 on bad arguments.
/// </summary>
internal static class AnalyzeVerb
{
    public static async Task<int> RunAsync(CliOutput output, string symbol, string? source, string? dte, string? strikeRange, CancellationToken cancellationToken)
    {
        ChainSlice? slice = null;
        if (dte is not null || strikeRange is not null)
        {
            if (!ChainSlice.TryParse(dte, strikeRange, out var parsed, out var problem))
            {
                return output.Fail(HuiHuiCli.Usage, problem!);
            }

            slice = parsed;
        }

        using var host = CliHost.Build(primeAnalysis: true);
        try
        {
            // A fresh process reads the active sentiment model cold (the first connection, the model's bytes, ML.NET's load):
            // read it while the snapshot is fetched, so the sentiment expert finds it loaded (callers during the first read
            // wait for it) instead of running out of its time budget. On the thread pool: its first steps (the
            // first connection) run synchronously and would otherwise hold this thread before the analysis starts.
            var models = Task.Run(() => host.SendAsync(new ScoreSentences(["warm-up"]), cancellationToken), cancellationToken);
            Analysis analysis;
            try
            {
                analysis = await host.SendAsync(new AnalyzeSymbol(symbol, source, slice), cancellationToken);
            }
            finally
            {
                await models; // never left running into the host's disposal (the model host logs its own failures)
            }

            await host.FlushAsync(cancellationToken);
            return output.Ok(Project(analysis), _ => Describe(analysis));
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (RefusedRequestException error)
        {
            return output.Fail(HuiHuiCli.Failed, error.Message);
        }
    }

    /// <summary>The stable JSON shape of one analysis (also each item of <c>replay --json</c>).</summary>
    public static object Project(Analysis a)
    {
        var m = a.Metrics;
        return new
        {
            symbol = a.Symbol,
            asOf = a.AsOf,
            spot = a.Spot,
            source = a.Source,
            metrics = new
            {
                contracts = m.Contracts,
                gexTotal = m.Exposures.GexTotal,
                dexTotal = m.Exposures.DexTotal,
                vannaTotal = m.Exposures.VannaTotal,
                charmTotal = m.Exposures.CharmTotal,
                gexByStrike = m.Exposures.ByStrike.Select(s => new { strike = s.Strike, callGex = s.CallGex, putGex = s.PutGex, netGex = s.NetGex }),
                zeroGamma = m.KeyLevels.ZeroGamma,
                callWall = m.KeyLevels.CallWall,
                putWall = m.KeyLevels.PutWall,
                maxPain = m.KeyLevels.MaxPain,
                maxPainByExpiry = m.KeyLevels.MaxPainByExpiry,
                pcrOi = m.Flow.PcrOi,
                pcrVolume = m.Flow.PcrVolume,
                atmIv = m.Volatility.AtmIv,
                volatility = m.Volatility,
                flow = m.Flow,
                slice = m.Slice,
                exposures = m.Exposures,
                eots = m.Eots,
                book = m.Book,
                levels = m.Levels,
                keyLevels = m.KeyLevels,
                warnings = m.Warnings ?? [],
            },
            experts = new { regime = a.Regime, flow = a.Flow, sentiment = a.Sentiment, meta = a.Meta },
            compass = a.Compass,
            timingsMs = a.TimingsMs,
        };
    }

    private static string Describe(Analysis a)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{a.Symbol} {a.Spot:0.00} at {a.AsOf:yyyy-MM-dd HH:mm} UTC from {a.Source} ({a.Metrics.Contracts} contracts)");
        text.AppendLine(c, $"meta       {a.Meta.Bias,-8} conviction {a.Meta.Conviction:P0}  strategy: {a.Meta.Strategy}");
        if (a.Meta.Idea is { } idea)
        {
            text.AppendLine(c, $"idea       {string.Join(" / ", idea.Legs.Select(leg => $"{leg.Side.ToString().ToLowerInvariant()} {leg.Quantity} {leg.Expiry:yyyy-MM-dd} {leg.Strike:0.##}{(leg.Right == OptionRight.Call ? "C" : "P")} (Δ {leg.Delta:0.00})"))}");
            text.AppendLine(c, $"           enter {idea.Entry.ZoneLow:0.00}–{idea.Entry.ZoneHigh:0.00} at {idea.Entry.Mid:0.00} mid / {idea.Entry.Natural:0.00} natural  stop {(idea.StopBelow is { } below ? $"below {below:0.00}" : "")}{(idea.StopBelow is not null && idea.StopAbove is not null ? " or " : "")}{(idea.StopAbove is { } above ? $"above {above:0.00}" : "")}  targets {(idea.Targets.Count == 0 ? "none (held for decay)" : string.Join(", ", idea.Targets.Select(t => t.ToString("0.00", c))))}");
            text.AppendLine(c, $"           max loss {(idea.MaxLoss is { } loss ? loss.ToString("0", c) : "open")}  max gain {(idea.MaxGain is { } gain ? gain.ToString("0", c) : "open")} per unit  ATR {idea.Atr:0.00} ({idea.AtrSource})  until {idea.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
        else if (a.Meta.NoIdea is { } why)
        {
            text.AppendLine(c, $"idea       none: {why}");
        }
        text.AppendLine(c, $"regime     {(a.Regime is { } r ? $"{r.Regime} ({r.Confidence:P0}), dealer gamma {r.DealerGamma}{(r.TransitionWarning ? ", transition warning" : "")}" : "missing")}");
        text.AppendLine(c, $"flow       {(a.Flow is { } f ? $"{f.Bias} score {f.Score:+0.00;-0.00;0.00} ({f.Confidence:P0}), {f.Institutional.Blocks} blocks, {f.Institutional.Sweeps} sweeps" : "missing")}");
        text.AppendLine(c, $"sentiment  {(a.Sentiment is { } s ? $"{s.Bias} score {s.Score:+0.00;-0.00;0.00} ({s.Confidence:P0}) over {s.Headlines.Count} headlines" : "missing")}");
        var l = a.Metrics.KeyLevels;
        text.AppendLine(c, $"slice      {a.Metrics.Slice.Description} ({a.Metrics.Slice.Contracts} contracts, {a.Metrics.Slice.OutOfSlice} outside)");
        text.AppendLine(c, $"levels     zero gamma {l.ZeroGamma:0.00}  call wall {l.CallWall:0.##}  put wall {l.PutWall:0.##}  hedge wall {l.HedgeWall:0.##}  max pain {l.MaxPain:0.##}");
        foreach (var level in a.Metrics.Levels.Take(6))
        {
            text.AppendLine(c, $"           {level.Kind,-10} {level.Price,9:0.00}  conviction {level.Conviction:P0}  ({string.Join(", ", level.Sources)})");
        }

        foreach (var warning in a.Metrics.Warnings ?? [])
        {
            text.AppendLine(c, $"note       {warning}");
        }

        var e = a.Metrics.Eots;
        text.AppendLine(c, $"EOTS       A-DAG {e.ADag / 1e6:0.00} M$  E-SDAG {e.ESdag / 1e6:0.00} M$  D-TDPI {e.DTdpi:0}  VRI 2.0 {e.Vri2 / 1e6:0.00} M$  GIB {e.Gib / 1e6:0.00} M$  HP-EOD {(e.HpEod is { } hp ? $"{hp / 1e6:0.00} M$" : "n/a")}");
        text.AppendLine(c, $"0DTE       {(e.ZeroDte.Contracts > 0 ? $"VRI {e.ZeroDte.Vri / 1e6:0.00} M$  VFI {e.ZeroDte.Vfi:0.00}  VVR {e.ZeroDte.Vvr:0.00}  VCI {e.ZeroDte.Vci:0.00}" : e.ZeroDte.Reason)}");
        text.AppendLine(c, $"GEX        {a.Metrics.Exposures.GexTotal / 1e6:0.00} M$ per 1 %   ATM IV {a.Metrics.Volatility.AtmIv:P1}   PCR OI {a.Metrics.Flow.PcrOi:0.00}");
        text.AppendLine(a.Meta.Narrative);
        text.Append(c, $"timings    {a.TimingsMs.Total:0.0} ms (metrics {a.TimingsMs.Metrics:0.0}, experts {a.TimingsMs.Experts:0.0}, meta {a.TimingsMs.Meta:0.0})");
        return text.ToString();
    }
}
