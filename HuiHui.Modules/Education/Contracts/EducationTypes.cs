namespace HuiHui.Modules.Education.Contracts;

/// <summary>Formats the education corpus accepts; the value is stored in <c>documents.doc_type</c>.</summary>
public enum DocumentType
{
    Markdown,
    Pdf,
    Notebook,
    Html,
    Text,
}
