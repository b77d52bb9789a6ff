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
}
