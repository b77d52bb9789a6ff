using System.Diagnostics;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Shared.Pipeline;

/// <summary>First in the pipeline: one debug line per message with its duration; a warning when it fails, an information line when it is refused.</summary>
internal sealed partial class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            LogHandled(logger, typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RefusedRequestException refused)
        {
            LogRefused(logger, typeof(TMessage).Name, refused.Message);
            throw;
        }
        catch (Exception exception)
        {
            LogFailed(logger, exception, typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {Message} in {ElapsedMs:F1} ms")]
    private static partial void LogHandled(ILogger logger, string message, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string message, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message} failed after {ElapsedMs:F1} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, string message, double elapsedMs);
}
