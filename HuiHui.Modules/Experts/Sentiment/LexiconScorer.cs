using System.Collections.Frozen;

namespace HuiHui.Modules.Experts.Sentiment;

/// <summary>
/// Scores one headline: a label (positive, negative, neutral) and a score in [−1, 1]. Asynchronous so a scorer backed
/// by a remote or heavy model waits without holding a thread (the other experts keep running).
/// </summary>
internal interface IHeadlineScorer
{
    string Name { get; }

    ValueTask<(string Label, double Score)> ScoreAsync(string text, CancellationToken cancellationToken);
}

/// <summary>
/// A finance-aware word list (no network, no model file). Each matched word counts +1 or −1 (strong words ±2); a negator
/// ("not", "no", "without", "fails to") within the two words before flips it. Score = tanh(sum / 2); positive above
/// +0.2, negative below −0.2. Limits: no sarcasm, no context beyond the headline, English only.
/// </summary>
internal sealed class LexiconScorer : IHeadlineScorer
{
    private static readonly FrozenDictionary<string, int> Words = new Dictionary<string, int>
    {
        ["gain"] = 1, ["gains"] = 1, ["climb"] = 1, ["climbs"] = 1, ["rally"] = 2, ["rallies"] = 2, ["beat"] = 1, ["beats"] = 1,
        ["upgrade"] = 2, ["upgrades"] = 2, ["bullish"] = 2, ["record"] = 1, ["strong"] = 1, ["raises"] = 1, ["surge"] = 2,
        ["surges"] = 2, ["rise"] = 1, ["rises"] = 1, ["jump"] = 1, ["jumps"] = 1, ["upbeat"] = 1, ["buyers"] = 1, ["advance"] = 1,
        ["advances"] = 1, ["boost"] = 1, ["boosts"] = 1, ["optimism"] = 1, ["outperform"] = 1, ["lifts"] = 1, ["soars"] = 2,
        ["deal"] = 1, ["inflows"] = 1, ["recovery"] = 1, ["rebound"] = 1, ["tops"] = 1,
        ["slide"] = -1, ["slides"] = -1, ["fall"] = -1, ["falls"] = -1, ["drop"] = -1, ["drops"] = -1, ["disappoints"] = -2,
        ["warns"] = -2, ["cuts"] = -1, ["pressure"] = -1, ["investigation"] = -2, ["downgrade"] = -2, ["downgrades"] = -2,
        ["bearish"] = -2, ["weak"] = -1, ["plunge"] = -2, ["plunges"] = -2, ["losses"] = -1, ["sellers"] = -1, ["worries"] = -1,
        ["miss"] = -1, ["misses"] = -1, ["slump"] = -2, ["fears"] = -1, ["lawsuit"] = -1, ["recession"] = -2, ["selloff"] = -2,
        ["outflows"] = -1, ["tumbles"] = -2, ["sinks"] = -1, ["default"] = -2, ["layoffs"] = -1, ["crash"] = -2,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> Negators = new[] { "not", "no", "without", "never", "fails", "fail" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public string Name => "lexicon";

    public ValueTask<(string Label, double Score)> ScoreAsync(string text, CancellationToken cancellationToken) => ValueTask.FromResult(Score(text));

    public static (string Label, double Score) Score(string text)
    {
        var tokens = text.Split([' ', ',', ';', ':', '.', '!', '?', '"', '(', ')', '-'], StringSplitOptions.RemoveEmptyEntries);
        var sum = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!Words.TryGetValue(tokens[i], out var weight))
            {
                continue;
            }

            var negated = (i >= 1 && Negators.Contains(tokens[i - 1])) || (i >= 2 && Negators.Contains(tokens[i - 2]));
            sum += negated ? -weight : weight;
        }

        var score = Math.Tanh(sum / 2.0);
        return (score > 0.2 ? "positive" : score < -0.2 ? "negative" : "neutral", score);
    }
}
