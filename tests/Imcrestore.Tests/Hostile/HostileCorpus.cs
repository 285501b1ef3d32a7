using System.Buffers.Binary;
using System.Text;
using Imc.Backup.PackingList;
using Imc.Formats.Tnef;
using Imc.Server.Gateway;
using Imc.Testing;

namespace Imcrestore.Tests.Hostile;

/// <summary>What a case expects on stderr after the program name: the whole line, or (Exact false) its start.</summary>
internal sealed record Expect(string Text, bool Exact)
{
    public static Expect Line(string text) => new(text, true);
    public static Expect Start(string text) => new(text, false);
}

/// <summary>
/// The damaged and hostile backups: each entry damages a fresh copy of a real backup in one way and says what the
/// one-line refusal must be. "relisted" cases also rewrite Imcfls with the damaged file's new size and SHA-256 (a
/// careful forger), so that only the file's structure can catch them; TNEF cases that edit inside an attribute also
/// fix its checksum.
/// </summary>
internal static class HostileCorpus
{
    private const string Service = ImcIdentity.ServiceKeyPath;
    private const string ServiceScope = "only " + Service + " and its subkeys may be restored";
    private const string ProfileScope = @"only HKEY_USERS\<SID>\" + ImcIdentity.ProfilesSubPath + @"\" + ImcIdentity.ProfileNamePrefix + "* keys may be restored";

    public static readonly IReadOnlyDictionary<string, Func<CaseContext, Expect>> Cases = Build();

    public static IEnumerable<string> Names => Cases.Keys;

