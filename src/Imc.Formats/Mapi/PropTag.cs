namespace Imc.Formats.Mapi;

/// <summary>A 32-bit MAPI property tag: the property id in the high word, the type in the low word.</summary>
public readonly record struct PropTag(uint Value)
{
    public PropTag(ushort id, PropType type) : this(((uint)id << 16) | (ushort)type) { }

    public ushort Id => (ushort)(Value >> 16);
    public PropType Type => (PropType)(ushort)Value;
    public bool IsMultiValued => (Type & PropType.MultiValued) != 0;
    /// <summary>The type of one value: the type without the multi-valued flag.</summary>
    public PropType ValueType => Type & ~PropType.MultiValued;
    /// <summary>Ids 0x8000–0xFFFE are mapped per store to named properties.</summary>
    public bool IsNamed => Id >= 0x8000;

    public PropTag WithType(PropType type) => new(Id, type);

    public override string ToString() => $"0x{Value:X8}";

    public static implicit operator PropTag(uint value) => new(value);
}
