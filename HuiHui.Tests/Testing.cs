using Hangfire;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests;

/// <summary>
/// Once per run: a fresh database on the suite's PostgreSQL, migrated through the product's own
/// <see cref="MigrateDatabases"/> command, and one host on it. Tests reset it with <see cref="ResetStateAsync"/>.
/// </summary>
[SetUpFixture]
public sealed class Testing
{
    private static HuiHuiFactory? factory;
    private static DatabaseResetter? resetter;

    public static string ConnectionString { get; private set; } = "";

    /// <summary>The embedding model of the suite's hosts: the hashed one (fast, deterministic); see SentenceModelTests for the default.</summary>
    public const string EmbeddingModel = "huihui-hashed-ngram-384-v1";

    internal static HuiHuiFactory Factory => factory ?? throw new InvalidOperationException("The Testing set-up fixture has not run.");

    [OneTimeSetUp]
    public async Task RunBeforeAnyTests()
    {
        ConnectionString = await TestDatabase.CreateAsync("huihui_test");
        factory = new HuiHuiFactory(ConnectionString);
        await SendAsync(new MigrateDatabases());
        resetter = await DatabaseResetter.CreateAsync(ConnectionString);
    }

    [OneTimeTearDown]
    public async Task RunAfterAnyTests()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        if (ConnectionString.Length > 0)
        {
            await TestDatabase.DropAsync(ConnectionString);
        }

        if (Directory.Exists(Cache.CacheHarness.RunFolder))
        {
            Directory.Delete(Cache.CacheHarness.RunFolder, recursive: true);
        }
    }

    /// <summary>
    /// Empties the module tables, once the shared host's analysis queue is idle (an analysis a test's ingest queued would
    /// otherwise write into the next test's empty tables).
    /// </summary>
    public static async Task ResetStateAsync()
    {
        if (factory is not null)
        {
            await factory.Services.GetRequiredService<HuiHui.Modules.Experts.Orchestration.AnalysisQueue>().WhenIdleAsync(TimeSpan.FromSeconds(30));
        }

        if (resetter is not null)
        {
            await resetter.ResetAsync();
        }
    }

    public static async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    public static async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    public static async Task<TEntity?> FindAsync<TContext, TEntity>(params object[] keyValues)
        where TContext : DbContext
        where TEntity : class
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TContext>().FindAsync<TEntity>(keyValues);
    }

    public static async Task InsertAsync<TContext>(params object[] entities)
        where TContext : DbContext
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        context.AddRange(entities);
        await context.SaveChangesAsync();
    }

    public static async Task<T> QueryAsync<TContext, T>(Func<TContext, Task<T>> query)
        where TContext : DbContext
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }
}

/// <summary>
/// Base for tests that touch the database: each starts from empty module tables, and with Hangfire logging to the shared
/// host (Hangfire keeps its log provider in a static that the last host to start sets; the suite starts and disposes
/// several hosts, and a client built on a disposed one's logging fails).
/// </summary>
public abstract class DatabaseTest
{
    [SetUp]
    public Task ResetDatabase()
    {
        GlobalConfiguration.Configuration.UseLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(
            Testing.Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        return Testing.ResetStateAsync();
    }
}
