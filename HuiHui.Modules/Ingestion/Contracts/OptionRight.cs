namespace HuiHui.Modules.Ingestion.Contracts;

/// <summary>Call or put.</summary>
public enum OptionRight
{
    Call,
    Put,
}
