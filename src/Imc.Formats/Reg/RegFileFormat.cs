namespace Imc.Formats.Reg;

/// <summary>The two text formats of regedit.</summary>
public enum RegFileFormat
{
    /// <summary>
    /// <c>REGEDIT4</c>: NT4/Win9x, ANSI code page 1252, hex(2)/hex(7) data as ANSI bytes. What the original Imcsave
    /// wrote. Registry data that code page 1252 cannot represent exactly makes the writer fail.
    /// </summary>
    Regedit4,

    /// <summary><c>Windows Registry Editor Version 5.00</c>: UTF-16LE with a BOM; hex(2)/hex(7) hold UTF-16LE bytes.</summary>
    Version5,

    /// <summary>REGEDIT4 when every key, name and string fits code page 1252 exactly, otherwise Version 5.00.</summary>
    Auto,
}
