using Bogus;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary>
/// Turns a symbol's simulated state at a minute into what a provider would send: quote, chain, prints, bars, news.
/// The chain lists expiries from 0DTE to about 60 days (the next five trading days and every Friday), strikes fixed for
/// the day around the opening spot, an implied-vol surface with the regime's skew and term slope, and open interest
/// concentrated near round strikes. Everything random here is seeded by (seed, symbol, minute or day, contract).
/// </summary>
internal static class SimulatedChain
{
    public const string Source = "simulated";

    private const int MaxDaysToExpiry = 60;

    private static readonly string[] Sources = ["Simulated Wire", "Market Desk", "Street Ledger", "Options Monitor", "Macro Brief"];

    private static readonly string[] Positive =
    [
        "{0} climbs as {1} raises its outlook",
        "{0} gains after upbeat {2} data",
        "Buyers step in: {0} extends advance on {1} deal",
        "Analysts at {3} turn bullish on {0}",
        "{0} rallies as {2} figures beat estimates",
    ];

    private static readonly string[] Negative =
    [
        "{0} slides as {2} data disappoints",
        "{3} warns on margins; {0} under pressure",
        "{0} falls after {1} cuts guidance",
        "Sellers press {0} as {2} worries grow",
        "{0} drops on {1} investigation report",
    ];

    private static readonly string[] Neutral =
    [
        "{0} little changed ahead of {2} report",
        "{0} drifts as traders await {3} commentary",
        "{1} meeting leaves {0} flat",
        "Mixed session for {0} as {2} numbers land in line",
    ];

    private static readonly string[] DataReleases = ["jobs", "inflation", "retail sales", "manufacturing", "consumer confidence", "housing"];

    private static readonly string[] Banks = ["Northbridge Capital", "Harbor & Finch", "Meridian Securities", "Atlas Partners", "Crestline Research"];

    public static string NewsId(string symbol, long minute) => $"{Source}:{symbol}:{minute}";

    /// <summary>
    /// Contracts quoted at the bid and at the ask: a depth growing with open interest, leaning to the bid of calls and the
    /// ask of puts as the underlying rises since the open (and the other way as it falls), with noise.
    /// </summary>
    private static (long Bid, long Ask) QuoteSizes(ref StableRandom random, long openInterest, OptionRight right, double drift)
    {
        var depth = 10 + Math.Sqrt(openInterest) * (0.5 + random.NextDouble());
        var lean = Math.Clamp(drift * 40, -0.6, 0.6) * (right == OptionRight.Call ? 1 : -1) + (0.15 * random.NextNormal());
        lean = Math.Clamp(lean, -0.8, 0.8);
        return ((long)Math.Round(depth * (1 + lean)), (long)Math.Round(depth * (1 - lean)));
    }

