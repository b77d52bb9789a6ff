using FluentValidation;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Monitoring.Features;

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
