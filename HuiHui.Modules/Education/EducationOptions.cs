using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Education;

/// <summary><c>HuiHui:Education</c>.</summary>
internal sealed class EducationOptions
{
    public const string Section = "HuiHui:Education";

    /// <summary>Folders the recurring job (and the first start) ingests; relative paths from the working directory.</summary>
    public List<string> CorpusFolders { get; set; } = [];

    /// <summary>Files larger than this are skipped.</summary>
    [Range(1, 1L << 34)]
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Where files uploaded in the hub are kept (inside a corpus folder, so the recurring job sees them too).</summary>
    [Required]
    public string UploadFolder { get; set; } = ".data/corpus/uploads";

    /// <summary>Ingest the corpus folders at start when the corpus is empty.</summary>
    public bool IngestOnFirstStart { get; set; } = true;

    public Embeddings.EmbeddingOptions Embeddings { get; set; } = new();

    public static readonly string[] DefaultCorpusFolders = ["docs/corpus", ".data/corpus"];
}
