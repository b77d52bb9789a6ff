using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// <c>HuiHui:Monitoring:Retention</c>: days kept for the tables that are not time series (0 keeps everything). The time
/// series (expert responses, option quotes, intraday bars, stats, heartbeats, feature vectors) have their windows under
/// <c>HuiHui:Retention:Days</c>.
/// </summary>
internal sealed class AlertRetentionOptions
{
    public const string Section = "HuiHui:Monitoring:Retention";

    /// <summary>Resolved alerts (open ones are never deleted).</summary>
    [Range(0, 36500)]
    public int ResolvedAlertsDays { get; set; } = 90;
}
