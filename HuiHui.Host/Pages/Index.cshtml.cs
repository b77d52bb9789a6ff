using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>One watch-list symbol as the overview shows it; nulls where nothing has arrived yet.</summary>
internal sealed record OverviewRow(
    string Symbol,
    double? Spot,
    double? Change,
    double? ChangePercent,
    RegimeLabel? Regime,
    Bias? Bias,
    double? Conviction,
    DealerGamma? Gamma,
    DateTimeOffset? AsOf,
    DateTimeOffset? UpdatedAt,
    bool Stale,
    string? Error);

/// <summary>The overview: the watch-list as a grid, refreshed by the analysis push.</summary>
internal sealed class IndexModel(IMediator mediator, TimeProvider time) : PageModel
{
    public IReadOnlyList<OverviewRow> Rows { get; private set; } = [];

    public IngestionStatus Ingestion { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>The grid alone, fetched by the page when an analysis is pushed.</summary>
    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_OverviewGrid", this);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Ingestion = await mediator.Send(new GetIngestionStatus(), cancellationToken);
        var rows = new List<OverviewRow>(Ingestion.WatchList.Count);
        foreach (var symbol in Ingestion.WatchList)
        {
            var quote = await mediator.Send(new GetLatestQuote(symbol), cancellationToken);
            var latest = await mediator.Send(new GetLatestAnalysis(symbol), cancellationToken);
            var status = Ingestion.Symbols.FirstOrDefault(s => s.Symbol == symbol);
            double? change = quote?.Quote is { PreviousClose: { } previous } q ? q.Last - previous : null;
            double? changePercent = change is { } c && quote!.Quote.PreviousClose is > 0 ? c / quote.Quote.PreviousClose!.Value : null;
            var analysis = latest?.Analysis;
            rows.Add(new OverviewRow(
                symbol,
                quote?.Quote.Last ?? analysis?.Spot,
                change,
                changePercent,
                analysis?.Regime?.Regime,
                analysis?.Meta.Bias,
                analysis?.Meta.Conviction,
                analysis?.Regime?.DealerGamma ?? analysis?.Flow?.DealerGamma ?? (analysis is null ? null : analysis.Metrics.Exposures.GexTotal >= 0 ? DealerGamma.Positive : DealerGamma.Negative),
                analysis?.AsOf ?? quote?.Quote.AsOf,
                latest?.UpdatedAt,
                (latest?.IsStale ?? false) || (quote?.IsStale ?? false),
                status?.LastError));
        }

        Rows = rows;
    }
}