    public static ChainSnapshot Build(SimulatedMarket market, SimulatedMarket.SymbolPath path, long minute)
    {
        var options = market.Options;
        var state = path.StateAt(minute);
        var asOf = market.TimeOf(minute).AddSeconds(59);
        var date = market.DateOf(minute);
        path.NewDay(date);
        var day = minute / TradingCalendar.MinutesPerDay;
        var dayFraction = (minute % TradingCalendar.MinutesPerDay + 1) / (double)TradingCalendar.MinutesPerDay;
        var dynamics = RegimeDynamics.Of(state.Regime);
        var spot = Math.Round(state.Spot, 2);

        var quote = new UnderlyingQuote(path.Symbol, spot, Math.Round(spot - 0.01, 2), Math.Round(spot + 0.01, 2),
            Math.Round(state.DayOpen, 2), Math.Round(state.DayHigh, 2), Math.Round(state.DayLow, 2), Math.Round(state.PreviousClose, 2), state.DayVolume, asOf);

        // Sized to the last chain (strikes move a little within a day): a list of 4,096 slots was a 32 kB array a cycle for ~1,150 contracts.
        var contracts = new List<OptionContract>(path.LastChainSize > 0 ? path.LastChainSize + 64 : 1024);
        var drift = state.DayOpen > 0 ? (state.Spot / state.DayOpen) - 1 : 0;
        var step = StrikeStep(state.DayOpen);
        var walls = Walls.For(path, day, state.DayOpen, step);
        foreach (var expiry in Expiries(date))
        {
            var years = YearsToExpiry(asOf, expiry);
            var atm = AtmVol(state.ImpliedVolLevel, dynamics, years);
            var halfWidth = Math.Clamp(3 * atm * Math.Sqrt(Math.Max(years, 1.0 / 365)), 0.03, 0.25) * state.DayOpen;
            var isMonthly = expiry.Day is >= 15 and <= 21 && expiry.DayOfWeek == DayOfWeek.Friday;
            // Interest concentrates in the near expiries (and the monthlies); a 0DTE contract exists on its expiry day.
            var days = expiry.DayNumber - date.DayNumber;
            var expiryWeight = (isMonthly ? 2.0 : 1.0) * (0.3 + 1.4 * Math.Exp(-days / 12.0));
            foreach (var strike in Strikes(state.DayOpen, halfWidth, step))
            {
                foreach (var right in (ReadOnlySpan<OptionRight>)[OptionRight.Call, OptionRight.Put])
                {
                    var (occ, occHash) = path.Contract(expiry, right, strike);
                    var dayRandom = new StableRandom(StableRandom.Hash(path.Seed, occHash, day));
                    var minuteRandom = new StableRandom(StableRandom.Hash(path.Seed, occHash, minute));
                    var vol = SurfaceVol(atm, dynamics.Skew, spot, strike, years, options) * (1 + 0.01 * minuteRandom.NextNormal());
                    var theo = BlackScholes.Price(right, state.Spot, strike, years, options.RiskFreeRate, options.DividendYield, vol);
                    var (bid, ask) = Quote(theo);
                    var openInterest = OpenInterest(ref dayRandom, state.DayOpen, strike, atm, years, right, state.Regime, expiryWeight, walls);
                    var volume = (long)(openInterest * (expiry == date ? 0.8 : 0.15) * dayFraction * (0.5 + dayRandom.NextDouble()));
                    var (bidSize, askSize) = QuoteSizes(ref minuteRandom, openInterest, right, drift);
                    contracts.Add(new OptionContract(occ, path.Symbol, expiry, strike, right, bid, ask, volume > 0 ? Math.Round(theo, 2) : null,
                        volume, openInterest, Math.Round(vol, 4), null, asOf, BidSize: bidSize, AskSize: askSize));
                }
            }
        }

        var recent = Math.Min(options.RecentMinutes, (int)Math.Min(minute + 1, TradingCalendar.MinutesPerDay));
        var prints = new List<TradePrint>();
        var bars = new List<Bar>(recent);
        for (var k = minute - recent + 1; k <= minute; k++)
        {
            var at = path.StateAt(k);
            bars.Add(new Bar(path.Symbol, Bar.Minute, market.TimeOf(k), Math.Round(at.Open, 2), Math.Round(at.High, 2), Math.Round(at.Low, 2), Math.Round(at.Spot, 2), at.Volume));
            prints.AddRange(path.Memo(path.Prints, k, () => MinutePrints(market, path, at, k, options), keepMinutes: Math.Max(options.RecentMinutes, 1)));
        }

        path.LastChainSize = contracts.Count;
        var news = new List<NewsItem>();
        for (var i = path.News.Count - 1; i >= 0 && news.Count < 20; i--)
        {
            var item = path.News[i];
            if (item.Minute <= minute && item.Minute > minute - TradingCalendar.MinutesPerDay)
            {
                news.Add(path.Memo(path.Headlines, item.Minute, () => Headline(market, path.Symbol, item)));
            }
        }

        return new ChainSnapshot(path.Symbol, asOf, Source, quote, contracts, prints, bars, news, []);
    }

    /// <summary>The listed expiries on <paramref name="today"/>: the next five trading days (0DTE first) and every Friday up to 60 days.</summary>
    public static IEnumerable<DateOnly> Expiries(DateOnly today)
    {
        var last = today;
        for (var i = 0; i < 5; i++)
        {
            last = TradingCalendar.AddWeekdays(today, i);
            yield return last;
        }

        for (var date = last.AddDays(1); date <= today.AddDays(MaxDaysToExpiry); date = date.AddDays(1))
        {
            if (date.DayOfWeek == DayOfWeek.Friday)
            {
                yield return date;
            }
        }
    }

    /// <summary>Expiry is at the 21:00 UTC close; at least one minute is left so 0DTE still prices.</summary>
    public static double YearsToExpiry(DateTimeOffset asOf, DateOnly expiry) =>
        Math.Max((TradingCalendar.Close(expiry) - asOf).TotalDays, 1.0 / 1440) / 365.0;

    private static double StrikeStep(double spot) => spot switch
    {
        < 25 => 0.5,
        < 1000 => 1,
        _ => 5,
    };