    private static Dictionary<string, Func<CaseContext, Expect>> Build()
    {
        var c = new Dictionary<string, Func<CaseContext, Expect>>(StringComparer.Ordinal);

        // ------------------------------------------------------------------ TNEF
        c["tnef-truncated"] = x =>
        {
            var (path, bytes) = x.Message();
            x.Write(path, bytes[..(bytes.Length / 2)]);
            return Expect.Line($"{path}: the file is {bytes.Length / 2} bytes but Imcfls line {x.FileLine(path)} says {bytes.Length} (truncated or changed)");
        };
        c["tnef-truncated-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            x.Write(path, bytes[..(bytes.Length / 2)]);
            x.Relist(path);
            return Expect.Start($"{path}: not a valid TNEF file: TNEF truncated stream at offset ");
        };
        c["tnef-bitflip"] = x =>
        {
            var (path, bytes) = x.Message();
            bytes[bytes.Length / 3] ^= 0x10;
            x.Write(path, bytes);
            return Expect.Line($"{path}: the SHA-256 does not match Imcfls line {x.FileLine(path)} (the file was changed or damaged)");
        };
        c["tnef-bitflip-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            bytes[props.DataOffset + props.Length - 1] ^= 0x10; // a data byte: only the checksum can notice
            x.Write(path, bytes);
            x.Relist(path);
            var at = props.DataOffset + props.Length;
            return Expect.Start($"{path}: not a valid TNEF file: TNEF bad checksum at offset {at} (0x{at:X}): attMsgProps (attribute at offset {props.Offset}) has checksum ");
        };
        c["tnef-signature-flipped-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            bytes[0] ^= 0x01;
            x.Write(path, bytes);
            x.Relist(path);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF bad signature at offset 0 (0x0): expected the TNEF signature 0x223E9F78 (bytes 78 9F 3E 22), found 0x223E9F79");
        };
        c["tnef-zip-relisted"] = x =>
        {
            var (path, _) = x.Message();
            x.Write(path, [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]);
            x.Relist(path);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF bad signature at offset 0 (0x0): expected the TNEF signature 0x223E9F78 (bytes 78 9F 3E 22), found 0x04034B50");
        };
        c["tnef-empty-relisted"] = x =>
        {
            var (path, _) = x.Message();
            x.Write(path, []);
            x.Relist(path);
            return Expect.Start($"{path}: not a valid TNEF file: TNEF truncated stream at offset 0 (0x0): ");
        };
        c["tnef-trailing-garbage-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            x.Write(path, [.. bytes, 1, 2, 3]);
            x.Relist(path);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF trailing data at offset {bytes.Length} (0x{bytes.Length:X}): 3 bytes of garbage after the last attribute (fewer than an attribute needs)");
        };
        c["tnef-reordered-version-not-first-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var attrs = Tnef.Attributes(bytes);
            bytes = Tnef.Swap(bytes, attrs[0], attrs[1]);
            x.Write(path, bytes);
            x.Relist(path);
            var second = TnefAttribute.NameOf(attrs[1].Id);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF bad structure at offset 6 (0x6): expected attTnefVersion as the first attribute, found {second}");
        };
        c["tnef-reordered-attachment-before-rendering-relisted"] = x =>
        {
            var (path, bytes) = x.MessageWithAttachment();
            var attrs = Tnef.Attributes(bytes);
            var i = attrs.FindIndex(a => a.Id == TnefAttribute.AttachRenderData);
            bytes = Tnef.Swap(bytes, attrs[i], attrs[i + 1]);
            x.Write(path, bytes);
            x.Relist(path);
            var name = TnefAttribute.NameOf(attrs[i + 1].Id);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF bad structure at offset {attrs[i].Offset} (0x{attrs[i].Offset:X}): expected attAttachRendData to start an attachment, found {name}");
        };
        c["tnef-oversized-attribute-length-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(props.Offset + 5), 0x7FFFFFF0);
            x.Write(path, bytes);
            x.Relist(path);
            var room = bytes.Length - props.Offset - 11;
            return Expect.Line($"{path}: not a valid TNEF file: TNEF truncated stream at offset {props.Offset} (0x{props.Offset:X}): attMsgProps declares 2147483632 data bytes but only {room} remain before the end of the stream");
        };
        c["tnef-oversized-attribute-length"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(props.Offset + 5), 0xFFFFFFFF);
            x.Write(path, bytes);
            return Expect.Line($"{path}: the SHA-256 does not match Imcfls line {x.FileLine(path)} (the file was changed or damaged)");
        };
        c["tnef-oversized-property-count-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(props.DataOffset), 0x7FFFFFFF);
            Tnef.FixChecksum(bytes, props);
            x.Write(path, bytes);
            x.Relist(path);
            return Expect.Start($"{path}: not a valid TNEF file: TNEF bad length at offset {props.DataOffset + props.Length} (0x{props.DataOffset + props.Length:X}): attMsgProps (attribute at offset {props.Offset}, {props.Length} data bytes): the property list announces 2147483647 properties but the data ends after ");
        };
        c["tnef-oversized-value-count-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            var tag = Tnef.FindSearchKeyTag(bytes, props);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(tag + 4), 0x10000000);
            Tnef.FixChecksum(bytes, props);
            x.Write(path, bytes);
            x.Relist(path);
            return Expect.Start($"{path}: not a valid TNEF file: TNEF bad length at offset {tag + 4} (0x{tag + 4:X}): property PR_SEARCH_KEY (0x300B0102) at offset {tag}: 268435456 values announced but the attribute has room for at most ");
        };
        c["tnef-oversized-value-size-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            var tag = Tnef.FindSearchKeyTag(bytes, props);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(tag + 8), 0x7FFFFFF0);
            Tnef.FixChecksum(bytes, props);
            x.Write(path, bytes);
            x.Relist(path);
            return Expect.Start($"{path}: not a valid TNEF file: TNEF bad length at offset {tag + 12} (0x{tag + 12:X}): property PR_SEARCH_KEY (0x300B0102) at offset {tag}: 2147483632 bytes are needed here but the attribute ends ");
        };
        c["tnef-unknown-property-type-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            var tag = Tnef.FindSearchKeyTag(bytes, props);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(tag), 0x00FF);
            Tnef.FixChecksum(bytes, props);
            x.Write(path, bytes);
            x.Relist(path);
            return Expect.Line($"{path}: not a valid TNEF file: TNEF unsupported property type at offset {tag} (0x{tag:X}): property PR_SEARCH_KEY (0x300B00FF) has type 0x00FF, which has no TNEF encoding this reader knows");
        };
        c["tnef-search-key-changed-relisted"] = x =>
        {
            var (path, bytes) = x.Message();
            var props = Tnef.Find(bytes, TnefAttribute.MsgProps);
            var tag = Tnef.FindSearchKeyTag(bytes, props);
            bytes[tag + 12] ^= 0xFF; // first byte of the key
            Tnef.FixChecksum(bytes, props);
            x.Write(path, bytes);
            x.Relist(path);
            var entry = x.List.Messages.First(m => m.Path == path);
            var key = (byte[])entry.SearchKey.Clone();
            key[0] ^= 0xFF;
            return Expect.Line($"{path}: the message's PR_SEARCH_KEY is {Convert.ToHexString(key)}; Imcfls line {entry.Line} says {entry.SearchKeyHex}");
        };
        c["tnef-swapped-between-messages"] = x =>
        {
            // Two genuine messages exchanged, each relisted with the other's digest: only the search key tells.
            var paths = x.List.Messages.Select(m => m.Path).Take(2).ToArray();
            var a = x.Read(paths[0]);
            x.Write(paths[0], x.Read(paths[1]));
            x.Write(paths[1], a);
            x.Relist(paths[0]);
            x.Relist(paths[1]);
            var entry = x.List.Messages.First(m => m.Path == paths[0]);
            var other = x.List.Messages.First(m => m.Path == paths[1]);
            return Expect.Line($"{paths[0]}: the message's PR_SEARCH_KEY is {other.SearchKeyHex}; Imcfls line {entry.Line} says {entry.SearchKeyHex}");
        };

