namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// A connection string the process needs is not configured: a setup problem the operator fixes, not a fault. It is
/// thrown when a service that needs the connection is first resolved, so the message names the setting and how to set
/// it; the CLI prints it as a configuration error (exit code 2) instead of a stack trace.
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
