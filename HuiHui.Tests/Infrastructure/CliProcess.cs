using System.Diagnostics;

namespace HuiHui.Tests.Infrastructure;

/// <summary>Runs the real host binary as a CLI, the way <c>./huihui.sh VERB</c> does.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(string connectionString, params string[] args) => RunAsync(connectionString, new Dictionary<string, string>(), args);

    /// <summary>With extra environment variables (configuration such as <c>HuiHui__Regimes__Rules__0__Name</c>).</summary>
    public static async Task<Result> RunAsync(string connectionString, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = HostStartInfo(args);

        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["HuiHui__Cache__DiskPath"] = Cache.CacheHarness.NewFolder();
        start.Environment["HuiHui__Education__Embeddings__Model"] = Testing.EmbeddingModel;
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>dotnet HuiHui.Host.dll ARGS</c> from the test output, its output redirected.</summary>
    public static ProcessStartInfo HostStartInfo(params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HuiHui.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
