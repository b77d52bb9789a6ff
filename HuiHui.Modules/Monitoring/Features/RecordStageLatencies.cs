using FluentValidation;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

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
