using System.Globalization;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>
/// What Tradier's last response said of the rate-limit window (<c>X-Ratelimit-Available</c>, <c>X-Ratelimit-Expiry</c>
/// in epoch ms). Before a request, waits for the window to reopen when it is used up, or refuses when that is too far off.
/// </summary>
internal sealed class TradierRateLimit(TimeProvider time)
{
    private readonly Lock gate = new();
    private long? available;
    private DateTimeOffset? expiry;

    public (long? Available, DateTimeOffset? Expiry) Current
    {
        get
        {
            lock (gate)
            {
                return (available, expiry);
            }
        }
    }

    public void Observe(HttpResponseMessage response)
    {
        var seenAvailable = Header(response, "X-Ratelimit-Available");
        var seenExpiry = Header(response, "X-Ratelimit-Expiry");
        if (seenAvailable is null && seenExpiry is null)
        {
            return;
        }

        lock (gate)
        {
            available = seenAvailable ?? available;
            expiry = seenExpiry is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : expiry;
        }
    }

    public async Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var (left, until) = Current;
        if (left is not <= 0 || until is not { } reopens)
        {
            return;
        }

        var wait = reopens - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (wait > maxWait)
        {
            throw new ProviderUnavailableException(TradierParser.Provider, $"rate limit used up until {reopens:HH:mm:ss} UTC ({wait.TotalSeconds:0} s away)");
        }

        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