        // ------------------------------------------------------------------ .reg
        c["reg-bad-dword-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X\"=dword:1234567G", "Imcsvc.reg line {0}: ");
        c["reg-dword-too-long-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X\"=dword:123456789", "Imcsvc.reg line {0}: ");
        c["reg-unterminated-string-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X\"=\"abc", "Imcsvc.reg line {0}: ");
        c["reg-unterminated-name-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X=\"abc\"", "Imcsvc.reg line {0}: ");
        c["reg-bad-hex-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X\"=hex:0g,12", "Imcsvc.reg line {0}: ");
        c["reg-hex-continuation-at-end-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}]", "\"X\"=hex:01,02,\\", "Imcsvc.reg line {0}: ");
        c["reg-unterminated-key-relisted"] = x => x.AppendReg("Imcsvc.reg", $"[{Service}\\Evil", null, "Imcsvc.reg line {0}: ");
        c["reg-not-a-reg-file-relisted"] = x =>
        {
            x.Write("Imcsvc.reg", "hello, world\r\n"u8.ToArray());
            x.Relist("Imcsvc.reg");
            return Expect.Start("Imcsvc.reg line 1: ");
        };
        c["reg-nul-in-key-name-relisted"] = x =>
        {
            var bytes = x.Read("Imcsvc.reg");
            bytes[40] = 0;
            bytes[41] = 0;
            x.Write("Imcsvc.reg", bytes);
            x.Relist("Imcsvc.reg");
            var key = Service.Replace(@"\CurrentControlSet", @"\C<0x00><0x00>rentControlSet", StringComparison.Ordinal);
            Assert.Equal(40, Array.IndexOf(x.Read("Imcsvc.reg"), (byte)0));
            return Expect.Line($"Imcsvc.reg: the key [{key}] is outside the IMC; {ServiceScope}");
        };
        c["reg-key-outside-imc-relisted"] = x =>
            x.AppendReg("Imcsvc.reg", @"[HKEY_LOCAL_MACHINE\SOFTWARE\Evil]", "\"X\"=\"y\"",
                $@"Imcsvc.reg: the key [HKEY_LOCAL_MACHINE\SOFTWARE\Evil] is outside the IMC; {ServiceScope}", exact: true);
        c["reg-delete-software-relisted"] = x =>
            x.AppendReg("Imcsvc.reg", @"[-HKEY_LOCAL_MACHINE\SOFTWARE]", null,
                $@"Imcsvc.reg: the key [-HKEY_LOCAL_MACHINE\SOFTWARE] is outside the IMC; {ServiceScope}", exact: true);
        c["reg-sibling-key-MSExchangeIMCX-relisted"] = x =>
            x.AppendReg("Imcsvc.reg", $@"[{Service}X]", "\"ImagePath\"=\"evil.exe\"",
                $@"Imcsvc.reg: the key [{Service}X] is outside the IMC; {ServiceScope}", exact: true);
        c["reg-profile-key-in-service-file-relisted"] = x =>
        {
            var profile = x.FirstRegKey("Imcpro.reg");
            return x.AppendReg("Imcsvc.reg", $"[{profile}]", null, $@"Imcsvc.reg: the key [{profile}] is outside the IMC; {ServiceScope}", exact: true);
        };
        c["reg-service-key-in-profile-file-relisted"] = x =>
            x.AppendReg("Imcpro.reg", $"[{Service}]", "\"X\"=\"y\"", $@"Imcpro.reg: the key [{Service}] is outside the IMC; {ProfileScope}", exact: true);
        c["reg-profile-not-imc-relisted"] = x =>
        {
            var profile = x.FirstRegKey("Imcpro.reg");
            var other = profile[..profile.LastIndexOf('\\')] + @"\Outlook";
            return x.AppendReg("Imcpro.reg", $"[{other}]", null, $@"Imcpro.reg: the key [{other}] is outside the IMC; {ProfileScope}", exact: true);
        };
        c["reg-profile-other-account-relisted"] = x =>
        {
            var profile = x.FirstRegKey("Imcpro.reg");
            var sid = profile.Split('\\')[1];
            var other = profile.Replace(sid, "S-1-5-18", StringComparison.Ordinal);
            return x.AppendReg("Imcpro.reg", $"[{other}]", null, $@"Imcpro.reg: the key [{other}] belongs to another account (S-1-5-18) than the first key ({sid})", exact: true);
        };
        c["reg-delete-profiles-relisted"] = x =>
        {
            var profile = x.FirstRegKey("Imcpro.reg");
            var parent = profile[..profile.LastIndexOf('\\')];
            return x.AppendReg("Imcpro.reg", $"[-{parent}]", null, $@"Imcpro.reg: the key [-{parent}] is outside the IMC; {ProfileScope}", exact: true);
        };
        c["reg-truncated"] = x =>
        {
            var bytes = x.Read("Imcsvc.reg");
            x.Write("Imcsvc.reg", bytes[..^10]);
            return Expect.Line($"Imcsvc.reg: the file is {bytes.Length - 10} bytes but Imcfls line {x.FileLine("Imcsvc.reg")} says {bytes.Length} (truncated or changed)");
        };

