using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetFlowTapeValidator : AbstractValidator<GetFlowTape>
{
    public GetFlowTapeValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.Limit).InclusiveBetween(1, 100_000);
        RuleFor(q => q.MinPremium).GreaterThanOrEqualTo(0);
    }
}

/// <summary>The cached snapshot's trades, marked and filtered; null when no snapshot of the symbol is cached.</summary>
internal sealed class GetFlowTapeHandler(IEnhancedCache cache, IOptions<MetricsOptions> options) : IQueryHandler<GetFlowTape, FlowTapeView?>
{
    public async ValueTask<FlowTapeView?> Handle(GetFlowTape query, CancellationToken cancellationToken)
    {
        if (await cache.TryGetAsync(MarketDataKeys.Snapshot(query.Symbol.Trim().ToUpperInvariant()), cancellationToken) is not { Value: var snapshot })
        {
            return null;
        }

        var settings = options.Value;
        var prints = snapshot.Prints;
        var sweeps = new HashSet<int>();
        var counter = new FlowCalculator.SweepCounter(settings, sweeps);
        for (var i = 0; i < prints.Count; i++)
        {
            if (prints[i].Side is AggressorSide.Buy or AggressorSide.Sell)
            {
                counter.Add(prints[i], prints[i].Side == AggressorSide.Buy ? 1 : -1, i);
            }
        }

        var trades = new List<TapeTrade>(prints.Count);
        for (var i = 0; i < prints.Count; i++)
        {
            var print = prints[i];
            if (!OccSymbol.TryParse(print.Symbol, out var occ, out _))
            {
                continue; // not an option print of this chain
            }

            var premium = Math.Round(print.Price * print.Size * 100, 2);
            if ((query.Side is { } side && print.Side != side) || (query.Right is { } right && occ.Right != right) || premium < query.MinPremium)
            {
                continue;
            }

            trades.Add(new TapeTrade(print.Symbol, occ.Expiry, occ.Strike, occ.Right, print.Side, print.Size, print.Price, premium, print.Time,
                print.Size >= settings.BlockSize, sweeps.Contains(i)));
        }

        IEnumerable<TapeTrade> ordered = query.Order switch
        {
            TapeOrder.Size => trades.OrderByDescending(t => t.Size).ThenByDescending(t => t.Time),
            TapeOrder.Newest => trades.OrderByDescending(t => t.Time).ThenByDescending(t => t.Premium),
            _ => trades.OrderByDescending(t => t.Premium).ThenByDescending(t => t.Time),
        };
        return new FlowTapeView(snapshot.Symbol, snapshot.AsOf, snapshot.Flow?.DerivedFrom ?? FlowOrigins.Prints, trades.Count, [.. ordered.Take(query.Limit)]);
    }
}
