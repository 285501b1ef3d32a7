namespace Imc.Formats.Mapi;

/// <summary>Well-known property set GUIDs for named properties.</summary>
public static class PropertySets
{
    public static readonly Guid PublicStrings = new("00020329-0000-0000-C000-000000000046");
    public static readonly Guid InternetHeaders = new("00020386-0000-0000-C000-000000000046");
    public static readonly Guid Common = new("00062008-0000-0000-C000-000000000046");
    public static readonly Guid Address = new("00062004-0000-0000-C000-000000000046");
    public static readonly Guid Appointment = new("00062002-0000-0000-C000-000000000046");
    public static readonly Guid Task = new("00062003-0000-0000-C000-000000000046");
    public static readonly Guid Mapi = new("00020328-0000-0000-C000-000000000046");

    /// <summary>IID_IMessage: a PT_OBJECT whose data is an embedded message.</summary>
    public static readonly Guid IidMessage = new("00020307-0000-0000-C000-000000000046");
    /// <summary>IID_IStorage: a PT_OBJECT whose data is an OLE compound file.</summary>
    public static readonly Guid IidStorage = new("0000000B-0000-0000-C000-000000000046");
    /// <summary>IID_IStream.</summary>
    public static readonly Guid IidStream = new("0000000C-0000-0000-C000-000000000046");
}
