using System.Collections.Concurrent;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary>
/// The built-in market: for each symbol a price path driven by a hidden regime (a Markov chain over
/// <see cref="MarketRegime"/>), a hidden informed flow that leads the next minutes' returns and shows up in the
/// aggressor side of trade prints, and headlines whose tone leans toward the coming drift.
/// Minute <c>n</c> of a symbol depends only on the seed, the symbol and <c>n</c>: the same seed gives the same market
/// however often it is asked. The simulated clock runs <see cref="SimulatorOptions.Acceleration"/> times real time;
/// minute 0 is <see cref="SimulatorOptions.HistoryDays"/> trading days before the start, so history exists at once.
/// </summary>
internal sealed class SimulatedMarket
{
    private readonly SimulatorOptions options;
    private readonly TimeProvider time;
    private readonly DateTimeOffset origin;
    private readonly ConcurrentDictionary<string, SymbolPath> paths = new(StringComparer.OrdinalIgnoreCase);

    public SimulatedMarket(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        origin = time.GetUtcNow();
        StartDate = TradingCalendar.OnOrAfter(this.options.StartDate ?? DateOnly.FromDateTime(origin.UtcDateTime));
        FirstDay = TradingCalendar.AddWeekdays(StartDate, -this.options.HistoryDays);
    }

    /// <summary>The trading day the clock started on.</summary>
    public DateOnly StartDate { get; }

    /// <summary>The trading day of minute 0.</summary>
    public DateOnly FirstDay { get; }

    public SimulatorOptions Options => options;

    /// <summary>The simulated minute now.</summary>
    public long CurrentMinute =>
        (long)options.HistoryDays * TradingCalendar.MinutesPerDay + (long)Math.Floor((time.GetUtcNow() - origin).TotalMinutes * options.Acceleration);

    public DateOnly DateOf(long minute) => TradingCalendar.AddWeekdays(FirstDay, (int)(minute / TradingCalendar.MinutesPerDay));

    /// <summary>The start of simulated minute <paramref name="minute"/>.</summary>
    public DateTimeOffset TimeOf(long minute) =>
        new DateTimeOffset(DateOf(minute).ToDateTime(TradingCalendar.Open), TimeSpan.Zero).AddMinutes(minute % TradingCalendar.MinutesPerDay);

    /// <summary>
    /// The first simulated minute whose snapshot (stamped at the minute's last second) is at or after <paramref name="time"/>:
    /// a time between sessions gives the next session's first minute. Null before minute 0 is within reach.
    /// </summary>
    public long MinuteAtOrAfter(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime().AddSeconds(-59);
        var date = DateOnly.FromDateTime(utc.UtcDateTime);
        var sinceOpen = (utc - new DateTimeOffset(date.ToDateTime(TradingCalendar.Open), TimeSpan.Zero)).TotalMinutes;
        if (!TradingCalendar.IsWeekday(date) || sinceOpen > TradingCalendar.MinutesPerDay - 1)
        {
            date = TradingCalendar.OnOrAfter(date.AddDays(1));
            sinceOpen = 0;
        }

        var days = date < FirstDay ? -TradingCalendar.WeekdaysBetween(date, FirstDay) : TradingCalendar.WeekdaysBetween(FirstDay, date);
        return (long)days * TradingCalendar.MinutesPerDay + (long)Math.Ceiling(Math.Max(0, sinceOpen));
    }

    /// <summary>
    /// Completed daily bars of the symbol's path up to <paramref name="minute"/>, with days before <paramref name="before"/>
    /// only: what was known at that minute. Advances the path; lock-free callers must not share the market.
    /// </summary>
    public IReadOnlyList<Bar> DailyBarsAt(string symbol, long minute, DateTimeOffset before, int days)
    {
        var path = Path(symbol);
        lock (path)
        {
            path.AdvanceTo(minute);
            var from = before.AddDays(-days);
            return path.DailyBars.Where(b => b.Start >= from && b.Start < before).ToList();
        }
    }

