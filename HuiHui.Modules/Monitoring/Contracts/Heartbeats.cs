using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;


/// <summary>Each component's last beat (this process) and its uptime over the last <paramref name="Window"/> from <c>uptime_logs</c>.</summary>
public sealed record GetUptime(TimeSpan Window) : IQuery<IReadOnlyList<ComponentUptime>>;

/// <param name="Component">The component.</param>
/// <param name="LastBeat">Its last beat in this process, if any.</param>
/// <param name="Status">The status of that beat.</param>
/// <param name="Detail">Its detail.</param>
/// <param name="MinutesUp">Minutes of the window with a beat.</param>
/// <param name="MinutesObserved">Minutes of the window since the component's first logged beat in it.</param>
public sealed record ComponentUptime(string Component, DateTimeOffset? LastBeat, string? Status, string? Detail, int MinutesUp, int MinutesObserved)
{
    /// <summary>Share of observed minutes with a beat, 0–1 (1 when nothing observed yet).</summary>
    public double Ratio => MinutesObserved == 0 ? 1 : Math.Min(1, (double)MinutesUp / MinutesObserved);
}
