namespace Imc.Formats.Mapi;

/// <summary>MAPI property types (the low 16 bits of a property tag).</summary>
public enum PropType : ushort
{
    Unspecified = 0x0000,
    Null = 0x0001,
    Short = 0x0002,
    Long = 0x0003,
    Float = 0x0004,
    Double = 0x0005,
    Currency = 0x0006,
    AppTime = 0x0007,
    Error = 0x000A,
    Boolean = 0x000B,
    Object = 0x000D,
    I8 = 0x0014,
    String8 = 0x001E,
    Unicode = 0x001F,
    SysTime = 0x0040,
    Clsid = 0x0048,
    Binary = 0x0102,

    /// <summary>The flag that makes any type multi-valued (MV_FLAG).</summary>
    MultiValued = 0x1000,

    MvShort = MultiValued | Short,
    MvLong = MultiValued | Long,
    MvFloat = MultiValued | Float,
    MvDouble = MultiValued | Double,
    MvCurrency = MultiValued | Currency,
    MvAppTime = MultiValued | AppTime,
    MvI8 = MultiValued | I8,
    MvString8 = MultiValued | String8,
    MvUnicode = MultiValued | Unicode,
    MvSysTime = MultiValued | SysTime,
    MvClsid = MultiValued | Clsid,
    MvBinary = MultiValued | Binary,
}