    /// <summary>The snapshot at the current simulated minute.</summary>
    public ChainSnapshot Snapshot(string symbol) => Snapshot(symbol, CurrentMinute);

    public ChainSnapshot Snapshot(string symbol, long minute)
    {
        var path = Path(symbol);
        lock (path)
        {
            path.AdvanceTo(minute);
            return SimulatedChain.Build(this, path, minute);
        }
    }

    /// <summary>Completed daily bars with dates in [<paramref name="from"/>, <paramref name="to"/>] up to now.</summary>
    public IReadOnlyList<Bar> DailyBars(string symbol, DateOnly from, DateOnly to)
    {
        var path = Path(symbol);
        lock (path)
        {
            path.AdvanceTo(CurrentMinute);
            return path.DailyBars.Where(b => DateOnly.FromDateTime(b.Start.UtcDateTime) is var d && d >= from && d <= to).ToList();
        }
    }

    /// <summary>Test and diagnostics only: what the experts are meant to infer. Never feed this to them.</summary>
    public SimulationTruth GroundTruth(string symbol, long? minute = null)
    {
        var path = Path(symbol);
        lock (path)
        {
            var at = minute ?? CurrentMinute;
            path.AdvanceTo(at);
            var state = path.StateAt(at);
            return new SimulationTruth(at, TimeOf(at), state.Regime, state.Flow, state.Spot,
                path.News.Where(n => n.Minute <= at).Select(n => new HeadlineTruth(SimulatedChain.NewsId(path.Symbol, n.Minute), n.Tone)).ToList());
        }
    }

    /// <summary>The symbol's path itself, for tests that walk it minute by minute; lock it.</summary>
    internal SymbolPath Path(string symbol) => paths.GetOrAdd(symbol.ToUpperInvariant(), s => new SymbolPath(s, options.Seed, this));

    /// <summary>One minute of a symbol's path: the close, the minute bar, the hidden state and the day's running figures.</summary>
    internal readonly record struct MinuteState(
        long Minute, double Spot, double Open, double High, double Low, long Volume, MarketRegime Regime, double Flow, double ImpliedVolLevel,
        double DayOpen, double DayHigh, double DayLow, long DayVolume, double PreviousClose);

    internal readonly record struct NewsEvent(long Minute, double Tone, ulong TextSeed);

    /// <summary>The path of one symbol, advanced minute by minute from minute 0. Not thread-safe: lock it.</summary>
    internal sealed class SymbolPath
    {
        private const double MinuteYears = 1.0 / (252 * TradingCalendar.MinutesPerDay);
        private const double FlowPersistence = 0.98;

        /// <summary>How much of a minute's volatility the previous minute's informed flow explains (a slight lead).</summary>
        private const double FlowLead = 0.12;

        private readonly MinuteState[] ring = new MinuteState[TradingCalendar.MinutesPerDay];
        private readonly SimulatedMarket market;
        private StableRandom random;
        private long minute = -1;
        private double price;
        private double flow;
        private double anchor;
        private double impliedVolLevel;
        private MarketRegime regime;
        private double dayOpen;
        private double dayHigh;
        private double dayLow;
        private long dayVolume;
        private double previousClose;

        public SymbolPath(string symbol, long seed, SimulatedMarket market)
        {
            Symbol = symbol;
            this.market = market;
            random = new StableRandom(StableRandom.Hash(seed, symbol));
            Seed = seed;
            price = StartPrice(symbol, seed);
            anchor = price;
            previousClose = price;
            regime = (MarketRegime)(random.Next(3)); // start in one of the three ordinary regimes
            impliedVolLevel = RegimeDynamics.Of(regime).ImpliedVolLevel;
            BaseMinuteVolume = 20_000 + (long)(StableRandom.Hash(seed, symbol, 1) % 180_000);
        }

