using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using HuiHui.Modules.Education.Contracts;
using Markdig;
using Markdig.Syntax;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace HuiHui.Modules.Education.Documents;

/// <summary>A run of text under one heading: <see cref="Location"/> says where (line, page, cell) for citations.</summary>
internal sealed record DocSection(string? Heading, string Location, IReadOnlyList<string> Paragraphs);

internal sealed record ParsedDocument(string Title, DocumentType Type, IReadOnlyList<DocSection> Sections);

/// <summary>A file could not be read as its type; <see cref="Exception.Message"/> is the reason shown to the user.</summary>
internal sealed class UnreadableDocumentException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Turns a file into sections of paragraphs, keeping its structure: Markdown by headings (Markdig), notebooks by cell
/// (markdown cells parsed as Markdown, code cells as code), HTML by headings (AngleSharp), PDF by page (PdfPig),
/// plain text by blank lines.
/// </summary>
internal static class DocumentReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static DocumentType? TypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => DocumentType.Markdown,
        ".pdf" => DocumentType.Pdf,
        ".ipynb" => DocumentType.Notebook,
        ".html" or ".htm" => DocumentType.Html,
        ".txt" or ".text" => DocumentType.Text,
        _ => null,
    };

    public static ParsedDocument Read(string path, byte[] bytes, DocumentType type)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (type != DocumentType.Pdf)
        {
            EnsureText(bytes);
        }

        return type switch
        {
            DocumentType.Markdown => Markdown(Encoding.UTF8.GetString(bytes), name, "line"),
            DocumentType.Notebook => Notebook(bytes, name),
            DocumentType.Html => Html(Encoding.UTF8.GetString(bytes), name),
            DocumentType.Pdf => Pdf(bytes, name),
            _ => PlainText(Encoding.UTF8.GetString(bytes), name),
        };
    }

    /// <summary>A NUL byte or invalid UTF-8 in a text format means a binary file with the wrong extension.</summary>
    private static void EnsureText(byte[] bytes)
    {
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            throw new UnreadableDocumentException("binary content (NUL bytes) in a text format");
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
        }
        catch (DecoderFallbackException error)
        {
            throw new UnreadableDocumentException("not valid UTF-8 text", error);
        }
    }

    private static ParsedDocument Markdown(string text, string fallbackTitle, string unit, string locationPrefix = "")
    {
        var document = Markdig.Markdown.Parse(text, Pipeline);
        var sections = new List<DocSection>();
        var headings = new List<(int Level, string Text)>();
        var paragraphs = new List<string>();
        string? title = null;
        var sectionLine = 1;

        void Flush()
        {
            if (paragraphs.Count > 0)
            {
                sections.Add(new DocSection(headings.Count == 0 ? null : string.Join(" > ", headings.Select(h => h.Text)), $"{locationPrefix}{unit} {sectionLine}", [.. paragraphs]));
                paragraphs.Clear();
            }
        }

        foreach (var block in document)
        {
            var source = text.Substring(block.Span.Start, Math.Min(block.Span.Length, text.Length - block.Span.Start)).Trim();
            if (block is HeadingBlock heading)
            {
                Flush();
                var headingText = source.TrimStart('#').Trim();
                title ??= heading.Level == 1 ? headingText : null;
                headings.RemoveAll(h => h.Level >= heading.Level);
                headings.Add((heading.Level, headingText));
                sectionLine = block.Line + 1;
            }
            else if (source.Length > 0 && block is not ThematicBreakBlock and not LinkReferenceDefinitionGroup)
            {
                paragraphs.Add(source);
            }
        }

        Flush();
        return new ParsedDocument(title ?? fallbackTitle, DocumentType.Markdown, sections);
    }

    private static ParsedDocument Notebook(byte[] bytes, string fallbackTitle)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes);
        }
        catch (JsonException error)
        {
            throw new UnreadableDocumentException($"not a notebook: {error.Message}", error);
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new UnreadableDocumentException("not a notebook: no 'cells' array");
            }

            var sections = new List<DocSection>();
            string? title = null;
            var index = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                index++;
                var kind = cell.TryGetProperty("cell_type", out var type) ? type.GetString() : null;
                var source = cell.TryGetProperty("source", out var s)
                    ? s.ValueKind == JsonValueKind.Array ? string.Concat(s.EnumerateArray().Select(line => line.GetString())) : s.GetString() ?? ""
                    : "";
                if (string.IsNullOrWhiteSpace(source))
                {
                    continue;
                }

                if (kind == "markdown")
                {
                    var parsed = Markdown(source, fallbackTitle, "line", $"cell {index}, ");
                    title ??= parsed.Title != fallbackTitle ? parsed.Title : null;
                    sections.AddRange(parsed.Sections);
                }
                else if (kind == "code")
                {
                    sections.Add(new DocSection($"code cell {index}", $"cell {index}", [source.Trim()]));
                }
            }

            return new ParsedDocument(title ?? fallbackTitle, DocumentType.Notebook, sections);
        }
    }

    private static ParsedDocument Html(string html, string fallbackTitle)
    {
        var document = new HtmlParser().ParseDocument(html);
        var sections = new List<DocSection>();
        var paragraphs = new List<string>();
        string? heading = null;
        var ordinal = 0;
        foreach (var element in document.QuerySelectorAll("h1,h2,h3,h4,h5,h6,p,li,pre,blockquote,td"))
        {
            var text = element.TextContent.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (element.LocalName.Length == 2 && element.LocalName[0] == 'h')
            {
                if (paragraphs.Count > 0)
                {
                    sections.Add(new DocSection(heading, $"section {++ordinal}", [.. paragraphs]));
                    paragraphs.Clear();
                }

                heading = text;
            }
            else
            {
                paragraphs.Add(text);
            }
        }

        if (paragraphs.Count > 0)
        {
            sections.Add(new DocSection(heading, $"section {++ordinal}", [.. paragraphs]));
        }

        var title = document.Title is { Length: > 0 } t ? t.Trim() : document.QuerySelector("h1")?.TextContent.Trim() ?? fallbackTitle;
        return new ParsedDocument(title, DocumentType.Html, sections);
    }

    private static ParsedDocument Pdf(byte[] bytes, string fallbackTitle)
    {
        try
        {
            using var pdf = PdfDocument.Open(bytes);
            var sections = new List<DocSection>();
            foreach (var page in pdf.GetPages())
            {
                var text = ContentOrderTextExtractor.GetText(page);
                var paragraphs = Paragraphs(text);
                if (paragraphs.Count > 0)
                {
                    sections.Add(new DocSection(null, $"page {page.Number}", paragraphs));
                }
            }

            var title = pdf.Information.Title is { Length: > 0 } t ? t : fallbackTitle;
            return new ParsedDocument(title, DocumentType.Pdf, sections);
        }
        catch (Exception error) when (error is not UnreadableDocumentException)
        {
            throw new UnreadableDocumentException($"unreadable PDF: {error.Message}", error);
        }
    }

    private static ParsedDocument PlainText(string text, string fallbackTitle)
    {
        var paragraphs = Paragraphs(text);
        return new ParsedDocument(fallbackTitle, DocumentType.Text, paragraphs.Count == 0 ? [] : [new DocSection(null, "text", paragraphs)]);
    }

    private static List<string> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Length > 0).ToList();
}
