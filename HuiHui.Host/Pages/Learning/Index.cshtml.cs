using System.Text.Json;
using HuiHui.Host.Identity;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages.Learning;

/// <summary>Checkpoints and their metrics, the active ones, expert scorecards now and over time; admins activate or roll back.</summary>
internal sealed partial class IndexModel(IMediator mediator, IConfiguration configuration, ILogger<IndexModel> logger) : PageModel
{
    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web);

    public TimeSpan Horizon { get; private set; }

    public IReadOnlyList<CheckpointInfo> Checkpoints { get; private set; } = [];

    public IReadOnlyList<ExpertScorecard> Scorecards { get; private set; } = [];

    public string HistoryJson { get; private set; } = "[]";

    /// <summary>The idea gate's recent trainings, newest first (the active one among them).</summary>
    public IReadOnlyList<IdeaGateReport> IdeaGates { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    /// <summary>The first-run fill's progress (state <c>none</c> when it has not run in this process).</summary>
    public FirstRunStatus FirstRun { get; private set; } = FirstRunStatus.None;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Horizon = configuration.GetValue("HuiHui:Learning:TrainingHorizon", TimeSpan.FromMinutes(15));
        FirstRun = await mediator.Send(new GetFirstRunStatus(), cancellationToken);
        Checkpoints = await mediator.Send(new GetCheckpoints(Count: 100), cancellationToken);
        Scorecards = await mediator.Send(new GetExpertScorecards(Horizon), cancellationToken);
        var history = await mediator.Send(new GetScorecardHistory(Horizon, 30), cancellationToken);
        IdeaGates = await mediator.Send(new GetIdeaGates(5), cancellationToken);
        HistoryJson = JsonSerializer.Serialize(history.Select(d => new { day = d.Day.ToString("yyyy-MM-dd"), d.Expert, d.Examples, d.HitRate }), ChartJson);
    }

    /// <summary>The first-run panel alone, refreshed on every pushed analysis while the fill runs.</summary>
    public async Task<IActionResult> OnGetFirstRunAsync(CancellationToken cancellationToken)
    {
        FirstRun = await mediator.Send(new GetFirstRunStatus(), cancellationToken);
        return Partial("_FirstRun", this);
    }

    /// <summary>Promote a candidate or roll back to an older checkpoint (admins). A checkpoint that cannot be loaded is refused.</summary>
    public async Task<IActionResult> OnPostActivateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(HubRoles.Admin))
        {
            return Forbid();
        }

        try
        {
            var activated = await mediator.Send(new ActivateCheckpoint(id), cancellationToken);
            Message = $"{activated.Kind} checkpoint {activated.Id.ToString()[..8]} is now active.";
            LogActivated(logger, User.Identity?.Name, activated.Kind, activated.Id);
        }
        catch (RefusedRequestException refused)
        {
            Message = $"Not activated: {refused.Message}";
        }

        return RedirectToPage();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learning: {Admin} activated {Kind} checkpoint {Id}")]
    private static partial void LogActivated(ILogger logger, string? admin, string kind, Guid id);
}
