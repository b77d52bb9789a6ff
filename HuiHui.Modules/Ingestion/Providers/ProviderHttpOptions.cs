using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary><c>HuiHui:Ingestion:Http</c>: retry with jitter, circuit breaker and timeouts for every provider's HTTP client.</summary>
internal sealed class ProviderHttpOptions
{
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter. A 429's Retry-After wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open once it breaks (then one trial request).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests in the 30 s sampling window before the breaker may judge the failure ratio (50 %).</summary>
    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 6;
}
