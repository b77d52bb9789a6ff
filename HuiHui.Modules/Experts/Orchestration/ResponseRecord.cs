namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>One expert response as persisted to <c>moe_analysis.expert_responses</c>; <see cref="Details"/> is the typed response as JSON.</summary>
internal sealed record ResponseRecord(Guid Id, Guid CycleId, string ExpertId, string Symbol, string Details, double Confidence, DateTimeOffset AsOf, DateTimeOffset CreatedAt, string? Call = null)
{
    /// <summary>The History page's one-line call, cut to the column's length.</summary>
    public static string CallOf(string text) => text.Length <= Data.ExpertResponseRecord.CallLength ? text : text[..Data.ExpertResponseRecord.CallLength];
}
