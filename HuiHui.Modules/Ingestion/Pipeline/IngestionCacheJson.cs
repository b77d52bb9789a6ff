using System.Text.Json;
using System.Text.Json.Serialization;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>The values Ingestion caches (<see cref="MarketDataKeys"/>), for the cache's reads and writes without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChainSnapshot))]
[JsonSerializable(typeof(UnderlyingQuote))]
internal sealed partial class IngestionCacheJson : JsonSerializerContext;
