using HuiHui.Tests.Architecture.Samples.Deprecated;

namespace HuiHui.Tests.Architecture.Samples;

/// <summary>The deliberate offender <see cref="LegacyHygieneTests.TheRule_CatchesAReferenceToDeprecatedCode"/> must find.</summary>
internal static class UsesDeprecated
{
    public static double Run() => OldPricer.Price(100);
}
