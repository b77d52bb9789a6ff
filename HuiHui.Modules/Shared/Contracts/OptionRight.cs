namespace HuiHui.Modules.Shared.Contracts;

/// <summary>Call or put: a market primitive every module uses.</summary>
public enum OptionRight
{
    Call,
    Put,
}