        public string Symbol { get; }

        public long Seed { get; }

        public long BaseMinuteVolume { get; }

        public List<Bar> DailyBars { get; } = [];

        public List<NewsEvent> News { get; } = [];

        /// <summary>Each minute's prints, built once: a snapshot carries the last <see cref="SimulatorOptions.RecentMinutes"/> of them.</summary>
        public Dictionary<long, List<TradePrint>> Prints { get; } = [];

        /// <summary>How many contracts the last chain built for this symbol listed: the next one's list is sized to it.</summary>
        public int LastChainSize { get; set; }

        /// <summary>Each headline's text, written once (by minute of the news event).</summary>
        public Dictionary<long, NewsItem> Headlines { get; } = [];

        private readonly Dictionary<(DateOnly, OptionRight, double), (string Occ, ulong Hash)> contracts = [];
        private DateOnly contractsDay;

        /// <summary>A listed contract's OCC symbol and the hash of it that seeds its noise; kept for the expiry's life.</summary>
        public (string Occ, ulong Hash) Contract(DateOnly expiry, OptionRight right, double strike)
        {
            if (!contracts.TryGetValue((expiry, right, strike), out var contract))
            {
                var occ = OccSymbol.Format(Symbol, expiry, right, strike);
                contract = (occ, StableRandom.TextHash(occ));
                contracts[(expiry, right, strike)] = contract;
            }

            return contract;
        }

        /// <summary>
        /// The remembered value of <paramref name="key"/> (a minute), else built and remembered; entries more than
        /// <paramref name="keepMinutes"/> older than the path's current minute are forgotten, so the memory stays that
        /// window's worth (a forgotten minute asked again is built again, the same: its randomness is seeded by the minute).
        /// </summary>
        public T Memo<T>(Dictionary<long, T> memo, long key, Func<T> build, int keepMinutes = TradingCalendar.MinutesPerDay)
        {
            if (!memo.TryGetValue(key, out var value))
            {
                value = build();
                memo[key] = value;
                if (memo.Count > 2 * keepMinutes)
                {
                    foreach (var old in memo.Keys.Where(k => k < minute - keepMinutes).ToList())
                    {
                        memo.Remove(old);
                    }
                }
            }

            return value;
        }

        /// <summary>Forgets the contracts of expiries already past on <paramref name="today"/>.</summary>
        public void NewDay(DateOnly today)
        {
            if (today == contractsDay)
            {
                return;
            }

            contractsDay = today;
            foreach (var key in contracts.Keys.Where(k => k.Item1 < today).ToList())
            {
                contracts.Remove(key);
            }
        }

        /// <summary>The last simulated minute.</summary>
        public long Minute => minute;

        public MinuteState StateAt(long at)
        {
            if (at > minute || at < 0 || at <= minute - ring.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(at), at, $"minute {at} is not within the last {ring.Length} simulated minutes of {Symbol}");
            }

            return ring[at % ring.Length];
        }

        public void AdvanceTo(long target)
        {
            if (target < minute - ring.Length + 1)
            {
                throw new ArgumentOutOfRangeException(nameof(target), target, "the simulator keeps one trading day of minute state; earlier minutes are history");
            }

            while (minute < target)
            {
                Step();
            }
        }