        // ------------------------------------------------------------------ .csv
        c["csv-unterminated-quote-relisted"] = x => x.EditCsv(lines => lines[1] += ",\"unterminated", Expect.Start("Imcobj.csv: "));
        c["csv-extra-field-relisted"] = x => x.EditCsv(lines => lines[1] += ",extra", Expect.Start("Imcobj.csv: "));
        c["csv-missing-field-relisted"] = x => x.EditCsv(lines => lines[1] = lines[1][..lines[1].LastIndexOf(',')], Expect.Start("Imcobj.csv: "));
        c["csv-header-only-relisted"] = x => x.EditCsv(lines => lines.RemoveAt(1),
            Expect.Line("Imcobj.csv: the file holds 0 directory objects; expected exactly the gateway object"));
        c["csv-second-object-relisted"] = x => x.EditCsv(lines => lines.Insert(2, lines[1]),
            Expect.Line("Imcobj.csv: the file holds 2 directory objects; expected exactly the gateway object"));
        c["csv-different-dn-relisted"] = x =>
        {
            var gateway = x.List.Gateway;
            var evil = "/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1";
            return x.EditCsv(lines => lines[1] = lines[1].Replace("," + gateway + ",", "," + evil + ",", StringComparison.Ordinal),
                Expect.Line($"Imcobj.csv: the object {evil} is not the backup's gateway {gateway}; only the gateway object may be restored"));
        };
        c["csv-other-class-relisted"] = x => x.EditCsv(lines => lines[1] = "Mailbox" + lines[1]["Mail-Gateway".Length..],
            Expect.Start("Imcobj.csv: "));
        c["csv-delete-mode-relisted"] = x => x.EditCsv(lines => lines[1] = lines[1].Replace("Mail-Gateway,Update,", "Mail-Gateway,Delete,", StringComparison.Ordinal),
            Expect.Line("Imcobj.csv: the record's Mode is 'Delete'; a backup holds the gateway object with Mode Update"));
        c["csv-empty-relisted"] = x =>
        {
            x.Write("Imcobj.csv", []);
            x.Relist("Imcobj.csv");
            return Expect.Start("Imcobj.csv: ");
        };

