using HuiHui.Host.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace HuiHui.Host.Live;

/// <summary>
/// Pushes each completed analysis to the pages showing it: the overview group gets every symbol, a symbol's group
/// only that symbol; the backtests group hears the hub's backtests progress. Clients join after connecting (and again
/// after a reconnect).
/// </summary>
[Authorize(Policy = HubRoles.Analyst)]
internal sealed class AnalysisHub : Hub
{
    public const string Path = "/hubs/analysis";
    public const string OverviewGroup = "overview";
    public const string AnalysisCompletedMethod = "analysisCompleted";
    public const string BacktestsGroup = "backtests";
    public const string BacktestUpdatedMethod = "backtestUpdated";

    /// <summary>A market alert, sent to the users subscribed to it (not to a group).</summary>
    public const string MarketAlertMethod = "marketAlert";

    public static string SymbolGroup(string symbol) => $"symbol:{symbol.ToUpperInvariant()}";

    public Task WatchOverview() => Groups.AddToGroupAsync(Context.ConnectionId, OverviewGroup);

    /// <summary>The Backtests page: every hub backtest's progress and end.</summary>
    public Task WatchBacktests() => Groups.AddToGroupAsync(Context.ConnectionId, BacktestsGroup);

    public Task WatchSymbol(string symbol)
    {
        if (string.IsNullOrWhiteSpace(symbol) || symbol.Length > 16)
        {
            throw new HubException("symbol must be 1 to 16 characters");
        }

        return Groups.AddToGroupAsync(Context.ConnectionId, SymbolGroup(symbol));
    }
}
