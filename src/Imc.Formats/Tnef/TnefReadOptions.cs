namespace Imc.Formats.Tnef;

/// <summary>How strictly <see cref="TnefReader"/> treats deviations from MS-OXTNEF.</summary>
public enum TnefComplianceMode
{
    /// <summary>Any deviation (bad checksum, trailing bytes, missing attTnefVersion…) throws <see cref="TnefException"/>.</summary>
    Strict,
    /// <summary>Recoverable deviations are recorded in <see cref="TnefReadOptions.Warnings"/>; only damage that makes
    /// the rest unreadable (truncation, absurd lengths) throws.</summary>
    Loose,
}

/// <summary>Options for <see cref="TnefReader"/>; after a read, <see cref="Warnings"/> holds what Loose mode forgave.</summary>
public sealed class TnefReadOptions
{
    public TnefComplianceMode Mode { get; set; } = TnefComplianceMode.Strict;

    /// <summary>One line per forgiven problem, each naming its offset ("offset 4178 (0x1052): …").</summary>
    public IList<string> Warnings { get; } = new List<string>();

    /// <summary>Embedded messages nested deeper than this are rejected (protects the stack).</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>
    /// For <see cref="TnefReader.Read(Stream, TnefReadOptions?)"/>: attachment data up to this size is held in memory;
    /// larger data throws (use <see cref="TnefReader.ReadFile"/>, which never loads attachment data).
    /// </summary>
    public long MaxInMemoryAttachmentBytes { get; set; } = 256L * 1024 * 1024;
}
