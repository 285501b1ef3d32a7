namespace Imc.Formats.Tnef;

/// <summary>What is wrong with a TNEF stream (<see cref="TnefException.Error"/>).</summary>
public enum TnefError
{
    /// <summary>The stream does not start with the TNEF signature 0x223E9F78.</summary>
    BadSignature,
    /// <summary>The stream ends before a structure it announces.</summary>
    Truncated,
    /// <summary>An attribute's checksum does not match the sum of its data bytes.</summary>
    BadChecksum,
    /// <summary>An attribute level is neither 1 (message) nor 2 (attachment).</summary>
    BadLevel,
    /// <summary>A length or count is larger than the data that can hold it.</summary>
    BadLength,
    /// <summary>A property has a type this reader cannot size or decode.</summary>
    UnsupportedPropertyType,
    /// <summary>A value cannot be decoded (bad date, bad string, wrong fixed size).</summary>
    BadValue,
    /// <summary>Attributes are missing or out of the order the spec requires.</summary>
    BadStructure,
    /// <summary>Bytes follow the last attribute.</summary>
    TrailingData,
    /// <summary>Embedded messages are nested deeper than the reader allows.</summary>
    TooDeep,
}
