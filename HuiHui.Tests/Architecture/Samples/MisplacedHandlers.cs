using Mediator;

namespace HuiHui.Tests.Architecture.Samples;

/// <summary>A query for the feature-layout rules' own tests (<see cref="FeatureLayoutTests"/>).</summary>
internal sealed record ListThings : IQuery<int>;

/// <summary>A second query for the feature-layout rules' own tests.</summary>
internal sealed record GetThing : IQuery<int>;

/// <summary>A handler outside any <c>Features</c> namespace: the namespace rule must report it.</summary>
internal sealed class ListThingsHandler : IQueryHandler<ListThings, int>
{
    public ValueTask<int> Handle(ListThings query, CancellationToken cancellationToken) => ValueTask.FromResult(0);
}

/// <summary>The handler of the second query, for a file that holds two use cases.</summary>
internal sealed class GetThingHandler : IQueryHandler<GetThing, int>
{
    public ValueTask<int> Handle(GetThing query, CancellationToken cancellationToken) => ValueTask.FromResult(0);
}

/// <summary>One class answering two messages: the file rule must report it.</summary>
internal sealed class ThingHandlers : IQueryHandler<ListThings, int>, IQueryHandler<GetThing, int>
{
    public ValueTask<int> Handle(ListThings query, CancellationToken cancellationToken) => ValueTask.FromResult(0);

    public ValueTask<int> Handle(GetThing query, CancellationToken cancellationToken) => ValueTask.FromResult(0);
}