        // ------------------------------------------------------------------ Imcfls
        foreach (var key in new[] { "Format", "Tool", "Server", "Organization", "Site", "Gateway", "Started", "Finished", "Items", "TransferEnabled", "Delete", "Deleted", "Kept" })
            c[$"imcfls-missing-{key}"] = x =>
            {
                x.EditList(lines => lines.RemoveAt(lines.FindIndex(l => l.StartsWith(key + "=", StringComparison.Ordinal))));
                return Expect.Line($"Imcfls line 1: [Imcsave] has no {key}= (required)");
            };
        foreach (var section in new[] { "Queues", "Files", "Messages" })
            c[$"imcfls-missing-section-{section}"] = x =>
            {
                x.EditList(lines =>
                {
                    var start = lines.IndexOf($"[{section}]");
                    var end = lines.FindIndex(start + 1, l => l.StartsWith('['));
                    lines.RemoveRange(start, (end < 0 ? lines.Count : end) - start);
                });
                return Expect.Line($"Imcfls: section [{section}] is missing");
            };
        c["imcfls-empty"] = x =>
        {
            x.Write("Imcfls", []);
            return Expect.Line("Imcfls: section [Imcsave] is missing");
        };
        c["imcfls-missing"] = x =>
        {
            File.Delete(x.Full("Imcfls"));
            return Expect.Line("Imcfls: the packing list is missing: the backup is incomplete and cannot be trusted");
        };
        c["imcfls-is-a-folder"] = x =>
        {
            File.Delete(x.Full("Imcfls"));
            System.IO.Directory.CreateDirectory(x.Full("Imcfls"));
            return Expect.Line("Imcfls: is a folder; the packing list must be a regular file");
        };
        c["imcfls-is-a-fifo"] = x =>
        {
            File.Delete(x.Full("Imcfls"));
            MakeFifo(x.Full("Imcfls"));
            return Expect.Line("Imcfls: is not a regular file");
        };
        c["imcfls-is-a-symbolic-link"] = x =>
        {
            var elsewhere = x.Scratch("Imcfls.elsewhere");
            File.Move(x.Full("Imcfls"), elsewhere);
            File.CreateSymbolicLink(x.Full("Imcfls"), elsewhere);
            return Expect.Line("Imcfls: is a symbolic link; a backup holds only regular files");
        };
        c["imcfls-duplicate-key"] = x =>
        {
            x.EditList(lines => lines.Insert(2, "Format=1"));
            return Expect.Line("Imcfls line 3: key \"Format\" appears twice in [Imcsave] (first on line 2)");
        };
        c["imcfls-duplicate-section"] = x =>
        {
            x.EditList(lines => lines.AddRange(["", "[Queues]"]));
            var n = x.ListLines().Count;
            return Expect.Line($"Imcfls line {n}: section [Queues] appears twice (first on line {x.ListLines().IndexOf("[Queues]") + 1})");
        };
        c["imcfls-unknown-section"] = x =>
        {
            x.EditList(lines => lines.AddRange(["", "[Extra]", "A=1"]));
            return Expect.Line($"Imcfls line {x.ListLines().Count - 1}: unknown section [Extra] (expected [Imcsave], [Queues], [Files] or [Messages])");
        };
        c["imcfls-unknown-key"] = x =>
        {
            x.EditList(lines => lines.Insert(3, "Evil=1"));
            return Expect.Line("Imcfls line 4: unknown key 'Evil' in [Imcsave]");
        };
        c["imcfls-format-2"] = x =>
        {
            x.EditList(lines => lines[1] = "Format=2");
            return Expect.Line("Imcfls line 2: Format=2 is not supported (this version reads Format=1)");
        };
        c["imcfls-bad-time"] = x =>
        {
            var n = x.EditListLine("Started=", _ => "Started=yesterday");
            return Expect.Line($"Imcfls line {n}: Started=yesterday is not a UTC time like 2026-11-25T02:00:00.123Z");
        };
        c["imcfls-bad-flag"] = x =>
        {
            var n = x.EditListLine("Delete=", _ => "Delete=yes");
            return Expect.Line($"Imcfls line {n}: Delete=yes is not 0 or 1");
        };
        c["imcfls-negative-count"] = x =>
        {
            var n = x.EditListLine("Deleted=", _ => "Deleted=-1");
            return Expect.Line($"Imcfls line {n}: Deleted=-1 is not a count");
        };
        c["imcfls-unknown-item"] = x =>
        {
            var n = x.EditListLine("Items=", l => l + ",Everything");
            return Expect.Line($"Imcfls line {n}: Items has 'Everything', which is not an item (expected Registry, Directory, MTSIn, MTSOut, Bad, ContentConversionFailed, Work)");
        };
        c["imcfls-queue-count-wrong"] = x =>
        {
            var count = x.List.Queues.First(q => q.Item == "MTSOut").Count;
            var n = x.EditListLine("MTSOut=", _ => "MTSOut=" + (count + 1));
            return Expect.Line($"Imcfls line {n}: MTSOut={count + 1} but [Files] lists {count} file(s) in Mtsout/");
        };
        c["imcfls-bad-hash-hex"] = x =>
        {
            var bad = new string('z', 64);
            var n = x.EditListLine("Imcsvc.reg=", l => l[..(l.IndexOf(' ') + 1)] + bad);
            return Expect.Line($"Imcfls line {n}: SHA-256 '{bad}' of Imcsvc.reg is not 64 hex digits");
        };
        c["imcfls-short-hash"] = x =>
        {
            var n = x.EditListLine("Imcsvc.reg=", l => l[..^2]);
            var hash = x.ListLines()[n - 1].Split(' ')[1];
            return Expect.Line($"Imcfls line {n}: SHA-256 '{hash}' of Imcsvc.reg is not 64 hex digits");
        };
        c["imcfls-negative-size"] = x =>
        {
            var n = x.EditListLine("Imcsvc.reg=", l => "Imcsvc.reg=-5" + l[l.IndexOf(' ')..]);
            return Expect.Line($"Imcfls line {n}: size '-5' of Imcsvc.reg is not a number of bytes");
        };
        c["imcfls-huge-size"] = x =>
        {
            var n = x.EditListLine("Imcsvc.reg=", l => "Imcsvc.reg=99999999999999999999" + l[l.IndexOf(' ')..]);
            return Expect.Line($"Imcfls line {n}: size '99999999999999999999' of Imcsvc.reg is not a number of bytes");
        };
        c["imcfls-huge-size-that-fits"] = x =>
        {
            var n = x.EditListLine("Imcsvc.reg=", l => "Imcsvc.reg=1000000000000000000" + l[l.IndexOf(' ')..]);
            return Expect.Line($"Imcsvc.reg: the file is {x.List.FindFile("Imcsvc.reg")!.Size} bytes but Imcfls line {n} says 1000000000000000000 (truncated or changed)");
        };
        c["imcfls-sizes-overflow-a-long"] = x =>
        {
            var n = x.EditListLine("Imcsvc.reg=", l => "Imcsvc.reg=9223372036854775807" + l[l.IndexOf(' ')..]);
            var next = x.List.Files[1];
            return Expect.Line($"Imcfls line {n + 1}: size {next.Size} of {next.Path} makes the files add up to more than 9223372036854775807 bytes");
        };
        c["imcfls-bad-search-key-hex"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var n = x.List.Messages[0].Line;
            x.EditList(lines => lines[n - 1] += "Z");
            var value = x.ListLines()[n - 1][(path.Length + 1)..];
            return Expect.Line($"Imcfls line {n}: search key '{value.Split(' ')[1]}' of {path} is not an even number of hex digits");
        };
        c["imcfls-message-wrong-folder"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var folder = x.List.Messages[0].Folder;
            var n = x.List.Messages[0].Line;
            x.EditList(lines => lines[n - 1] = lines[n - 1].Replace("=" + folder + " ", "=Work ", StringComparison.Ordinal));
            return Expect.Line($"Imcfls line {n}: '{path}' is in {path[..path.IndexOf('/')]}/, so its folder must be {folder}, not 'Work'");
        };
        c["imcfls-garbage-line"] = x =>
        {
            x.EditList(lines => lines.Insert(4, "this is not an ini line"));
            return Expect.Line("Imcfls line 5: expected Key=Value, [Section], a ; comment or a blank line, found \"this is not an ini line\"");
        };
        c["imcfls-nul-bytes"] = x =>
        {
            var bytes = x.Read("Imcfls");
            var at = Encoding.ASCII.GetString(bytes).IndexOf("Tool=", StringComparison.Ordinal) + 6;
            bytes[at] = 0;
            x.Write("Imcfls", bytes);
            return Expect.Line("Imcfls line 3: the line contains a control character");
        };
        c["imcfls-not-utf8"] = x =>
        {
            var bytes = x.Read("Imcfls");
            var at = Encoding.ASCII.GetString(bytes).IndexOf("Site=", StringComparison.Ordinal) + 5;
            bytes[at] = 0xFF;
            x.Write("Imcfls", bytes);
            return Expect.Line("Imcfls line 6: expected UTF-8 text, found bytes that are not UTF-8");
        };
        c["imcfls-100MB-line"] = x =>
        {
            using (var f = new FileStream(x.Full("Imcfls"), FileMode.Append))
            {
                f.Write("Evil="u8);
                var chunk = new byte[1 << 20];
                chunk.AsSpan().Fill((byte)'A');
                for (var i = 0; i < 100; i++) f.Write(chunk);
                f.Write("\r\n"u8);
            }
            return Expect.Line($"Imcfls line {x.ListLines(upTo: 100_000).Count}: line is longer than {PackingListReader.MaxLineLength} characters");
        };
        c["imcfls-file-listed-twice"] = x =>
        {
            var n = x.FileLine("Imcsvc.reg");
            x.EditList(lines => lines.Insert(n, lines[n - 1]));
            return Expect.Line($"Imcfls line {n + 1}: key \"Imcsvc.reg\" appears twice in [Files] (first on line {n})");
        };
        c["imcfls-file-listed-twice-differing-in-case"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var n = x.FileLine(path);
            x.EditList(lines => lines.Insert(n, lines[n - 1].ToUpperInvariant().Replace(".TNEF=", ".tnef=", StringComparison.Ordinal)[..(path.Length + 1)] + lines[n - 1][(path.Length + 1)..]));
            return Expect.Line($"Imcfls line {n + 1}: key \"{path.ToUpperInvariant().Replace(".TNEF", ".tnef", StringComparison.Ordinal)}\" appears twice in [Files] (first on line {n})");
        };
        c["imcfls-message-listed-twice"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var n = x.List.Messages[0].Line;
            x.EditList(lines => lines.Insert(n, lines[n - 1]));
            return Expect.Line($"Imcfls line {n + 1}: key \"{path}\" appears twice in [Messages] (first on line {n})");
        };
        c["imcfls-unlisted-kind-of-file"] = x =>
        {
            var n = x.FileLine("Imcsvc.reg");
            x.EditList(lines => lines.Insert(n, "notes.txt=1 " + new string('0', 64)));
            return Expect.Line($"Imcfls line {n + 1}: 'notes.txt' is not a file a backup holds");
        };

