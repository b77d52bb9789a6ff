namespace HuiHui.Tests.Ingestion;

/// <summary>The provider payload samples copied next to the tests.</summary>
internal static class Samples
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Ingestion", "Samples");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name));
}
