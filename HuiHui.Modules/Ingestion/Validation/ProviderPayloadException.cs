namespace HuiHui.Modules.Ingestion.Validation;

/// <summary>A provider's payload is unusable as a whole; <see cref="Field"/> names what was wrong.</summary>
internal sealed class ProviderPayloadException(string provider, string field, string message, Exception? inner = null)
    : Exception($"{provider}: {field}: {message}", inner)
{
    public string Provider { get; } = provider;

    public string Field { get; } = field;
}
