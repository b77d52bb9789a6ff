using Polly;
using Polly.Retry;

namespace HuiHui.Host.Hosting;

/// <summary>
/// The back-off of the host's start-up work that needs the database (migrations, the first admin, recurring jobs): try,
/// then again after 2 s, 4 s, 8 s … at most 1 min apart, until it succeeds or the host stops. A cancellation that is not
/// the host stopping (a command timeout) is retried like any other failure. Polly's retry strategy on the host's clock.
/// </summary>
internal static class StartupRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    /// <param name="time">The clock the delays run on.</param>
    /// <param name="onRetry">Told each failure and the delay before the next attempt (for the log).</param>
    public static ResiliencePipeline Pipeline(TimeProvider time, Action<Exception, TimeSpan> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error && (error is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