        // ------------------------------------------------------------------ unsafe names in [Files]
        foreach (var (label, name, problem) in new[]
        {
            ("dotdot", "../x", "the name contains '..'"),
            ("dotdot-backslash", @"..\..\x", @"the name contains '\' (separators must be '/')"),
            ("queue-dotdot", "Mtsout/../../x", "the name contains '..'"),
            ("absolute-unix", "/etc/passwd", "the name is an absolute path"),
            ("absolute-drive", @"C:\x", "the name is an absolute path"),
            ("unc", @"\\server\share", @"the name contains '\' (separators must be '/')"),
            ("dot-segment", "Mtsout/./00000001.tnef", "the name contains a '.' segment"),
            ("empty-segment", "Mtsout//00000001.tnef", "the name has an empty segment"),
            ("colon-stream", "Imcsvc.reg:evil", "the name contains ':'"),
        })
            c[$"path-{label}"] = x =>
            {
                var n = x.EditListLine("Imcobj.csv=", l => name + l[l.IndexOf('=')..]);
                return Expect.Line($"Imcfls line {n}: unsafe file name '{name}': {problem}");
            };

        // ------------------------------------------------------------------ the folder against the list
        c["symlink-file-outside"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var elsewhere = x.Scratch("outside.tnef");
            File.Move(x.Full(path), elsewhere);
            File.CreateSymbolicLink(x.Full(path), elsewhere);
            return Expect.Line($"{path}: is a symbolic link (to {elsewhere}); a backup holds only regular files");
        };
        c["symlink-file-to-etc-passwd"] = x =>
        {
            File.Delete(x.Full("Imcobj.csv"));
            File.CreateSymbolicLink(x.Full("Imcobj.csv"), "/etc/passwd");
            return Expect.Line("Imcobj.csv: is a symbolic link (to /etc/passwd); a backup holds only regular files");
        };
        c["symlink-file-inside"] = x =>
        {
            var paths = x.List.Messages.Select(m => m.Path).Take(2).ToArray();
            File.Delete(x.Full(paths[1]));
            File.CreateSymbolicLink(x.Full(paths[1]), Path.GetFileName(paths[0]));
            return Expect.Line($"{paths[1]}: is a symbolic link (to {Path.GetFileName(paths[0])}); a backup holds only regular files");
        };
        c["symlink-folder-outside"] = x =>
        {
            var elsewhere = x.Scratch("Mtsout.elsewhere");
            System.IO.Directory.Move(x.Full("Mtsout"), elsewhere);
            System.IO.Directory.CreateSymbolicLink(x.Full("Mtsout"), elsewhere);
            return Expect.Line($"Mtsout: is a symbolic link (to {elsewhere}); a backup holds only regular files");
        };
        c["symlink-folder-inside"] = x =>
        {
            System.IO.Directory.Delete(x.Full("Bad"));
            System.IO.Directory.CreateSymbolicLink(x.Full("Bad"), "Work");
            return Expect.Line("Bad: is a symbolic link (to Work); a backup holds only regular files");
        };
        c["fifo-instead-of-file"] = x =>
        {
            File.Delete(x.Full("Imcobj.csv"));
            MakeFifo(x.Full("Imcobj.csv"));
            return Expect.Line("Imcobj.csv: is not a regular file");
        };
        c["fifo-extra"] = x =>
        {
            MakeFifo(x.Full("Mtsout/pipe"));
            return Expect.Line("Mtsout/pipe: the file is not listed in Imcfls (an extra file)");
        };
        c["extra-file-top-level"] = x =>
        {
            x.Write("README.txt", "hello"u8.ToArray());
            return Expect.Line("README.txt: the file is not listed in Imcfls (an extra file)");
        };
        c["extra-file-differing-in-case"] = x =>
        {
            var path = x.List.Messages[0].Path;
            var upper = path[..^5] + ".TNEF";
            File.Copy(x.Full(path), x.Full(upper));
            return Expect.Line($"{upper}: the file is not listed in Imcfls (an extra file)");
        };
        c["extra-folder"] = x =>
        {
            System.IO.Directory.CreateDirectory(x.Full("Evil"));
            return Expect.Line("Evil/: the folder is not part of the backup (not a saved queue in Imcfls)");
        };
        c["extra-nested-folder"] = x =>
        {
            System.IO.Directory.CreateDirectory(x.Full("Mtsout/sub"));
            return Expect.Line("Mtsout/sub/: the folder is not part of the backup (not a saved queue in Imcfls)");
        };
        c["missing-registry-file"] = x =>
        {
            File.Delete(x.Full("Imcpro.reg"));
            return Expect.Line($"Imcpro.reg: the file is missing (listed in Imcfls line {x.FileLine("Imcpro.reg")})");
        };
        c["missing-queue-folder"] = x =>
        {
            System.IO.Directory.Delete(x.Full("Work"));
            return Expect.Line("Work/: the queue folder is missing (Imcfls lists the queue as saved)");
        };
        return c;
    }

    private static void MakeFifo(string path)
    {
        var r = ToolRunner.RunCommand("mkfifo", [path]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}

/// <summary>One case's copy of the backup, with the edits the corpus needs.</summary>
internal sealed class CaseContext(string backup, string scratch)
{
    public string Backup { get; } = backup;
    public Imcfls List { get; } = PackingListReader.ReadFile(Path.Combine(backup, "Imcfls"));

    public string Full(string path) => Path.Combine(Backup, path.Replace('/', Path.DirectorySeparatorChar));
    public string Scratch(string name) => Path.Combine(scratch, name);
    public byte[] Read(string path) => File.ReadAllBytes(Full(path));
    public void Write(string path, byte[] bytes) => File.WriteAllBytes(Full(path), bytes);
    public int FileLine(string path) => List.FindFile(path)!.Line;

    /// <summary>A message file (the first) and its bytes.</summary>
    public (string Path, byte[] Bytes) Message()
    {
        var path = List.Messages[0].Path;
        return (path, Read(path));
    }

    /// <summary>The first message file that has an attachment.</summary>
    public (string Path, byte[] Bytes) MessageWithAttachment()
    {
        foreach (var m in List.Messages)
        {
            var bytes = Read(m.Path);
            if (Tnef.Attributes(bytes).Any(a => a.Id == TnefAttribute.AttachRenderData)) return (m.Path, bytes);
        }
        throw new InvalidOperationException("the sample backup has no message with an attachment");
    }

    /// <summary>Rewrites Imcfls with <paramref name="path"/>'s current size and SHA-256 (a careful forger).</summary>
    public void Relist(string path)
    {
        var list = PackingListReader.ReadFile(Full("Imcfls"));
        var i = list.Files.FindIndex(f => f.Path == path);
        list.Files[i] = FileDigest.Compute(Backup, path);
        File.Delete(Full("Imcfls"));
        PackingListWriter.WriteFile(list, Full("Imcfls"));
    }

    public List<string> ListLines(int upTo = int.MaxValue)
    {
        using var reader = new StreamReader(Full("Imcfls"), Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line.Length > upTo ? line[..upTo] : line);
        }
        return lines;
    }

    public void EditList(Action<List<string>> edit)
    {
        var lines = ListLines();
        edit(lines);
        File.WriteAllText(Full("Imcfls"), string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(false));
    }

    /// <summary>Replaces the first Imcfls line starting with <paramref name="start"/>; returns its 1-based number.</summary>
    public int EditListLine(string start, Func<string, string> change)
    {
        var n = 0;
        EditList(lines =>
        {
            var i = lines.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
            Assert.True(i >= 0, $"no Imcfls line starts with {start}");
            lines[i] = change(lines[i]);
            n = i + 1;
        });
        return n;
    }

    /// <summary>The first key of a .reg file (its path, without brackets).</summary>
    public string FirstRegKey(string file) =>
        File.ReadAllLines(Full(file), Encoding.Latin1).First(l => l.StartsWith('[')).Trim('[', ']');

    /// <summary>Appends a key line and a value line to a REGEDIT4 file, relists it; the expected error names the new line.</summary>
    public Expect AppendReg(string file, string keyLine, string? valueLine, string expected, bool exact = false)
    {
        var text = File.ReadAllText(Full(file), Encoding.Latin1);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) text += "\r\n";
        var keyLineNumber = text.Split("\r\n").Length + 1; // after one blank line
        text += "\r\n" + keyLine + "\r\n" + (valueLine is null ? "" : valueLine + "\r\n");
        File.WriteAllText(Full(file), text, Encoding.Latin1);
        Relist(file);
        var valueLineNumber = valueLine is null ? keyLineNumber : keyLineNumber + 1;
        return exact ? Expect.Line(expected) : Expect.Start(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, valueLineNumber));
    }

    public Expect EditCsv(Action<List<string>> edit, Expect expected)
    {
        var text = File.ReadAllText(Full("Imcobj.csv"), Encoding.Latin1);
        var lines = text.Split("\r\n").ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        edit(lines);
        File.WriteAllText(Full("Imcobj.csv"), string.Join("\r\n", lines) + "\r\n", Encoding.Latin1);
        Relist("Imcobj.csv");
        return expected;
    }
}

