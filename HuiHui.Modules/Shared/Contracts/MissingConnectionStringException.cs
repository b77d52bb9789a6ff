namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// A connection string the process needs is not configured: a setup problem the operator fixes, not a fault. The CLI
/// prints its message as a configuration error (exit code 2) instead of a stack trace; the hub degrades the components
/// that need it and reports why on its health checks.
/// </summary>
public sealed class MissingConnectionStringException : InvalidOperationException
{
    public MissingConnectionStringException(string name, string? hint = null)
        : base($"ConnectionStrings:{name} is not set.{(hint is null ? "" : " " + hint)}")
    {
        Name = name;
    }

    /// <summary>The connection string's name (<c>Postgres</c>, <c>Redis</c>).</summary>
    public string Name { get; }
}
