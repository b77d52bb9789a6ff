using System.Net;
using System.Net.Sockets;

namespace HuiHui.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of PostgreSQL, so a test can take "the database" away from the product and
/// give it back (<see cref="Stop"/> refuses new connections and cuts open ones; <see cref="Start"/> listens again on
/// the same port) without touching the server the rest of the suite uses.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public TcpProxy(string host, int port)
    {
        target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
    }

    public int Port { get; private set; }

    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        running = new CancellationTokenSource();
        _ = AcceptAsync(listener, running.Token);
    }

    public void Stop()
    {
        running?.Cancel();
        listener?.Stop();
        lock (open)
        {
            foreach (var client in open)
            {
                try
                {
                    client.Client?.LingerState = new LingerOption(true, 0); // reset, like a server going away
                }
                catch (ObjectDisposedException)
                {
                    // its pump closed it already
                }

                client.Dispose();
            }

            open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener server, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(target, cancellationToken);
            }
            catch (Exception)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (open)
            {
                open.Add(client);
                open.Add(upstream);
            }

            _ = PumpAsync(client.GetStream(), upstream.GetStream(), client, upstream);
            _ = PumpAsync(upstream.GetStream(), client.GetStream(), upstream, client);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception)
        {
            // either side went away
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
