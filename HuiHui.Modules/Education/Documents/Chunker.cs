namespace HuiHui.Modules.Education.Documents;

internal sealed record DocChunk(int Ordinal, string? Heading, string Location, string Content, int TokenCount);

/// <summary>
/// Structure-aware chunks: never across a heading (each section is chunked on its own), paragraphs kept whole where they
/// fit a budget of <see cref="MaxTokens"/> tokens (words and punctuation), longer paragraphs split at sentence ends; the
/// last paragraph of a chunk is repeated at the start of the next when it is short (≤ <see cref="OverlapTokens"/>).
/// </summary>
internal static class Chunker
{
    public const int MaxTokens = 220;
    public const int OverlapTokens = 60;

    public static List<DocChunk> Chunk(ParsedDocument document)
    {
        var chunks = new List<DocChunk>();
        foreach (var section in document.Sections)
        {
            var pieces = section.Paragraphs.SelectMany(Split).ToList();
            var current = new List<string>();
            var tokens = 0;
            foreach (var piece in pieces)
            {
                var count = Tokens(piece);
                if (tokens + count > MaxTokens && current.Count > 0)
                {
                    chunks.Add(new DocChunk(chunks.Count, section.Heading, section.Location, string.Join("\n\n", current), tokens));
                    var last = current[^1];
                    current.Clear();
                    tokens = 0;
                    if (Tokens(last) <= OverlapTokens && Tokens(last) + count <= MaxTokens)
                    {
                        current.Add(last);
                        tokens = Tokens(last);
                    }
                }

                current.Add(piece);
                tokens += count;
            }

            if (current.Count > 0)
            {
                chunks.Add(new DocChunk(chunks.Count, section.Heading, section.Location, string.Join("\n\n", current), tokens));
            }
        }

        return chunks;
    }

    /// <summary>Whitespace-separated words: a stable, model-free token estimate.</summary>
    public static int Tokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>A paragraph over the budget is cut at sentence ends (or hard at the budget when a sentence is longer).</summary>
    private static IEnumerable<string> Split(string paragraph)
    {
        if (Tokens(paragraph) <= MaxTokens)
        {
            yield return paragraph;
            yield break;
        }

        var words = paragraph.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var start = 0;
        while (start < words.Length)
        {
            var end = Math.Min(start + MaxTokens, words.Length);
            for (var i = end - 1; i > start + MaxTokens / 2 && end < words.Length; i--)
            {
                if (words[i].EndsWith('.') || words[i].EndsWith('?') || words[i].EndsWith('!'))
                {
                    end = i + 1;
                    break;
                }
            }

            yield return string.Join(' ', words[start..end]);
            start = end;
        }
    }
}
