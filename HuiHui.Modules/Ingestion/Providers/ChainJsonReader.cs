using System.Text.Json;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>
/// Forward-only reading of the big chain payloads with <see cref="Utf8JsonReader"/>: properties matched on their UTF-8
/// bytes, everything else skipped, no intermediate objects. The chains are the only large payloads (thousands of
/// contracts per fetch), so they get this; the small endpoints use source-generated deserialisation.
/// Errors name the path of the value that was wrong (<c>$.data.options[17].bid</c>).
/// </summary>
internal ref struct ChainJsonReader
{
    private readonly string provider;
    private readonly int length;
    private Utf8JsonReader reader;

    public ChainJsonReader(string provider, ReadOnlySpan<byte> payload)
    {
        this.provider = provider;
        reader = new Utf8JsonReader(payload);
        length = payload.Length;
        Section = "$";
        Index = -1;
        Field = null;
    }

    /// <summary>Where the reader is (<see cref="Section"/>, then <c>[Index]</c> when ≥ 0, then <c>.Field</c>), for error messages.
    /// Kept in parts so nothing is allocated unless an error needs the path.</summary>
    public string Section { get; set; }

    public int Index { get; set; }

    public string? Field { get; set; }

    public string Path =>
        Section + (Index >= 0 ? $"[{Index}]" : "") + (Field is null ? "" : "." + Field);

    /// <summary>Moves to a section of the payload (<c>$.data.options</c>), no element or field.</summary>
    public void At(string section)
    {
        Section = section;
        Index = -1;
        Field = null;
    }

    public JsonTokenType Token => reader.TokenType;

    /// <summary>Bytes not yet read, to size lists before filling them.</summary>
    public int RemainingBytes => (int)(length - reader.BytesConsumed);

    public void Read()
    {
        try
        {
            if (!reader.Read())
            {
                throw Fail("the payload ends early (truncated JSON)");
            }
        }
        catch (JsonException error)
        {
            throw new ProviderPayloadException(provider, Path, $"malformed JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine}): {error.Message.Split(" LineNumber")[0]}", error);
        }
    }

    /// <summary>Reads the next property name of the current object; false at its end.</summary>
    public bool NextProperty()
    {
        Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            throw Fail($"expected a property name, found {reader.TokenType}");
        }

        return true;
    }

    public bool Is(ReadOnlySpan<byte> name) => reader.ValueTextEquals(name);

    /// <summary>
    /// The current property name's raw bytes, for dispatching on length and first letter before comparing
    /// (names with escapes come back empty, so they match nothing and are skipped).
    /// </summary>
    public ReadOnlySpan<byte> Name => reader.ValueIsEscaped ? default : reader.ValueSpan;

    public string PropertyName => reader.GetString()!;

    /// <summary>Moves to the value of the current property.</summary>
    public void Value() => Read();

    /// <summary>Skips the current property's value.</summary>
    public void SkipValue()
    {
        Read();
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            try
            {
                if (!reader.TrySkip())
                {
                    throw Fail("the payload ends early (truncated JSON)");
                }
            }
            catch (JsonException error)
            {
                throw new ProviderPayloadException(provider, Path, $"malformed JSON (line {error.LineNumber + 1}): {error.Message.Split(" LineNumber")[0]}", error);
            }
        }
    }

    public void Expect(JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw Fail($"expected {token}, found {reader.TokenType}");
        }
    }

    /// <summary>The current value as a number; null for JSON null. Anything else is an error naming the path.</summary>
    public double? Number()
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when TryParseSimple(reader.ValueSpan, out var quick):
                return quick;
            case JsonTokenType.Number when reader.TryGetDouble(out var value):
                return value;
            default:
                throw Fail($"expected a number, found {Describe()}");
        }
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// The fast path for the plain decimals providers send (<c>-12.345</c>, at most 15 significant digits and 22 decimals, no exponent):
    /// an exact integer divided by an exact power of ten is correctly rounded, so the result equals the general parser's
    /// (Clinger's fast path). Anything else returns false and goes to <see cref="Utf8JsonReader.TryGetDouble"/>.
    /// </summary>
    internal static bool TryParseSimple(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var significant = 0;
        var fraction = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }

            var digit = c - (byte)'0';
            if ((uint)digit > 9 || ((mantissa != 0 || digit != 0) && ++significant > 15))
            {
                return false;
            }

            digits++;
            mantissa = mantissa * 10 + digit;
            if (fraction >= 0)
            {
                fraction++;
            }
        }

        if (digits == 0 || fraction == 0 || fraction > 22)
        {
            return false;
        }

        value = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        value = negative ? -value : value;
        return true;
    }

    /// <summary>A count (volume, open interest): a whole number, or a number with a zero fraction; null for JSON null.</summary>
    public long? Count()
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                return whole;
            case JsonTokenType.Number when reader.TryGetDouble(out var value) && value == Math.Floor(value) && Math.Abs(value) < 9e15:
                return (long)value;
            default:
                throw Fail($"expected a whole number, found {Describe()}");
        }
    }

    public string? Text()
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                try
                {
                    return reader.GetString();
                }
                catch (InvalidOperationException error)
                {
                    throw new ProviderPayloadException(provider, Path, $"unreadable string: {error.Message}", error);
                }

            default:
                throw Fail($"expected a string, found {Describe()}");
        }
    }

    public bool TextIs(ReadOnlySpan<byte> value) => reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(value);

    public ProviderPayloadException Fail(string message) => new(provider, Path, message);

    private string Describe() => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.Number => $"the number {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}",
        _ => reader.TokenType.ToString(),
    };
}
