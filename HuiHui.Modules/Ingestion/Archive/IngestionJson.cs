using System.Text.Json.Serialization;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Archive;

/// <summary>Snapshots as spool lines (one JSON document per line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChainSnapshot))]
internal sealed partial class IngestionJson : JsonSerializerContext;
