using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Providers.News;

/// <summary><c>HuiHui:Ingestion:AlphaVantage</c>. The key may also come from <c>ALPHAVANTAGE_API_KEY</c>.</summary>
internal sealed class AlphaVantageOptions
{
    public Uri BaseUrl { get; set; } = new("https://www.alphavantage.co/");

    public string? ApiKey { get; set; }

    public int Limit { get; set; } = 50;
}

/// <summary>
/// Alpha Vantage <c>NEWS_SENTIMENT</c>: headlines for a ticker. Its own sentiment scores are ignored (HuiHui scores
/// headlines itself). Errors come back as 200 with an <c>Information</c>, <c>Note</c> or <c>Error Message</c> field.
/// </summary>
internal sealed class AlphaVantageNews(HttpClient http, IOptions<AlphaVantageOptions> options) : INewsProvider
{
    public const string ProviderName = "alphavantage";

    public string Name => ProviderName;

    public async Task<IReadOnlyList<NewsItem>> GetNewsAsync(string symbol, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? Environment.GetEnvironmentVariable("ALPHAVANTAGE_API_KEY") : settings.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ProviderUnavailableException(Name, "no API key: set HuiHui:Ingestion:AlphaVantage:ApiKey or ALPHAVANTAGE_API_KEY");
        }

        var query = string.Create(CultureInfo.InvariantCulture,
            $"query?function=NEWS_SENTIMENT&tickers={Uri.EscapeDataString(symbol)}&time_from={since.UtcDateTime:yyyyMMdd'T'HHmm}&limit={settings.Limit}&apikey={Uri.EscapeDataString(key)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, query));
        var payload = await ProviderHttp.GetBytesAsync(http, Name, request, null, cancellationToken);
        return Parse(payload);
    }

    public static List<NewsItem> Parse(ReadOnlySpan<byte> payload)
    {
        var response = ProviderJson.Read(ProviderName, payload, AlphaVantageJson.Default.AlphaVantageResponse);
        if ((response.Information ?? response.Note ?? response.ErrorMessage) is { } refusal)
        {
            throw new ProviderUnavailableException(ProviderName, refusal);
        }

        if (response.Feed is null)
        {
            throw new ProviderPayloadException(ProviderName, "feed", "missing");
        }

        var items = new List<NewsItem>(response.Feed.Count);
        foreach (var article in response.Feed)
        {
            if (article?.Title is not { Length: > 0 } title
                || !DateTime.TryParseExact(article.TimePublished, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var published))
            {
                continue; // dropped: no headline or no time
            }

            var identity = article.Url ?? title + article.TimePublished;
            var id = $"{ProviderName}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..24]}";
            var tickers = article.TickerSentiment?.Select(t => t?.Ticker).OfType<string>().Select(t => t.ToUpperInvariant()).Distinct().ToList() ?? [];
            items.Add(new NewsItem(id, title, article.Summary, article.Source ?? ProviderName, article.Url, ProviderJson.FromEastern(published), tickers));
        }

        return items;
    }
}

internal sealed record AlphaVantageResponse(
    List<AlphaVantageArticle?>? Feed,
    [property: JsonPropertyName("Information")] string? Information,
    [property: JsonPropertyName("Note")] string? Note,
    [property: JsonPropertyName("Error Message")] string? ErrorMessage);

internal sealed record AlphaVantageArticle(string? Title, string? Url, string? TimePublished, string? Summary, string? Source, List<AlphaVantageTicker?>? TickerSentiment);

internal sealed record AlphaVantageTicker(string? Ticker);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AlphaVantageResponse))]
internal sealed partial class AlphaVantageJson : JsonSerializerContext;
