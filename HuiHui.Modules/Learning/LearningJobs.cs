using System.ComponentModel;
using HuiHui.Modules.Learning.Contracts;
using Mediator;
using Microsoft.Extensions.Configuration;

namespace HuiHui.Modules.Learning;

/// <summary>Hangfire entry points of the module.</summary>
internal sealed class LearningJobs(IMediator mediator, IConfiguration configuration)
{
    public const string LabelsId = "learning:labels";

    /// <summary>Horizons from <c>HuiHui:Learning:LabelHorizons</c> (default 15 minutes and 1 day).</summary>
    [DisplayName("Generate outcome labels and refresh the expert scorecards")]
    public async Task<string> LabelsAsync(CancellationToken cancellationToken)
    {
        var configured = configuration.GetSection("HuiHui:Learning:LabelHorizons").Get<TimeSpan[]>();
        var horizons = configured is { Length: > 0 } ? configured : [TimeSpan.FromMinutes(15), TimeSpan.FromDays(1)];
        var results = new List<string>();
        foreach (var horizon in horizons)
        {
            var report = await mediator.Send(new GenerateLabels(horizon), cancellationToken);
            var cards = await mediator.Send(new RefreshScorecards(horizon), cancellationToken);
            results.Add($"{horizon}: {report.Labelled} labelled, {report.WaitingForPrices} waiting; " +
                string.Join(", ", cards.Where(c => c.Regime is null).Select(c => $"{c.Expert} {c.HitRate:P0} of {c.Examples}")));
        }

        return string.Join("; ", results);
    }
}
