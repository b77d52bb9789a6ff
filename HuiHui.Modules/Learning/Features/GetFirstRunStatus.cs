using HuiHui.Modules.Learning.Contracts;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

/// <summary>The progress as the Learning page reads it.</summary>
internal sealed class GetFirstRunStatusHandler(FirstRunProgress progress) : IQueryHandler<GetFirstRunStatus, FirstRunStatus>
{
    public ValueTask<FirstRunStatus> Handle(GetFirstRunStatus query, CancellationToken cancellationToken) => ValueTask.FromResult(progress.Current);
}