    /// <summary>Every step within 5 % of the opening spot, every fifth step beyond, out to the half width.</summary>
    private static IEnumerable<double> Strikes(double dayOpen, double halfWidth, double step)
    {
        var low = Math.Max(step, Math.Ceiling((dayOpen - halfWidth) / step) * step);
        var high = dayOpen + halfWidth;
        var near = dayOpen * 0.05;
        for (var strike = low; strike <= high; strike = Math.Round(strike + step, 4))
        {
            var k = (long)Math.Round(strike / step);
            if (Math.Abs(strike - dayOpen) <= near || k % 5 == 0)
            {
                yield return strike;
            }
        }
    }

    /// <summary>ATM vol for a maturity: the 30-day level tilted by the regime's term slope (in square-root time).</summary>
    private static double AtmVol(double level, RegimeDynamics dynamics, double years) =>
        Math.Max(0.05, level * (1 + 0.5 * dynamics.TermSlope * (Math.Sqrt(years / (30 / 365.0)) - 1)));

    /// <summary>Skew and smile in standardised moneyness m = ln(K/F) / (σ√T), clamped to ±4.</summary>
    private static double SurfaceVol(double atm, double skew, double spot, double strike, double years, SimulatorOptions options)
    {
        var forward = spot * Math.Exp((options.RiskFreeRate - options.DividendYield) * years);
        var m = Math.Clamp(Math.Log(strike / forward) / (atm * Math.Sqrt(years)), -4, 4);
        return Math.Clamp(atm * (1 - 0.08 * skew * m + 0.025 * m * m), 0.05, 3.0);
    }

    /// <summary>Cents, at least a penny wide, about 4 % of the price (at most 50 cents); a bid of zero for worthless wings.</summary>
    private static (double? Bid, double? Ask) Quote(double theo)
    {
        var spread = Math.Clamp(Math.Round(theo * 0.04, 2), 0.01, 0.50);
        var bid = Math.Max(0, Math.Round(theo - spread / 2, 2));
        var ask = Math.Max(Math.Round(bid + spread, 2), 0.01);
        return (bid, ask);
    }

    /// <summary>
    /// Open interest for the day, shaped like a listed chain: a broad hump around the money, three times higher on round
    /// strikes (multiples of 10), puts heavier below spot and calls above (puts heavier still in a crash), and two
    /// concentrations where positions pile up — call interest at a round strike above the open (<see cref="Walls.Call"/>),
    /// put interest at one below (<see cref="Walls.Put"/>) — so the call wall, the put wall, max pain and zero gamma are
    /// distinct levels. They move from day to day with the anchors, and through the day as spot moves the gamma weights.
    /// </summary>
    private static long OpenInterest(ref StableRandom random, double dayOpen, double strike, double atm, double years, OptionRight right, MarketRegime regime, double expiryWeight, Walls walls)
    {
        var m = Math.Log(strike / dayOpen) / (atm * Math.Sqrt(Math.Max(years, 1.0 / 365)));
        var baseline = (years < 1.0 / 365 ? 300 : 1200) * Math.Exp(-0.5 * m * m / 2.25) + 150; // same-day contracts hold little at the money
        var round = strike % 10 == 0 ? 3.0 : strike % 5 == 0 ? 1.8 : 1.0;
        var side = right == OptionRight.Put ? (strike < dayOpen ? 1.4 : 0.5) : (strike > dayOpen ? 1.2 : 0.5);
        if (right == OptionRight.Put && regime is MarketRegime.Crash or MarketRegime.VolatileDowntrend)
        {
            side *= 1.5;
        }

        var anchor = right == OptionRight.Call ? walls.Call : walls.Put;
        var distance = (strike - anchor) / (walls.Width * dayOpen);
        var pile = 20_000 * Math.Exp(-0.5 * distance * distance);
        var noise = Math.Exp(0.35 * random.NextNormal());
        return (long)((baseline * round * side + pile) * expiryWeight * noise);
    }

