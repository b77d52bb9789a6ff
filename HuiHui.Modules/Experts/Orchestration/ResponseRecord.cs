namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>One expert response as persisted to <c>moe_analysis.expert_responses</c>; <see cref="Details"/> is the typed response as JSON.</summary>
internal sealed record ResponseRecord(Guid Id, Guid CycleId, string ExpertId, string Symbol, string Details, double Confidence, DateTimeOffset AsOf, DateTimeOffset CreatedAt);
