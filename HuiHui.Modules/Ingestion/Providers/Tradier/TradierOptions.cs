using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary><c>HuiHui:Ingestion:Tradier</c>. The token may also come from the <c>TRADIER_TOKEN</c> environment variable.</summary>
internal sealed class TradierOptions
{
    public Uri BaseUrl { get; set; } = new("https://api.tradier.com/");

    public string? Token { get; set; }

    /// <summary>Chains are fetched per expiry: at most this many, nearest first.</summary>
    [Range(1, 60)]
    public int MaxExpirations { get; set; } = 8;

    [Range(0, 1000)]
    public int MaxDaysToExpiry { get; set; } = 60;

    /// <summary>Longest wait for the rate-limit window to reopen before giving up (and falling back to the next provider).</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Minutes of 1-minute time and sales a snapshot carries.</summary>
    [Range(0, 390)]
    public int RecentMinutes { get; set; } = 30;

    /// <summary>Open Tradier's market stream beside the REST polls (when Tradier is among the providers and a token is set).</summary>
    public bool Streaming { get; set; } = true;

    public Uri StreamUrl { get; set; } = new("wss://ws.tradier.com/v1/markets/events");

    /// <summary>Most active contracts per underlying (by the day's volume in its latest snapshot) whose trades are streamed.</summary>
    [Range(0, 500)]
    public int StreamContracts { get; set; } = 20;

    /// <summary>First wait before reconnecting; doubles per failure up to <see cref="StreamReconnectMax"/>.</summary>
    public TimeSpan StreamReconnectMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan StreamReconnectMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the subscription is compared with the watch-list and the most active contracts.</summary>
    public TimeSpan StreamResubscribeEvery { get; set; } = TimeSpan.FromSeconds(30);
}
