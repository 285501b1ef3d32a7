namespace Imc.Formats.Mapi;

/// <summary>
/// A MAPI message: its properties, its recipient table and its attachments. Attachment data are
/// <see cref="BinaryContent"/>, read when needed, so a message with a huge attachment is small in memory.
/// </summary>
public sealed class MapiMessage
{
    public PropertyBag Properties { get; } = new();
    public List<MapiRecipient> Recipients { get; } = [];
    public List<MapiAttachment> Attachments { get; } = [];

    /// <summary>The ANSI code page of PT_STRING8 values (TNEF attOemCodepage).</summary>
    public int CodePage { get; set; } = 1252;

    public string? MessageClass => Properties.GetString(PropTags.MessageClass);
    public string? Subject => Properties.GetString(PropTags.Subject);
    public byte[]? SearchKey => Properties.GetBinary(PropTags.SearchKey);
}

/// <summary>One row of a message's recipient table.</summary>
public sealed class MapiRecipient
{
    public PropertyBag Properties { get; } = new();

    public MapiRecipient() { }

    public MapiRecipient(RecipientType type, string displayName, string address, string addressType = "SMTP")
    {
        Properties.Set(PropTags.RecipientType, (int)type);
        Properties.Set(PropTags.DisplayName, displayName);
        Properties.Set(PropTags.AddrType, addressType);
        Properties.Set(PropTags.EmailAddress, address);
    }

    public RecipientType Type => (RecipientType)(Properties.GetInt32(PropTags.RecipientType) ?? 1);
    public string? DisplayName => Properties.GetString(PropTags.DisplayName);
    public string? EmailAddress => Properties.GetString(PropTags.EmailAddress);
}

/// <summary>PR_RECIPIENT_TYPE values.</summary>
public enum RecipientType
{
    Originator = 0,
    To = 1,
    Cc = 2,
    Bcc = 3,
}

/// <summary>PR_ATTACH_METHOD values.</summary>
public enum AttachMethod
{
    None = 0,
    ByValue = 1,
    ByReference = 2,
    ByRefResolve = 3,
    ByRefOnly = 4,
    EmbeddedMessage = 5,
    Ole = 6,
}

/// <summary>
/// An attachment: its properties (PR_ATTACH_METHOD, names, MIME tag, …) and its data. The data is never a
/// property in <see cref="Properties"/>: by-value and OLE attachments keep PR_ATTACH_DATA_BIN / PR_ATTACH_DATA_OBJ
/// in <see cref="Data"/> (streamed), embedded messages in <see cref="EmbeddedMessage"/>.
/// </summary>
public sealed class MapiAttachment
{
    public PropertyBag Properties { get; } = new();

    /// <summary>PR_ATTACH_DATA_BIN (by value) or the OLE storage bytes of PR_ATTACH_DATA_OBJ (OLE).</summary>
    public BinaryContent? Data { get; set; }

    /// <summary>The message of an embedded-message attachment (PR_ATTACH_METHOD = 5).</summary>
    public MapiMessage? EmbeddedMessage { get; set; }

    public AttachMethod Method
    {
        get => (AttachMethod)(Properties.GetInt32(PropTags.AttachMethod) ?? (int)AttachMethod.ByValue);
        set => Properties.Set(PropTags.AttachMethod, (int)value);
    }

    public string? FileName => Properties.GetString(PropTags.AttachLongFilename) ?? Properties.GetString(PropTags.AttachFilename);
}
