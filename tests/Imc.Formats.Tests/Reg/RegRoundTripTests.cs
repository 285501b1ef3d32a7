using Imc.Formats.Reg;

namespace Imc.Formats.Tests.Reg;

public sealed class RegRoundTripTests
{
    [Theory]
    [InlineData(RegFileFormat.Regedit4)]
    [InlineData(RegFileFormat.Version5)]
    public void Every_value_type_round_trips(RegFileFormat format)
    {
        var keys = RegSamples.AllTypes();
        using var ms = new MemoryStream();
        RegWriter.Write(ms, keys, format);
        ms.Position = 0;
        RegSamples.AssertSame(keys, RegReader.Read(ms));
    }

    [Fact]
    public void Version5_round_trips_text_outside_code_page_1252_and_odd_string_data()
    {
        var key = new RegKey(RegSamples.Parameters + @"\Ünïcödé 中文");
        key.Values.Add(RegValue.String("名前 \"q\"", "値 Ω 😀"));
        key.Values.Add(RegValue.MultiString("Multi", ["Ω", "😀"]));
        key.Values.Add(new RegValue("OddExpand", RegType.ExpandSz, [0x41, 0, 0x42]));
        key.Values.Add(new RegValue("LoneSurrogate", RegType.Sz, [0x3D, 0xD8, 0, 0]));
        using var ms = new MemoryStream();
        RegWriter.Write(ms, [key], RegFileFormat.Version5);
        ms.Position = 0;
        RegSamples.AssertSame([key], RegReader.Read(ms));
    }
}
