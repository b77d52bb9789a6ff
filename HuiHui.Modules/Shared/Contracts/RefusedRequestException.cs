namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// The request was understood but cannot be answered as asked (bad input, a premium no volatility gives, an unknown
/// symbol): the caller's problem, not a fault. Logged at Information without a stack trace; callers show the message.
/// </summary>
public abstract class RefusedRequestException : Exception
{
    protected RefusedRequestException()
    {
    }

    protected RefusedRequestException(string message)
        : base(message)
    {
    }

    protected RefusedRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
