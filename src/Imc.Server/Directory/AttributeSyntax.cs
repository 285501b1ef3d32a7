namespace Imc.Server.Directory;

/// <summary>How an attribute's values are kept: text, 64-bit integers or raw bytes.</summary>
public enum AttributeSyntax
{
    String,
    Integer,
    Binary,
}
