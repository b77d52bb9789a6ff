using System.Threading.Channels;
using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RecordStageLatenciesValidator : AbstractValidator<RecordStageLatencies>
{
    public RecordStageLatenciesValidator()
    {
        RuleFor(c => c.Symbol).NotEmpty().MaximumLength(16);
        RuleForEach(c => c.Stages).ChildRules(stage =>
        {
            stage.RuleFor(s => s.Stage).NotEmpty().MaximumLength(32);
            stage.RuleFor(s => s.LatencyMs).GreaterThanOrEqualTo(0).Must(double.IsFinite);
        });
    }
}

internal sealed class RecordUsageValidator : AbstractValidator<RecordUsage>
{
    public RecordUsageValidator()
    {
        RuleFor(c => c.Kind).NotEmpty().MaximumLength(16);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Model).MaximumLength(128);
        RuleFor(c => c.LatencyMs).GreaterThanOrEqualTo(0).Must(double.IsFinite);
    }
}

internal sealed class RecordUsageHandler(StatsWriter writer) : ICommandHandler<RecordUsage>
{
    public ValueTask<Unit> Handle(RecordUsage command, CancellationToken cancellationToken)
    {
        writer.Enqueue(new UsageRecord
        {
            Kind = command.Kind,
            Name = command.Name,
            Model = command.Model,
            PromptTokens = command.PromptTokens,
            CompletionTokens = command.CompletionTokens,
            LatencyMs = command.LatencyMs,
            Success = command.Success,
            Error = command.Error,
            OccurredAt = command.OccurredAt,
        });
        return ValueTask.FromResult(Unit.Value);
    }
}

internal sealed class RecordStageLatenciesHandler(StatsWriter writer) : ICommandHandler<RecordStageLatencies>
{
    public ValueTask<Unit> Handle(RecordStageLatencies command, CancellationToken cancellationToken)
    {
        foreach (var stage in command.Stages)
        {
            writer.Enqueue(new OrchestratorStatRecord
            {
                CycleId = command.CycleId,
                Symbol = command.Symbol,
                Stage = stage.Stage,
                LatencyMs = stage.LatencyMs,
                ItemCount = stage.ItemCount,
                OccurredAt = command.OccurredAt,
            });
        }

        return ValueTask.FromResult(Unit.Value);
    }
}

/// <summary>
/// Writes stage latencies and usage records in batches (up to 1,000 rows, at least once a second). Best effort: a batch that cannot be
/// written is retried once a second while the queue (10,000 rows) has room; beyond that new rows are dropped and counted.
/// </summary>
internal sealed partial class StatsWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<StatsWriter> logger) : BackgroundService
{
    private readonly Channel<object> pending = Channel.CreateBounded<object>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long dropped;
    private long written;

    public long Dropped => Interlocked.Read(ref dropped);

    public long Written => Interlocked.Read(ref written);

    public void Enqueue(UsageRecord record) => EnqueueAny(record);

    public void Enqueue(OrchestratorStatRecord record) => EnqueueAny(record);

    private void EnqueueAny(object record)
    {
        if (!pending.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (batch.Count == 0 && !await pending.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                while (batch.Count < 1000 && pending.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
                db.OrchestratorStats.AddRange(batch.OfType<OrchestratorStatRecord>());
                db.Usage.AddRange(batch.OfType<UsageRecord>());
                await db.SaveChangesAsync(stoppingToken);
                Interlocked.Add(ref written, batch.Count);
                batch.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogWriteFailed(logger, batch.Count, error.GetBaseException().Message);
                foreach (var record in batch)
                {
                    switch (record)
                    {
                        case OrchestratorStatRecord stat: stat.Id = 0; break;
                        case UsageRecord usage: usage.Id = 0; break;
                    }
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} stage latencies, will retry: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}
