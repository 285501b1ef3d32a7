namespace Imc.Formats.Mime;

/// <summary>Choices for <see cref="MimeToMapi.Convert"/> that a caller may need to make deterministic.</summary>
public sealed class MimeToMapiOptions
{
    /// <summary>
    /// PR_MESSAGE_DELIVERY_TIME. Default: the message's Date header (then no delivery time when Date is missing).
    /// </summary>
    public DateTime? ReceivedTime { get; init; }

    /// <summary>
    /// Makes the 16-byte PR_SEARCH_KEY of each converted message (embedded messages too). Default: the MD5 of the
    /// Message-ID (so one message always gets the same key), or a random GUID when there is no Message-ID.
    /// </summary>
    public Func<byte[]>? NewSearchKey { get; init; }

    /// <summary>
    /// Attachments whose encoded size is above this many bytes are not copied into memory: their
    /// <see cref="Mapi.BinaryContent"/> decodes the MIME part each time it is read, so the MimeMessage (and the
    /// stream it was parsed from, for a persistent parse) must stay alive while the MapiMessage is used.
    /// Smaller attachments are decoded into a byte array at conversion. Default 1 MiB.
    /// </summary>
    public long InMemoryAttachmentLimit { get; init; } = 1024 * 1024;
}
