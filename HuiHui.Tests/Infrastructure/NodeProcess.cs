using System.Diagnostics;
using System.Text;

namespace HuiHui.Tests.Infrastructure;

/// <summary>The real hub binary running as a node (<c>dotnet HuiHui.Host.dll run</c>), its output kept for a failing test's message.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private NodeProcess(Process process)
    {
        this.process = process;
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public static NodeProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = CliProcess.HostStartInfo("run");
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["HuiHui__Education__Embeddings__Model"] = Testing.EmbeddingModel;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var node = new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
        node.process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node.process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node.process.BeginOutputReadLine();
        node.process.BeginErrorReadLine();
        return node;
    }

    /// <summary>SIGKILL: no clean stop, no lease handed back, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