/// <summary>TNEF surgery on top-level attributes (offsets are absolute in the file).</summary>
internal static class Tnef
{
    public sealed record Attr(int Offset, byte Level, uint Id, int Length)
    {
        public int DataOffset => Offset + 9;
        public int End => DataOffset + Length + 2;
    }

    public static List<Attr> Attributes(byte[] bytes)
    {
        var list = new List<Attr>();
        for (var at = 6; at + 11 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 5));
            var a = new Attr(at, bytes[at], BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 1)), length);
            list.Add(a);
            at = a.End;
        }
        return list;
    }

    public static Attr Find(byte[] bytes, uint id) => Attributes(bytes).First(a => a.Id == id);

    /// <summary>The offset of PR_SEARCH_KEY's tag inside an attribute's data.</summary>
    public static int FindSearchKeyTag(byte[] bytes, Attr attr)
    {
        byte[] tag = [0x02, 0x01, 0x0B, 0x30];
        var i = bytes.AsSpan(attr.DataOffset, attr.Length).IndexOf(tag);
        if (i < 0) throw new InvalidOperationException("no PR_SEARCH_KEY in attMsgProps");
        return attr.DataOffset + i;
    }

    public static void FixChecksum(byte[] bytes, Attr attr)
    {
        ushort sum = 0;
        foreach (var b in bytes.AsSpan(attr.DataOffset, attr.Length)) sum += b;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(attr.DataOffset + attr.Length), sum);
    }

    /// <summary>Exchanges two adjacent attributes (a before b).</summary>
    public static byte[] Swap(byte[] bytes, Attr a, Attr b) =>
        [.. bytes.AsSpan(0, a.Offset), .. bytes.AsSpan(b.Offset, b.End - b.Offset), .. bytes.AsSpan(a.Offset, a.End - a.Offset), .. bytes.AsSpan(b.End)];
}
