using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HuiHui.Tests.Infrastructure;

/// <summary>
/// A real Redis on 127.0.0.1 (Debian's <c>redis-server</c>, which <c>./huihui.sh test</c> installs), in a folder of its
/// own, nothing persisted. <see cref="StopAsync"/> and <see cref="Start"/> take it away and bring it back on the same port.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly string folder = Cache.CacheHarness.NewFolder();
    private Process? process;

    public int Port { get; } = LocalPorts.Free();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        server.Start();
        await LocalPorts.WaitListeningAsync(server.Port, TimeSpan.FromSeconds(10));
        return server;
    }

    public void Start()
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}: run the suite with ./huihui.sh test, which installs it");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public async Task RestartAsync()
    {
        Start();
        await LocalPorts.WaitListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>
/// PgBouncer (Debian's, which <c>./huihui.sh test</c> installs) in transaction mode in front of the suite's PostgreSQL,
/// as a managed database's pooler would be: trust authentication for the users given, a pool of <c>poolSize</c> server
/// connections per database and user.
/// </summary>
internal sealed class PgBouncer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/pgbouncer";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "huihui-pgbouncer-" + Guid.NewGuid().ToString("N"));
    private Process? process;

    public int Port { get; } = LocalPorts.Free();

    public static async Task<PgBouncer> StartAsync(string serverConnectionString, int poolSize, params string[] users)
    {
        var bouncer = new PgBouncer();
        var server = new Npgsql.NpgsqlConnectionStringBuilder(serverConnectionString);
        Directory.CreateDirectory(bouncer.folder);
        await File.WriteAllLinesAsync(Path.Combine(bouncer.folder, "users.txt"), users.Select(u => $"\"{u}\" \"\""));
        await File.WriteAllTextAsync(Path.Combine(bouncer.folder, "pgbouncer.ini"), $"""
            [databases]
            * = host={server.Host} port={server.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {bouncer.Port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {bouncer.folder}/users.txt
            pool_mode = transaction
            default_pool_size = {poolSize}
            max_client_conn = 500
            ignore_startup_parameters = extra_float_digits,search_path
            logfile = {bouncer.folder}/pgbouncer.log
            """);

        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.UserName == "root" && OperatingSystem.IsLinux())
        {
            // PgBouncer will not run as root: as the postgres user, which must read the folder.
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            File.SetUnixFileMode(bouncer.folder, (UnixFileMode)0x1FF);
        }

        start.ArgumentList.Add(Path.Combine(bouncer.folder, "pgbouncer.ini"));
        bouncer.process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}: run the suite with ./huihui.sh test, which installs it");
        bouncer.process.BeginOutputReadLine();
        bouncer.process.BeginErrorReadLine();
        await LocalPorts.WaitListeningAsync(bouncer.Port, TimeSpan.FromSeconds(10));
        return bouncer;
    }

    /// <summary>The server's connection string, pointed at the pooler (same database and user).</summary>
    public string Through(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port, NoResetOnClose = true }.ConnectionString;

    public string Log => File.Exists(Path.Combine(folder, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(folder, "pgbouncer.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}

internal static class LocalPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }
}
