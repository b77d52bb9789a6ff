using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class GetUptimeValidator : AbstractValidator<GetUptime>
{
    public GetUptimeValidator() => RuleFor(q => q.Window).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(31));
}

internal sealed class GetUptimeHandler(MonitoringDbContext db, HeartbeatRegistry registry, TimeProvider time) : IQueryHandler<GetUptime, IReadOnlyList<ComponentUptime>>
{
    public async ValueTask<IReadOnlyList<ComponentUptime>> Handle(GetUptime query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - query.Window;
        var logged = await db.Database.SqlQuery<UptimeRow>(
            $"""
            SELECT component, count(DISTINCT date_trunc('minute', heartbeat_at))::int AS minutes_up, min(heartbeat_at) AS first_beat
            FROM system_health.uptime_logs
            WHERE heartbeat_at >= {from}
            GROUP BY component
            """).ToListAsync(cancellationToken);
        var beats = registry.Snapshot();
        var components = logged.Select(l => l.Component).Union(beats.Keys).Order(StringComparer.Ordinal);
        var result = new List<ComponentUptime>();
        foreach (var component in components)
        {
            var row = logged.Find(l => l.Component == component);
            var observed = row is null ? 0 : (int)Math.Ceiling((now - row.FirstBeat).TotalMinutes);
            beats.TryGetValue(component, out var beat);
            result.Add(new ComponentUptime(component, beats.ContainsKey(component) ? beat.At : null, beats.ContainsKey(component) ? beat.Status : null, beat.Detail,
                row?.MinutesUp ?? 0, Math.Max(observed, row?.MinutesUp ?? 0)));
        }

        return result;
    }

    private sealed record UptimeRow(string Component, int MinutesUp, DateTimeOffset FirstBeat);
}
