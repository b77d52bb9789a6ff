using System.Text.Json.Serialization;
using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>The typed responses as stored in jsonb (camelCase, enums as strings), and spool lines.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RegimeResponse))]
[JsonSerializable(typeof(FlowResponse))]
[JsonSerializable(typeof(SentimentResponse))]
[JsonSerializable(typeof(MetaResponse))]
[JsonSerializable(typeof(ResponseRecord))]
[JsonSerializable(typeof(TradeIdea))]
[JsonSerializable(typeof(BacktestReport))]
[JsonSerializable(typeof(IdeaGateReport))]
internal sealed partial class ExpertsJson : JsonSerializerContext;
