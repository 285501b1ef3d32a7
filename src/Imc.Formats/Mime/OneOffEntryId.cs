using System.Buffers.Binary;
using System.Text;

namespace Imc.Formats.Mime;

/// <summary>
/// A MAPI one-off entry id (MS-OXCDATA §2.2.5.1): an address that is not in any address book, carried as its display
/// name, address type and address. Also the FLATENTRYLIST (MS-OXCDATA §2.3.3) that PR_REPLY_RECIPIENT_ENTRIES holds.
/// </summary>
public sealed record OneOffEntryId(string DisplayName, string AddressType, string Address)
{
    /// <summary>The MAPI one-off provider UID {a41f2b81-a3be-1910-9d6e-00dd010f5402}, as its 16 bytes on the wire.</summary>
    private static readonly byte[] ProviderUid = [0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02];

    /// <summary>Flags word: MAPI_UNICODE (0x8000), OOP_DONT_LOOKUP (0x1000), MAPI_SEND_NO_RICH_INFO (0x0001), as Outlook writes for SMTP.</summary>
    private const ushort UnicodeNoLookupNoRichInfo = 0x9001;
    private const ushort UnicodeFlag = 0x8000;

    /// <summary>The entry id bytes: flags 0, provider UID, version 0, flags, then the three strings as NUL-terminated UTF-16LE.</summary>
    public byte[] ToBytes()
    {
        var size = 4 + 16 + 2 + 2 + (DisplayName.Length + AddressType.Length + Address.Length + 3) * 2;
        var bytes = new byte[size];
        ProviderUid.CopyTo(bytes, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), UnicodeNoLookupNoRichInfo);
        var pos = 24;
        foreach (var s in new[] { DisplayName, AddressType, Address })
        {
            pos += Encoding.Unicode.GetBytes(s, bytes.AsSpan(pos));
            pos += 2; // NUL
        }
        return bytes;
    }

    /// <summary>Reads a one-off entry id (Unicode or 8-bit strings); false when the bytes are something else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out OneOffEntryId? entryId)
    {
        entryId = null;
        if (bytes.Length < 24 || !bytes.Slice(4, 16).SequenceEqual(ProviderUid)) return false;
        var unicode = (BinaryPrimitives.ReadUInt16LittleEndian(bytes[22..]) & UnicodeFlag) != 0;
        var pos = 24;
        var parts = new string[3];
        for (var i = 0; i < 3; i++)
        {
            var rest = bytes[pos..];
            int end;
            if (unicode)
            {
                end = -1;
                for (var k = 0; k + 1 < rest.Length; k += 2)
                    if (rest[k] == 0 && rest[k + 1] == 0) { end = k; break; }
                if (end < 0) return false;
                parts[i] = Encoding.Unicode.GetString(rest[..end]);
                pos += end + 2;
            }
            else
            {
                end = rest.IndexOf((byte)0);
                if (end < 0) return false;
                parts[i] = Encoding.Latin1.GetString(rest[..end]);
                pos += end + 1;
            }
        }
        entryId = new OneOffEntryId(parts[0], parts[1], parts[2]);
        return true;
    }

    /// <summary>A FLATENTRYLIST: count, total size, then each entry id as its size and bytes padded to 4 bytes.</summary>
    public static byte[] ToFlatEntryList(IEnumerable<byte[]> entryIds)
    {
        using var body = new MemoryStream();
        var count = 0;
        Span<byte> word = stackalloc byte[4];
        foreach (var id in entryIds)
        {
            BinaryPrimitives.WriteInt32LittleEndian(word, id.Length);
            body.Write(word);
            body.Write(id);
            var pad = (4 - id.Length % 4) % 4;
            for (var i = 0; i < pad; i++) body.WriteByte(0);
            count++;
        }
        var result = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, count);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(4), (int)body.Length);
        body.ToArray().CopyTo(result, 8);
        return result;
    }

    /// <summary>The entry ids of a FLATENTRYLIST; stops quietly at the first entry that does not fit.</summary>
    public static List<byte[]> ParseFlatEntryList(ReadOnlySpan<byte> list)
    {
        var result = new List<byte[]>();
        if (list.Length < 8) return result;
        var count = BinaryPrimitives.ReadInt32LittleEndian(list);
        var pos = 8;
        for (var i = 0; i < count && pos + 4 <= list.Length; i++)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(list[pos..]);
            pos += 4;
            if (size < 0 || size > list.Length - pos) break;
            result.Add(list.Slice(pos, size).ToArray());
            pos += size + (4 - size % 4) % 4;
        }
        return result;
    }

    /// <summary>The PR_SEARCH_KEY of an address: "TYPE:ADDRESS" in upper case, NUL-terminated, as bytes.</summary>
    public static byte[] SearchKey(string addressType, string address) =>
        Encoding.UTF8.GetBytes((addressType + ":" + address).ToUpperInvariant() + "\0");
}
