using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiHui.Host.Cli;

/// <summary>Writes a verb's result either for people (stdout text, errors on stderr) or as one JSON document.</summary>
internal sealed class CliOutput(bool json)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Json => json;

    public int Ok<T>(T payload, Func<T, string> human)
    {
        Console.Out.WriteLine(json ? JsonSerializer.Serialize(payload, JsonOptions) : human(payload));
        return HuiHuiCli.Success;
    }

    public int Fail(int exitCode, string message, string? hint = null)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { error = message, exitCode }, JsonOptions));
        }
        else
        {
            Console.Error.WriteLine($"error: {message}");
            if (hint is not null)
            {
                Console.Error.WriteLine(hint);
            }
        }

        return exitCode;
    }
}
