using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Server.Tests.Store;

/// <summary>Messages that exercise everything the store keeps.</summary>
internal static class SampleMessages
{
    public static readonly Guid CustomSet = new("4a1f6c1e-9d3b-4f0e-8a55-6b0c2d7e9f10");

    public static MapiMessage Simple(string subject, string? searchKeyText = null)
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(PropTags.Subject, subject);
        m.Properties.Set(PropTags.SenderEmailAddress, "alice@example.com");
        m.Properties.Set(PropTags.Body, "Hello " + subject);
        if (searchKeyText is not null) m.Properties.Set(PropTags.SearchKey, Encoding.ASCII.GetBytes(searchKeyText));
        m.Recipients.Add(new MapiRecipient(RecipientType.To, "Bob", "bob@example.org"));
        return m;
    }

    /// <summary>Every property type single- and multi-valued, named properties, 300 recipients, every kind of attachment.</summary>
    public static MapiMessage Full()
    {
        var m = new MapiMessage { CodePage = 1251 };
        var p = m.Properties;
        p.Set(PropTags.MessageClass, "IPM.Note");
        p.Set(PropTags.Subject, "Every type: Grüße, 日本語, emoji 📨");
        p.Set(new PropTag(0x0E1D, PropType.String8), "normalized in ANSI");
        p.Set(PropTags.SenderEmailAddress, "alice@example.com");
        p.Set(new PropTag(0x6001, PropType.Short), (short)-12345);
        p.Set(PropTags.Importance, 2);
        p.Set(new PropTag(0x6002, PropType.Error), unchecked((int)0x8004010F));
        p.Set(new PropTag(0x6003, PropType.Float), 3.25f);
        p.Set(new PropTag(0x6004, PropType.Double), Math.PI);
        p.Set(new PropTag(0x6005, PropType.Currency), 123456789L);
        p.Set(new PropTag(0x6006, PropType.AppTime), 45000.5);
        p.Set(new PropTag(0x6007, PropType.Boolean), true);
        p.Set(new PropTag(0x6008, PropType.Boolean), false);
        p.Set(new PropTag(0x6009, PropType.Object), new MapiObject(PropertySets.IidStream, [1, 2, 3, 0, 255]));
        p.Set(new PropTag(0x600A, PropType.I8), long.MinValue);
        p.Set(PropTags.ClientSubmitTime, new DateTime(2026, 11, 25, 2, 0, 0, DateTimeKind.Utc).AddTicks(1234567));
        p.Set(new PropTag(0x600B, PropType.Clsid), new Guid("01234567-89ab-cdef-0123-456789abcdef"));
        p.Set(new PropTag(0x600C, PropType.Binary), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        p.Set(new PropTag(0x600D, PropType.Binary), Array.Empty<byte>());
        p.Set(new PropTag(0x600E, PropType.Unicode), "lone surrogate \ud800 kept");
        p.Set(new PropTag(0x600F, PropType.Unicode), "");
        p.Set(new PropTag(0x6010, PropType.MvShort), new short[] { 1, -2, 3 });
        p.Set(new PropTag(0x6011, PropType.MvLong), new[] { 1, int.MaxValue, int.MinValue });
        p.Set(new PropTag(0x6012, PropType.MvFloat), new[] { 1.5f, float.NaN });
        p.Set(new PropTag(0x6013, PropType.MvDouble), new[] { -0.0, double.MaxValue });
        p.Set(new PropTag(0x6014, PropType.MvCurrency), new[] { 1L, -1L });
        p.Set(new PropTag(0x6015, PropType.MvAppTime), new[] { 1.0, 2.0 });
        p.Set(new PropTag(0x6016, PropType.MvI8), new[] { long.MaxValue, 0L });
        p.Set(new PropTag(0x6017, PropType.MvString8), new[] { "a", "", "ccc" });
        p.Set(new PropTag(0x6018, PropType.MvUnicode), new[] { "ä", "€uro" });
        p.Set(new PropTag(0x6019, PropType.MvSysTime), new[] { DateTime.UnixEpoch, new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        p.Set(new PropTag(0x601A, PropType.MvClsid), new[] { Guid.Empty, PropertySets.PublicStrings });
        p.Set(new PropTag(0x601B, PropType.MvBinary), new[] { new byte[] { 1 }, Array.Empty<byte>(), new byte[] { 2, 3 } });
        p.Set(new PropTag(0x601C, PropType.MvLong), Array.Empty<int>());
        p.Set(PropertyName.FromId(PropertySets.Common, 0x8530), PropType.Unicode, "named by id");
        p.Set(PropertyName.FromName(PropertySets.PublicStrings, "Keywords"), PropType.MvUnicode, new[] { "x", "y" });
        p.Set(PropertyName.FromName(PropertySets.InternetHeaders, "x-mailer"), PropType.String8, "Imc tests");
        p.Set(PropertyName.FromId(CustomSet, 7), PropType.Long, 7);

        for (var i = 0; i < 300; i++)
        {
            var r = new MapiRecipient((RecipientType)(1 + i % 3), $"Recipient {i}", $"r{i}@example.org");
            if (i % 50 == 0) r.Properties.Set(PropertyName.FromName(CustomSet, "recipient-tag"), PropType.Long, i);
            m.Recipients.Add(r);
        }

        m.Attachments.Add(ByValue("empty.txt", []));
        m.Attachments.Add(ByValue("several-mb.bin", Pattern(5 * 1024 * 1024 + 123)));
        var ole = new MapiAttachment { Method = AttachMethod.Ole, Data = BinaryContent.FromBytes(Pattern(70000)) };
        ole.Properties.Set(PropTags.AttachRendering, new byte[] { 9, 8, 7 });
        m.Attachments.Add(ole);

        var inner = new MapiMessage();
        inner.Properties.Set(PropTags.MessageClass, "IPM.Note");
        inner.Properties.Set(PropTags.Subject, "embedded");
        inner.Properties.Set(PropertyName.FromName(CustomSet, "inner-named"), PropType.Boolean, true);
        inner.Recipients.Add(new MapiRecipient(RecipientType.Cc, "Carol", "carol@example.net"));
        inner.Attachments.Add(ByValue("inner.txt", Encoding.UTF8.GetBytes("inner attachment")));
        var innermost = new MapiMessage();
        innermost.Properties.Set(PropTags.Subject, "embedded twice");
        innermost.Attachments.Add(ByValue("deep.bin", Pattern(3000)));
        inner.Attachments.Add(Embedded(innermost));
        m.Attachments.Add(Embedded(inner));
        return m;
    }

    public static MapiAttachment ByValue(string name, byte[] data)
    {
        var a = new MapiAttachment { Method = AttachMethod.ByValue, Data = BinaryContent.FromBytes(data) };
        a.Properties.Set(PropTags.AttachLongFilename, name);
        a.Properties.Set(PropTags.AttachMimeTag, "application/octet-stream");
        return a;
    }

    public static MapiAttachment Embedded(MapiMessage message)
    {
        var a = new MapiAttachment { Method = AttachMethod.EmbeddedMessage, EmbeddedMessage = message };
        a.Properties.Set(PropTags.DisplayName, message.Subject ?? "");
        return a;
    }

    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)(i * 31 + (i >> 8));
        return bytes;
    }
}
