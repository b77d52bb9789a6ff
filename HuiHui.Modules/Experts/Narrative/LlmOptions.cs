using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Experts.Narrative;

/// <summary>
/// <c>HuiHui:Llm</c>: the optional narrative model (the seed's local "HuiHui" LLM), off by default. Any
/// OpenAI-compatible chat endpoint works; Ollama serves one at <c>http://127.0.0.1:11434/v1</c>.
/// </summary>
internal sealed class LlmOptions
{
    public const string Section = "HuiHui:Llm";

    public bool Enabled { get; set; }

    public Uri Endpoint { get; set; } = new("http://127.0.0.1:11434/v1");

    public string Model { get; set; } = "huihui_ai/huihui-moe-abliterated:5b-a1.7b";

    /// <summary>Only for hosted endpoints; from the environment (<c>HuiHui__Llm__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longer than this and the template narrative is used.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(4);

    [Range(16, 4096)]
    public int MaxOutputTokens { get; set; } = 300;
}
