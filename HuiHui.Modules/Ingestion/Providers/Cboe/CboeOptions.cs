namespace HuiHui.Modules.Ingestion.Providers.Cboe;

/// <summary><c>HuiHui:Ingestion:Cboe</c>: the public delayed-quotes feed; no key needed.</summary>
internal sealed class CboeOptions
{
    public Uri BaseUrl { get; set; } = new("https://cdn.cboe.com/api/global/delayed_quotes/options/");

    public static readonly string[] DefaultIndexes = ["SPX", "NDX", "RUT", "VIX", "XSP", "DJX"];

    /// <summary>Symbols CBOE lists as indexes, fetched as <c>_SYMBOL.json</c>; empty means <see cref="DefaultIndexes"/>.</summary>
    public List<string> Indexes { get; set; } = [];
}
