namespace Imc.Formats.Mapi;

/// <summary>A PR_RTF_COMPRESSED value that cannot be decompressed: bad header, sizes, CRC or token stream.</summary>
public sealed class RtfCompressionException : FormatException
{
    public RtfCompressionException(string message) : base(message) { }

    public RtfCompressionException(string message, Exception inner) : base(message, inner) { }

    public RtfCompressionException() { }
}
