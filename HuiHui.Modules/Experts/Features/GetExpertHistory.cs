using System.Text;
using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetExpertHistoryValidator : AbstractValidator<GetExpertHistory>
{
    public GetExpertHistoryValidator()
    {
        RuleFor(q => q.Symbol).MaximumLength(16);
        RuleFor(q => q.Expert).Must(e => e is null || ExpertIds.All.Contains(e)).WithMessage($"must be one of {string.Join(", ", ExpertIds.All)}");
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q.PageSize).InclusiveBetween(1, 10_000);
    }
}

/// <summary>
/// Keyset pages over <c>(as_of, id)</c>: the statement names only the filters given (no <c>@p IS NULL OR</c> that would
/// hide the index from the planner), reads one row more than the page to learn whether there is more, and never counts
/// the range. With a symbol it runs on <c>(symbol, as_of, id)</c>, without on <c>(as_of, id)</c>; day partitions outside
/// the range are pruned, and newest-first reads walk the partitions in order and stop at the page (docs/performance.md).
/// </summary>
internal sealed class GetExpertHistoryHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetExpertHistory, ExpertHistoryPage>
{
    public async ValueTask<ExpertHistoryPage> Handle(GetExpertHistory query, CancellationToken cancellationToken)
    {
        var symbol = string.IsNullOrWhiteSpace(query.Symbol) ? null : query.Symbol.Trim().ToUpperInvariant();
        var expert = string.IsNullOrWhiteSpace(query.Expert) ? null : query.Expert;
        var sql = new StringBuilder("SELECT id, cycle_id, expert_id, symbol, as_of, confidence, coalesce(call, '')");
        sql.Append(query.IncludeDetails ? ", details::text" : ", NULL::text");
        sql.Append(" FROM moe_analysis.expert_responses WHERE as_of >= @from AND as_of < @to");
        await using var command = dataSource.CreateCommand();
        command.Parameters.AddWithValue("from", query.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", query.To.ToUniversalTime());
        if (symbol is not null)
        {
            sql.Append(" AND symbol = @symbol");
            command.Parameters.AddWithValue("symbol", symbol);
        }

        if (expert is not null)
        {
            sql.Append(" AND expert_id = @expert");
            command.Parameters.AddWithValue("expert", expert);
        }

        var newer = query.Cursor is not null && query.Newer;
        if (query.Cursor is { } cursor)
        {
            sql.Append(newer ? " AND (as_of, id) > (@cursor_as_of, @cursor_id)" : " AND (as_of, id) < (@cursor_as_of, @cursor_id)");
            command.Parameters.AddWithValue("cursor_as_of", cursor.AsOf.ToUniversalTime());
            command.Parameters.AddWithValue("cursor_id", cursor.Id);
        }

        sql.Append(newer ? " ORDER BY as_of, id" : " ORDER BY as_of DESC, id DESC");
        sql.Append(" LIMIT @limit");
        command.Parameters.AddWithValue("limit", query.PageSize + 1);
        command.CommandText = sql.ToString();

        var rows = new List<ExpertHistoryRow>(query.PageSize + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ExpertHistoryRow(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetDouble(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        var more = rows.Count > query.PageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (newer)
        {
            rows.Reverse();
        }

        HistoryCursor? Cursor(ExpertHistoryRow row) => new(row.AsOf, row.Id);

        // Older: after an older-direction page, only if a row was left over; after a newer-direction page, always (the
        // cursor's own row is older). Newer: the mirror image; the first page has nothing newer.
        var older = rows.Count == 0 ? null : newer || more ? Cursor(rows[^1]) : null;
        var newerCursor = rows.Count == 0 ? null : newer ? (more ? Cursor(rows[0]) : null) : query.Cursor is null ? null : Cursor(rows[0]);
        return new ExpertHistoryPage(rows, older, newerCursor);
    }
}
