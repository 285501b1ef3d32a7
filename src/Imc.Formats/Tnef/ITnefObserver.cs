using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>Sees the structure <see cref="TnefReader"/> walks (used by <see cref="TnefDump"/>).</summary>
internal interface ITnefObserver
{
    void Attribute(int depth, byte level, uint id, long offset, uint length);
    /// <summary>The decoded value of a legacy (non-property-list) attribute.</summary>
    void AttributeValue(int depth, string text);
    void Row(int depth, int index, long offset);
    void Property(int depth, long offset, PropTag tag, PropertyName? name, string value);
    void Warning(int depth, string text);
}
