namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>A provider could not be reached or refused the request (HTTP error, timeout, open circuit, rate limit).</summary>
internal sealed class ProviderUnavailableException(string provider, string message, Exception? inner = null)
    : Exception($"{provider}: {message}", inner)
{
    public string Provider { get; } = provider;
}
