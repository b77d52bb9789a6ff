using System.Threading.Channels;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Cache;

/// <summary>
/// Raises and resolves the cache's alerts through Monitoring's contract, in order and off the caller's path
/// (a cache read must never wait on, or fail because of, the alert table).
/// </summary>
internal sealed partial class CacheAlerts : IDisposable
{
    public const string Source = "cache";

    private readonly Channel<ICommand> pending = Channel.CreateUnbounded<ICommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<CacheAlerts> logger;
    private readonly Task sender;

    public CacheAlerts(IServiceScopeFactory scopes, ILogger<CacheAlerts> logger)
    {
        this.scopes = scopes;
        this.logger = logger;
        sender = Task.Run(SendAllAsync);
    }

    public void Raise(string code, string message) => pending.Writer.TryWrite(new RaiseAlert(Source, code, AlertSeverity.Warning, message));

    public void Resolve(string code) => pending.Writer.TryWrite(new ResolveAlert(Source, code));

    public void Dispose()
    {
        pending.Writer.TryComplete();
        sender.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task SendAllAsync()
    {
        await foreach (var command in pending.Reader.ReadAllAsync())
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
            }
            catch (Exception exception)
            {
                LogAlertFailed(logger, exception, command.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record cache alert ({Command})")]
    private static partial void LogAlertFailed(ILogger logger, Exception exception, string command);
}