    /// <summary>
    /// Where the day's call and put interest piles up: a round strike 1.5–4 % above the open for calls and 2–5 % below for
    /// puts, drawn per symbol and day (deterministic by seed), <see cref="Width"/> (fraction of spot) wide.
    /// </summary>
    private readonly record struct Walls(double Call, double Put, double Width)
    {
        public static Walls For(SimulatedMarket.SymbolPath path, long day, double dayOpen, double step)
        {
            var random = new StableRandom(StableRandom.Hash(path.Seed, path.Symbol + ":walls", day));
            var round = step * (dayOpen < 100 ? 5 : 10);
            var call = Math.Ceiling(dayOpen * (1 + 0.015 + 0.025 * random.NextDouble()) / round) * round;
            var put = Math.Floor(dayOpen * (1 - 0.02 - 0.03 * random.NextDouble()) / round) * round;
            return new Walls(call, Math.Max(step, put), 0.006);
        }
    }

    /// <summary>
    /// The minute's option prints (built once per minute and remembered for the snapshots that carry it). A share of the traders lean with the informed flow: bullish ones buy calls or sell puts,
    /// bearish ones the reverse, so the aggressor-signed flow carries the lead on the next minutes' returns.
    /// </summary>
    private static List<TradePrint> MinutePrints(SimulatedMarket market, SimulatedMarket.SymbolPath path, SimulatedMarket.MinuteState state, long minute, SimulatorOptions options)
    {
        var prints = new List<TradePrint>();
        var random = new StableRandom(StableRandom.Hash(path.Seed, path.Symbol, minute, 1));
        var dynamics = RegimeDynamics.Of(state.Regime);
        var count = random.NextPoisson(Math.Clamp(6 * dynamics.Volatility / 0.15, 2, 30));
        var date = market.DateOf(minute);
        var expiries = Expiries(date).Take(4).ToArray();
        var start = market.TimeOf(minute);
        var step = StrikeStep(state.DayOpen);
        var bullishOdds = 0.5 + 0.25 * Math.Tanh(state.Flow);
        for (var i = 0; i < count; i++)
        {
            var pick = random.NextDouble();
            var expiry = expiries[pick < 0.4 ? 0 : pick < 0.65 ? 1 : pick < 0.85 ? 2 : 3];
            var bullish = random.NextDouble() < bullishOdds;
            var right = random.NextDouble() < 0.55 ? OptionRight.Call : OptionRight.Put;
            var side = bullish == (right == OptionRight.Call) ? AggressorSide.Buy : AggressorSide.Sell;
            var strike = Math.Max(step, Math.Round(state.Spot * (1 + 0.015 * random.NextNormal()) / step) * step);
            var time = start.AddSeconds(random.Next(60));
            var years = YearsToExpiry(time, expiry);
            var atm = AtmVol(state.ImpliedVolLevel, dynamics, years);
            var theo = BlackScholes.Price(right, state.Spot, strike, years, options.RiskFreeRate, options.DividendYield, SurfaceVol(atm, dynamics.Skew, state.Spot, strike, years, options));
            var (bid, ask) = Quote(theo);
            var price = side == AggressorSide.Buy ? ask!.Value : bid!.Value;
            if (price <= 0)
            {
                continue;
            }

            var size = random.NextDouble() < 0.02 ? 500 + random.Next(2500) : Math.Max(1, (long)Math.Exp(1.5 + 1.2 * random.NextNormal()));
            prints.Add(new TradePrint(OccSymbol.Format(path.Symbol, expiry, right, strike), price, size, side, time));
        }

        return prints;
    }

    private static NewsItem Headline(SimulatedMarket market, string symbol, SimulatedMarket.NewsEvent item)
    {
        // Only the two data sets a headline uses, sharing one seeded randomizer as a Faker's would: a Faker builds all
        // twenty-odd (addresses, MIME types, …), ~140 ms for the first one in a process — a one-shot `analyze` paid it.
        var random = new Randomizer((int)(item.TextSeed & 0x7FFFFFFF));
        var companies = new Bogus.DataSets.Company { Random = random };
        var names = new Bogus.DataSets.Name { Random = random };
        var templates = item.Tone > 0.25 ? Positive : item.Tone < -0.25 ? Negative : Neutral;
        var company = companies.CompanyName();
        var release = random.ArrayElement(DataReleases);
        var bank = random.ArrayElement(Banks);
        var headline = string.Format(System.Globalization.CultureInfo.InvariantCulture, random.ArrayElement(templates), symbol, company, release, bank);
        var summary = $"{names.FullName()}, {names.JobTitle().ToLowerInvariant()} at {bank}, commented on {release} figures and {company}.";
        var id = NewsId(symbol, item.Minute);
        return new NewsItem(id, headline, summary, random.ArrayElement(Sources), null, market.TimeOf(item.Minute).AddSeconds(random.Int(0, 59)), [symbol]);
    }
}
