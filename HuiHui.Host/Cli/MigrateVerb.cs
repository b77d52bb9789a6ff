using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Host.Cli;

/// <summary><c>huihui migrate [--json]</c>: applies every module's pending migrations.</summary>
internal static class MigrateVerb
{
    public static async Task<int> RunAsync(CliOutput output, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var report = await host.SendAsync(new MigrateDatabases(), cancellationToken);
            return output.Ok(
                new { applied = report.AppliedCount, modules = report.Modules.Select(m => new { m.Module, m.Schemas, applied = m.Migrations }) },
                _ => Describe(report));
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot migrate: PostgreSQL is unreachable or refused the change ({exception.GetBaseException().Message}).");
        }
    }

    private static string Describe(MigrationReport report)
    {
        var text = new StringBuilder();
        foreach (var module in report.Modules)
        {
            var state = module.Migrations.Count == 0 ? "up to date" : $"applied {string.Join(", ", module.Migrations)}";
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{module.Module,-11} {string.Join(",", module.Schemas),-28} {state}");
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{report.AppliedCount} migration(s) applied.");
        return text.ToString();
    }
}
