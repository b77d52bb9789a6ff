using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HuiHui.Host.Live;

/// <summary>What a page hears: enough to show the change at once; the page then fetches its refreshed panel.</summary>
public sealed record AnalysisPush(string Symbol, Guid CycleId, DateTimeOffset AsOf, string Bias, double Conviction);

/// <summary>Sends each <see cref="AnalysisCompleted"/> to the overview and to that symbol's pages, as it happens (server-driven).</summary>
internal sealed class AnalysisBroadcaster(IHubContext<AnalysisHub> hub) : IHostListener<AnalysisCompleted>
{
    public async ValueTask OnAsync(AnalysisCompleted notification, CancellationToken cancellationToken)
    {
        var push = new AnalysisPush(notification.Symbol, notification.CycleId, notification.AsOf, notification.Bias.ToString(), notification.Conviction);
        await hub.Clients.Groups(AnalysisHub.OverviewGroup, AnalysisHub.SymbolGroup(notification.Symbol))
            .SendAsync(AnalysisHub.AnalysisCompletedMethod, push, cancellationToken);
    }
}

/// <summary>Sends each <see cref="BacktestUpdated"/> to the Backtests page, which then fetches its refreshed runs.</summary>
internal sealed class BacktestBroadcaster(IHubContext<AnalysisHub> hub) : IHostListener<BacktestUpdated>
{
    public async ValueTask OnAsync(BacktestUpdated notification, CancellationToken cancellationToken) =>
        await hub.Clients.Group(AnalysisHub.BacktestsGroup).SendAsync(AnalysisHub.BacktestUpdatedMethod, notification, cancellationToken);
}

/// <summary>
/// Sends each <see cref="MarketAlertRaised"/> to the users subscribed to its symbol and kind (every open page of theirs:
/// SignalR's user is the hub login's id), who see it at once.
/// </summary>
internal sealed class MarketAlertBroadcaster(IHubContext<AnalysisHub> hub, IServiceScopeFactory scopes) : IHostListener<MarketAlertRaised>
{
    public async ValueTask OnAsync(MarketAlertRaised notification, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>()
            .Send(new GetAlertSubscribers(notification.Alert.Symbol, notification.Alert.Kind), cancellationToken);
        if (users.Count > 0)
        {
            await hub.Clients.Users(users).SendAsync(AnalysisHub.MarketAlertMethod, notification.Alert, cancellationToken);
        }
    }
}