        private void Step()
        {
            minute++;
            var minuteOfDay = (int)(minute % TradingCalendar.MinutesPerDay);
            var dynamics = RegimeDynamics.Of(regime);
            if (random.NextDouble() < 1.0 / dynamics.MeanMinutes)
            {
                regime = NextRegime(regime, random.NextDouble());
                anchor = price;
                dynamics = RegimeDynamics.Of(regime);
            }

            var shock = random.NextNormal();
            var sigma = dynamics.Volatility * Math.Sqrt(MinuteYears);
            var logReturn = (dynamics.Drift - 0.5 * dynamics.Volatility * dynamics.Volatility) * MinuteYears
                + sigma * (shock + FlowLead * flow)
                - dynamics.MeanReversion * Math.Log(price / anchor) * MinuteYears;
            if (random.NextDouble() < dynamics.JumpsPerDay / TradingCalendar.MinutesPerDay)
            {
                logReturn += dynamics.JumpMean * (1 + 0.5 * random.NextNormal());
            }

            flow = FlowPersistence * flow + Math.Sqrt(1 - FlowPersistence * FlowPersistence) * random.NextNormal();
            var open = price;
            price = Math.Max(0.5, price * Math.Exp(logReturn));
            var high = Math.Max(open, price) * (1 + Math.Abs(random.NextNormal()) * sigma * 0.3);
            var low = Math.Min(open, price) * (1 - Math.Abs(random.NextNormal()) * sigma * 0.3);
            var volume = (long)(BaseMinuteVolume * (0.6 + 0.8 * random.NextDouble()) * (1 + 0.5 * Math.Abs(shock)) * (dynamics.Volatility / 0.15));

            // Implied volatility follows the regime's level, lifted by what was realised.
            var realised = Math.Abs(logReturn) / Math.Sqrt(MinuteYears) * 0.8;
            impliedVolLevel += 0.02 * (0.85 * dynamics.ImpliedVolLevel + 0.15 * realised - impliedVolLevel);

            if (minuteOfDay == 0)
            {
                previousClose = open;
                dayOpen = open;
                dayHigh = high;
                dayLow = low;
                dayVolume = 0;
            }

            dayHigh = Math.Max(dayHigh, high);
            dayLow = Math.Min(dayLow, low);
            dayVolume += volume;

            if (random.NextDouble() < 1.0 / 45)
            {
                // Tone leans toward the regime's drift and the informed flow, both of which lead returns, plus noise.
                var tone = 0.45 * Math.Tanh(dynamics.Drift / 0.4) + 0.35 * Math.Tanh(flow) + 0.4 * random.NextNormal();
                News.Add(new NewsEvent(minute, tone, random.NextULong()));
                if (News.Count > 200)
                {
                    News.RemoveRange(0, 100);
                }
            }

            ring[minute % ring.Length] = new MinuteState(minute, price, open, high, low, volume, regime, flow, impliedVolLevel,
                dayOpen, dayHigh, dayLow, dayVolume, previousClose);

            if (minuteOfDay == TradingCalendar.MinutesPerDay - 1)
            {
                var date = market.DateOf(minute);
                DailyBars.Add(new Bar(Symbol, Bar.Daily, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    Math.Round(dayOpen, 2), Math.Round(dayHigh, 2), Math.Round(dayLow, 2), Math.Round(price, 2), dayVolume));
            }
        }

        private static MarketRegime NextRegime(MarketRegime from, double draw)
        {
            var exits = RegimeDynamics.Exits(from);
            var total = exits.Sum(e => e.Weight);
            var cumulative = 0.0;
            foreach (var (next, weight) in exits)
            {
                cumulative += weight / total;
                if (draw < cumulative)
                {
                    return next;
                }
            }

            return exits[^1].Next;
        }

        private static double StartPrice(string symbol, long seed) => symbol switch
        {
            "SPY" => 500,
            "QQQ" => 420,
            "IWM" => 200,
            "SPX" => 5000,
            _ => 20 + StableRandom.Hash(seed, symbol, 2) % 480,
        };
    }
}

/// <summary>What the simulator hid at a minute. Diagnostics and tests only.</summary>
internal sealed record SimulationTruth(long Minute, DateTimeOffset Time, MarketRegime Regime, double InformedFlow, double Spot, IReadOnlyList<HeadlineTruth> Headlines);

/// <summary>A simulated headline's planted tone: above +0.25 written positive, below −0.25 negative, else neutral.</summary>
internal sealed record HeadlineTruth(string NewsId, double Tone);
