using System.Globalization;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Learning;

public sealed class LabelTests : DatabaseTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    private static string Ts(DateTimeOffset t) => $"'{t:O}'::timestamptz";

    [Test]
    public async Task Labels_UseThePricesAtAsOfAndAfterTheHorizon_OnlyWhenBothExist_AndAreGeneratedOnce()
    {
        // Minute bars from T0 to T0+30 min, close = 100 + minutes; three vectors at T0, T0+10 and T0+25.
        await Sql.ExecuteAsync($"""
            INSERT INTO market_data.underlying_ohlc (symbol, "interval", ts, open, high, low, close, volume, source, ingested_at)
            SELECT 'SPY', '1m', {Ts(T0)} + make_interval(mins => m), 100 + m, 100 + m, 100 + m, 100 + m, 0, 'test', now() FROM generate_series(0, 30) m;
            INSERT INTO training.feature_vectors (symbol, as_of, schema_version, "values", regime, created_at) VALUES
              ('SPY', {Ts(T0)}, 1, '{FeatureValues(flow: 0.5f, meta: -0.2f)}', 'RangeBound', now()),
              ('SPY', {Ts(T0.AddMinutes(10))}, 1, '{FeatureValues(flow: -0.5f, meta: 0.3f)}', 'RangeBound', now()),
              ('SPY', {Ts(T0.AddMinutes(25))}, 1, '{FeatureValues(flow: 0.5f, meta: 0.3f)}', 'RangeBound', now());
            """);

        var first = await Testing.SendAsync(new GenerateLabels(TimeSpan.FromMinutes(15)));
        var second = await Testing.SendAsync(new GenerateLabels(TimeSpan.FromMinutes(15)));

        Assert.That(first, Is.EqualTo(new LabelReport(3, 2, 1)), "T0+25 waits: its horizon ends after the newest bar");
        Assert.That(second, Is.EqualTo(new LabelReport(1, 0, 1)));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM training.labeled_examples"), Is.EqualTo(2));
        var forward = await Sql.ScalarAsync<double>($"SELECT forward_return FROM training.labeled_examples WHERE as_of = {Ts(T0)}");
        Assert.That(forward, Is.EqualTo(Math.Log(115.0 / 100)).Within(1e-12));
        Assert.That(await Sql.ScalarAsync<short>($"SELECT direction FROM training.labeled_examples WHERE as_of = {Ts(T0)}"), Is.EqualTo(1));
        Assert.That(await Sql.ScalarAsync<string>($"SELECT expert_outcomes::text FROM training.labeled_examples WHERE as_of = {Ts(T0)}"),
            Is.EqualTo("""{"flow": true, "meta": false, "sentiment": null}"""));
        Assert.That(await Sql.ScalarAsync<string>($"SELECT expert_outcomes::text FROM training.labeled_examples WHERE as_of = {Ts(T0.AddMinutes(10))}"),
            Is.EqualTo("""{"flow": false, "meta": true, "sentiment": null}"""));
    }

    [Test]
    public async Task Labels_CarryTheRealisedVolatilityChange_AfterMinusBeforeTheAsOfTime()
    {
        // Returns of +0.1 % every minute up to T0+15, then ±0.2 % alternating: realised vol doubles after the as-of time.
        var closes = new List<double> { 100 };
        for (var m = 1; m <= 30; m++)
        {
            closes.Add(closes[^1] * Math.Exp(m <= 15 ? 0.001 : (m % 2 == 0 ? 0.002 : -0.002)));
        }

        var rows = string.Join(",", closes.Select((c, m) => $"('SPY', '1m', {Ts(T0.AddMinutes(m))}, {c.ToString("R", CultureInfo.InvariantCulture)}, {c.ToString("R", CultureInfo.InvariantCulture)}, {c.ToString("R", CultureInfo.InvariantCulture)}, {c.ToString("R", CultureInfo.InvariantCulture)}, 0, 'test', now())"));
        await Sql.ExecuteAsync($"""
            INSERT INTO market_data.underlying_ohlc (symbol, "interval", ts, open, high, low, close, volume, source, ingested_at) VALUES {rows};
            INSERT INTO training.feature_vectors (symbol, as_of, schema_version, "values", regime, created_at) VALUES
              ('SPY', {Ts(T0.AddMinutes(15))}, 1, '{FeatureValues(flow: 0.5f, meta: 0.3f)}', 'RangeBound', now());
            """);

        await Testing.SendAsync(new GenerateLabels(TimeSpan.FromMinutes(15)));

        var change = await Sql.ScalarAsync<double>("SELECT realized_vol_change FROM training.labeled_examples");
        var perMinuteToAnnual = Math.Sqrt(252.0 * 390.0);
        Assert.That(change, Is.EqualTo((0.002 - 0.001) * perMinuteToAnnual).Within(1e-9));
    }

    /// <summary>A schema-v1 vector: everything NaN except the flow score (index 0) and meta direction (index 12).</summary>
    private static string FeatureValues(float flow, float meta)
    {
        var values = Enumerable.Repeat("NaN", 26).ToArray();
        values[0] = flow.ToString(CultureInfo.InvariantCulture);
        values[12] = meta.ToString(CultureInfo.InvariantCulture);
        return "{" + string.Join(",", values) + "}";
    }
}
