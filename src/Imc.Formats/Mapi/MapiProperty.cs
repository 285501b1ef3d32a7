namespace Imc.Formats.Mapi;

/// <summary>
/// One property of a message, recipient or attachment. <see cref="Value"/> holds the CLR form of the type:
/// <list type="bullet">
/// <item>PT_SHORT short; PT_LONG, PT_ERROR int; PT_FLOAT float; PT_DOUBLE, PT_APPTIME double; PT_CURRENCY, PT_I8 long;</item>
/// <item>PT_BOOLEAN bool; PT_STRING8, PT_UNICODE string; PT_SYSTIME DateTime (UTC); PT_CLSID Guid; PT_BINARY byte[];</item>
/// <item>PT_OBJECT <see cref="MapiObject"/>; multi-valued types an array of the single-valued form (byte[][] for PT_MV_BINARY).</item>
/// </list>
/// </summary>
public sealed class MapiProperty
{
    public MapiProperty(PropTag tag, object value, PropertyName? name = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (tag.IsNamed != (name is not null))
            throw new ArgumentException(tag.IsNamed
                ? $"Property {tag} has a named-property id but no name."
                : $"Property {tag} has a name but its id is below 0x8000.", nameof(name));
        MapiValues.CheckType(tag.Type, value);
        Tag = tag;
        Value = value;
        Name = name;
    }

    public PropTag Tag { get; }
    public object Value { get; }
    /// <summary>For named properties (id 0x8000 and up), the name the id stands for.</summary>
    public PropertyName? Name { get; }

    public override string ToString() => Name is null ? $"{Tag}={MapiValues.Format(Value)}" : $"{Name}/{Tag.Type}={MapiValues.Format(Value)}";
}

/// <summary>A PT_OBJECT value held in memory: the interface id and the object's bytes.</summary>
public sealed record MapiObject(Guid Iid, byte[] Data);
