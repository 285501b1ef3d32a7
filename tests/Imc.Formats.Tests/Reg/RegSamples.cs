using Imc.Formats.Reg;

namespace Imc.Formats.Tests.Reg;

/// <summary>Registry content used by several tests: every value type and the awkward cases.</summary>
internal static class RegSamples
{
    public const string Parameters = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC\Parameters";

    /// <summary>The keys of tests/TestData/reg/golden-regedit4.reg.</summary>
    public static List<RegKey> Golden()
    {
        var key = new RegKey(Parameters);
        key.Values.AddRange(
        [
            RegValue.String("", "Internet Mail Service"),
            RegValue.String("RootDir", @"C:\exchsrvr\imcdata"),
            RegValue.String("Quote \"q\" \\", "say \"hi\""),
            RegValue.String("Café", "naïve €"),
            RegValue.DWord("MaxThreads", 0x1f),
            RegValue.String("Empty", ""),
            RegValue.Binary("Guid", Enumerable.Range(0xf0, 16).Select(i => (byte)i).ToArray()),
            RegValue.ExpandString("Path", @"%SystemRoot%\é€"),
            RegValue.MultiString("Multi", ["abc", "déf"]),
            RegValue.QWord("Q", 0x0102030405060708),
            new RegValue("None", RegType.None, []),
            new RegValue("Odd", 0x20000, [1]),
            RegValue.Binary("LongBinary", Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()),
            new RegValue("NotTerminated", RegType.Sz, [0x61, 0, 0x62, 0]),
            new RegValue("DwordOdd", RegType.DWord, [1, 2]),
        ]);
        key.DeletedValues.Add("Gone");
        return [key, new RegKey(Parameters + @"\Old") { Delete = true }];
    }

    /// <summary>Every value type and edge case, all representable in REGEDIT4.</summary>
    public static List<RegKey> AllTypes()
    {
        var key = new RegKey(Parameters + @"\AllTypes");
        key.Values.AddRange(
        [
            RegValue.String("", "default"),
            RegValue.String("Sz", "plain"),
            RegValue.String("EmptySz", ""),
            RegValue.String("Esc\\ape\"d", "back\\slash \"quote\" \\\\ end\\"),
            RegValue.String("Ansi", "àéîõü ß € ‰ œ Ÿ"),
            RegValue.ExpandString("Expand", "%SystemRoot%\\system32;€"),
            RegValue.ExpandString("EmptyExpand", ""),
            RegValue.MultiString("Multi", ["one", "", "thrée", "€"]),
            RegValue.MultiString("EmptyMulti", []),
            RegValue.Binary("Bin", [0, 1, 0x7f, 0x80, 0xff]),
            RegValue.Binary("EmptyBin", []),
            RegValue.Binary("BigBin", Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray()),
            RegValue.DWord("Dw0", 0),
            RegValue.DWord("DwMax", uint.MaxValue),
            RegValue.QWord("Qw", 0xfedcba9876543210),
            new RegValue("None", RegType.None, []),
            new RegValue("NoneData", RegType.None, [1, 2, 3]),
            new RegValue("BigEndian", RegType.DWordBigEndian, [0, 0, 0, 1]),
            new RegValue("Link", RegType.Link, "\\\0R\0"u8.ToArray()),
            new RegValue("ResList", RegType.ResourceList, [1, 0, 0, 0]),
            new RegValue("Odd20000", 0x20000, [9, 8, 7]),
            new RegValue("MaxType", 0xffffffff, [1]),
            new RegValue("SzOdd", RegType.Sz, [0x41, 0, 0x42]),
            new RegValue("SzNoNul", RegType.Sz, [0x41, 0, 0x42, 0]),
            new RegValue("SzEmbeddedNul", RegType.Sz, [0x41, 0, 0, 0, 0x42, 0, 0, 0]),
            new RegValue("SzEmptyData", RegType.Sz, []),
            RegValue.String("SzNewline", "line1\r\nline2"),
            new RegValue("DwShort", RegType.DWord, [1, 2, 3]),
            new RegValue("DwLong", RegType.DWord, [1, 2, 3, 4, 5]),
            RegValue.String(new string('n', 200), "very long name"),
            RegValue.Binary(new string('w', 120), [1, 2, 3, 4, 5]),
        ]);
        key.DeletedValues.Add("Removed \"x\"");
        return [new RegKey(Parameters + @"\Gone") { Delete = true }, key, new RegKey(Parameters + @"\Empty key")];
    }

    public static void AssertSame(IReadOnlyList<RegKey> expected, IReadOnlyList<RegKey> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Path, actual[i].Path);
            Assert.Equal(expected[i].Delete, actual[i].Delete);
            Assert.Equal(expected[i].DeletedValues, actual[i].DeletedValues);
            Assert.Equal(expected[i].Values.Count, actual[i].Values.Count);
            for (var v = 0; v < expected[i].Values.Count; v++)
            {
                var (e, a) = (expected[i].Values[v], actual[i].Values[v]);
                Assert.Equal(e.Name, a.Name); // exact case, which RegValue.Equals ignores
                Assert.Equal(e.Type, a.Type);
                Assert.Equal(Convert.ToHexString(e.Data), Convert.ToHexString(a.Data));
            }
        }
    }
}
