using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary><c>HuiHui:Ingestion:Simulated</c>: the built-in market.</summary>
internal sealed class SimulatorOptions
{
    /// <summary>The same seed gives the same market, minute by minute.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Simulated seconds per real second: 1 is real time, 60 is one simulated minute per second.</summary>
    [Range(0.01, 3600)]
    public double Acceleration { get; set; } = 60;

    /// <summary>The simulated trading day the clock starts on; default the real date at start.</summary>
    public DateOnly? StartDate { get; set; }

    /// <summary>Trading days simulated before the start, so history (daily bars, realised volatility) exists at once.</summary>
    [Range(5, 2000)]
    public int HistoryDays { get; set; } = 260;

    /// <summary>Continuously compounded risk-free rate used to price the chain.</summary>
    [Range(-0.05, 0.5)]
    public double RiskFreeRate { get; set; } = 0.04;

    /// <summary>Continuous dividend yield used to price the chain.</summary>
    [Range(0, 0.5)]
    public double DividendYield { get; set; } = 0.013;

    /// <summary>Minutes of trade prints and minute bars a snapshot carries.</summary>
    [Range(1, 390)]
    public int RecentMinutes { get; set; } = 30;
}
