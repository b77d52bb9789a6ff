namespace HuiHui.Tests.Architecture.Samples.Deprecated;

/// <summary>A stand-in for legacy code, so the hygiene rule has something to catch.</summary>
internal static class OldPricer
{
    public static double Price(double spot) => spot;
}
