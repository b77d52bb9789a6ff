using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>
/// Reads a list that a provider may send as an array, as a single object when it has one element, or as
/// <c>null</c> / the string <c>"null"</c> when empty (Tradier does all three).
/// </summary>
internal sealed class OneOrManyConverter<T> : JsonConverter<List<T>>
{
    public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when reader.ValueTextEquals("null"u8):
                return null;
            case JsonTokenType.StartArray:
                var list = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadOne(ref reader, options, $"[{list.Count}]"));
                }

                return list;
            default:
                return [ReadOne(ref reader, options, "")];
        }
    }

    private static T ReadOne(ref Utf8JsonReader reader, JsonSerializerOptions options, string index)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ref reader, options)!;
        }
        catch (JsonException error)
        {
            // The nested call's path starts again at "$"; keep it so the error can name the field in the whole payload.
            throw new NestedJsonException(index + (error.Path ?? "$")[1..], error);
        }
    }

    public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

/// <summary>
/// A failure inside a list element. The serializer fills <see cref="JsonException.Path"/> with the list's own path;
/// <see cref="RelativePath"/> continues it (<c>[3].strike</c>).
/// </summary>
internal sealed class NestedJsonException(string relativePath, JsonException inner) : JsonException(inner.Message, inner)
{
    public string RelativePath { get; } = relativePath;
}
