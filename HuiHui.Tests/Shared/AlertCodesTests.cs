using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Shared;

/// <summary>Alert codes about a named thing fit what Monitoring keeps, and the same name always gives the same code.</summary>
[TestFixture]
public sealed class AlertCodesTests
{
    [Test]
    public void AShortName_IsKeptWhole()
    {
        Assert.That(AlertCodes.Named("provider-down", "tradier"), Is.EqualTo("provider-down:tradier"));
    }

    [Test]
    public void ALongName_KeepsItsEnd_AndAHashOfTheWhole()
    {
        const string path = "file:/srv/huihui/replays/2026-11/a-desk-folder/tradier/spy-chain-2026-11-24.json";
        var code = AlertCodes.Named("provider-down", path);

        // 64 = "provider-down:" (14) + the path's last 41 characters + "~" + 8 hex digits of SHA-256(path).
        Assert.That(code, Has.Length.EqualTo(64));
        Assert.That(code, Does.StartWith("provider-down:" + path[^41..] + "~"));
        Assert.That(code[^8..], Does.Match("^[0-9a-f]{8}$"));
        Assert.That(AlertCodes.Named("provider-down", path), Is.EqualTo(code), "a recovery resolves the alert its failure raised");
    }

    [Test]
    public void TwoLongNamesEndingAlike_GetDifferentCodes()
    {
        var first = AlertCodes.Named("provider-down", "file:/first/desk/folder/that/is/long/enough/tradier/spy-chain.json");
        var second = AlertCodes.Named("provider-down", "file:/other/desk/folder/that/is/long/enough/tradier/spy-chain.json");

        Assert.That(first[..^8], Is.EqualTo(second[..^8]), "the same visible end");
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void AKindThatLeavesNoRoom_IsRefusedByName()
    {
        var kind = new string('k', 60);

        Assert.That(() => AlertCodes.Named(kind, "a-name-that-does-not-fit"),
            Throws.ArgumentException.With.Message.Contains($"alert kind '{kind}' leaves no room"));
    }
}
