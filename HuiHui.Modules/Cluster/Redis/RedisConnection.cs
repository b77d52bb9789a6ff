using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HuiHui.Modules.Cluster.Redis;

/// <summary>
/// The node's Redis connection (<c>ConnectionStrings:Redis</c>), opened on first use and never given up on: it does not
/// fail when Redis is down at start (<c>abortConnect=false</c>), reconnects by itself, and fails commands fast while down
/// instead of queueing them (the analysis never waits on Redis).
/// </summary>
internal sealed partial class RedisConnection(IConfiguration configuration, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    public const string ConnectionStringName = Contracts.ClusterRedis.ConnectionStringName;

    private readonly SemaphoreSlim opening = new(1, 1);
    private ConnectionMultiplexer? multiplexer;

    /// <summary>A Redis connection string is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName));

    /// <summary>Connected right now.</summary>
    public bool IsConnected => multiplexer?.IsConnected == true;

    public async Task<ConnectionMultiplexer> GetAsync()
    {
        if (multiplexer is { } open)
        {
            return open;
        }

        await opening.WaitAsync();
        try
        {
            if (multiplexer is null)
            {
                var connectionString = configuration.GetConnectionString(ConnectionStringName)
                    ?? throw new MissingConnectionStringException(ConnectionStringName, $"Set ConnectionStrings__{ConnectionStringName} (./huihui.sh cluster up starts a local Redis) or turn HuiHui:Cluster:Enabled off.");
                multiplexer = await ConnectionMultiplexer.ConnectAsync(Contracts.ClusterRedis.Options(connectionString));
                multiplexer.ConnectionFailed += (_, e) => LogLost(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
                multiplexer.ConnectionRestored += (_, e) => LogRestored(logger, e.EndPoint?.ToString() ?? "?");
            }

            return multiplexer;
        }
        finally
        {
            opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (multiplexer is { } open)
        {
            await open.DisposeAsync();
        }

        opening.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} lost ({Failure}); reconnecting")]
    private static partial void LogLost(ILogger logger, string endpoint, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    private static partial void LogRestored(ILogger logger, string endpoint);
}
