using System.Text.Json;
using System.Text.Json.Serialization;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// The values Experts caches — the analysis (<see cref="ExpertKeys"/>), a symbol's daily bars and ATM IV history, the
/// citations per topic — for the cache's reads and writes without reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Analysis))]
[JsonSerializable(typeof(List<Bar>))]
[JsonSerializable(typeof(List<double>))]
[JsonSerializable(typeof(List<Citation>))]
internal sealed partial class ExpertsCacheJson : JsonSerializerContext;
