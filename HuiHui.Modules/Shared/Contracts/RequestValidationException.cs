namespace HuiHui.Modules.Shared.Contracts;

/// <summary>A request was refused before its handler ran; each failure names the field and the value.</summary>
public sealed class RequestValidationException : RefusedRequestException
{
    public RequestValidationException(string requestName, IReadOnlyList<ValidationFailureInfo> failures)
        : base($"{requestName} is invalid: {string.Join("; ", failures.Select(f => f.ToString()))}")
    {
        RequestName = requestName;
        Failures = failures;
    }

    public RequestValidationException()
        : this("request", [])
    {
    }

    public RequestValidationException(string message)
        : base(message)
    {
        RequestName = "request";
        Failures = [];
    }

    public RequestValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        RequestName = "request";
        Failures = [];
    }

    public string RequestName { get; } = "request";

    public IReadOnlyList<ValidationFailureInfo> Failures { get; } = [];
}

public sealed record ValidationFailureInfo(string Field, string Message, string? AttemptedValue)
{
    public override string ToString() => AttemptedValue is null ? $"{Field}: {Message}" : $"{Field}: {Message} (got '{AttemptedValue}')";
}
