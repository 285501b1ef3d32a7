using Imc.Formats.Mapi;
using Imc.Formats.Tnef;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Hand-built messages shared by the TNEF tests.</summary>
internal static class TestMessages
{
    public static readonly DateTime Sent = new(2024, 3, 9, 14, 30, 15, DateTimeKind.Utc);

    /// <summary>Every property type (single and multi-valued, plain, named by id and by string, PT_OBJECT), recipients,
    /// attachments by value (0 bytes, small, <paramref name="bigBytes"/>), OLE, and an embedded message that has its
    /// own attachment and embedded message.</summary>
    public static MapiMessage Full(int recipients = 300, int bigBytes = 3 * 1024 * 1024)
    {
        var m = Simple("Everything: é ü € and 日本語");
        var p = m.Properties;
        p.Set(PropTags.SenderName, "Ann Sender");
        p.Set(PropTags.SenderAddrType, "SMTP");
        p.Set(PropTags.SenderEmailAddress, "ann@example.com");
        p.Set(PropTags.MessageDeliveryTime, Sent.AddMinutes(1));
        p.Set(PropTags.LastModificationTime, Sent.AddMinutes(2).AddTicks(1234567));
        p.Set(PropTags.Importance, 2);
        p.Set(PropTags.SearchKey, Enumerable.Range(0, 16).Select(i => (byte)(i * 7)).ToArray());
        p.Set(PropTags.Html, "<html><body>Hi</body></html>"u8.ToArray());
        p.Set(PropTags.InternetMessageId.WithType(PropType.String8), "<abc@example.com>");
        p.Set(PropTags.TnefCorrelationKey, "<abc@example.com>\0"u8.ToArray());
        p.Set(new PropTag(0x6701, PropType.Short), (short)-2);
        p.Set(new PropTag(0x6702, PropType.Long), int.MinValue);
        p.Set(new PropTag(0x6703, PropType.Float), 3.25f);
        p.Set(new PropTag(0x6704, PropType.Double), Math.PI);
        p.Set(new PropTag(0x6705, PropType.Currency), 123456789L);
        p.Set(new PropTag(0x6706, PropType.AppTime), 45000.5);
        p.Set(new PropTag(0x6707, PropType.Error), unchecked((int)0x8004010F));
        p.Set(new PropTag(0x6708, PropType.Boolean), true);
        p.Set(new PropTag(0x6709, PropType.I8), long.MaxValue);
        p.Set(new PropTag(0x670A, PropType.String8), "ansi é");
        p.Set(new PropTag(0x670B, PropType.Unicode), "unicode 😀 日本");
        p.Set(new PropTag(0x670C, PropType.SysTime), new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1));
        p.Set(new PropTag(0x670D, PropType.Clsid), new Guid("01234567-89ab-cdef-0123-456789abcdef"));
        p.Set(new PropTag(0x670E, PropType.Binary), new byte[] { 1, 2, 3 });
        p.Set(new PropTag(0x670F, PropType.Binary), Array.Empty<byte>());
        p.Set(new PropTag(0x6710, PropType.Object), new MapiObject(PropertySets.IidStream, [9, 8, 7, 6, 5]));
        p.Set(new PropTag(0x6711, PropType.MvShort), new short[] { 1, -1, 3 });
        p.Set(new PropTag(0x6712, PropType.MvLong), new[] { 1, 2 });
        p.Set(new PropTag(0x6713, PropType.MvFloat), new[] { 1.5f });
        p.Set(new PropTag(0x6714, PropType.MvDouble), new[] { 2.5, -0.0 });
        p.Set(new PropTag(0x6715, PropType.MvCurrency), new[] { 5L });
        p.Set(new PropTag(0x6716, PropType.MvAppTime), new[] { 1.0 });
        p.Set(new PropTag(0x6717, PropType.MvI8), new[] { -5L, 6L });
        p.Set(new PropTag(0x6718, PropType.MvString8), new[] { "red", "blue", "" });
        p.Set(new PropTag(0x6719, PropType.MvUnicode), new[] { "grün", "青" });
        p.Set(new PropTag(0x671A, PropType.MvSysTime), new[] { Sent, Sent.AddDays(1) });
        p.Set(new PropTag(0x671B, PropType.MvClsid), new[] { Guid.Empty, PropertySets.Common });
        p.Set(new PropTag(0x671C, PropType.MvBinary), new[] { new byte[] { 1 }, Array.Empty<byte>(), new byte[] { 2, 3, 4, 5, 6 } });
        p.Set(new PropTag(0x671D, PropType.MvLong), Array.Empty<int>());
        p.Set(PropertyName.FromId(PropertySets.Common, 0x8503), PropType.Boolean, true);
        p.Set(PropertyName.FromId(PropertySets.Appointment, 0x820D), PropType.SysTime, Sent);
        p.Set(PropertyName.FromName(PropertySets.InternetHeaders, "x-mailer"), PropType.String8, "Imcsave tests");
        p.Set(PropertyName.FromName(PropertySets.PublicStrings, "Keywords"), PropType.MvUnicode, new[] { "a", "bc" });
        p.Set(PropertyName.FromName(PropertySets.PublicStrings, "odd"), PropType.Long, 7); // 3 chars + NUL: 8 bytes, no pad
        p.Set(PropertyName.FromName(PropertySets.PublicStrings, "od"), PropType.Long, 8); // 6 bytes: padded

        for (var i = 0; i < recipients; i++)
        {
            var r = new MapiRecipient((RecipientType)(1 + i % 3), $"Recipient {i} é", $"r{i}@example.org");
            r.Properties.Set(PropTags.RowId, i);
            r.Properties.Set(PropTags.EntryId, BitConverter.GetBytes(i));
            m.Recipients.Add(r);
        }

        m.Attachments.Add(File("empty.txt", []));
        m.Attachments.Add(File("hello.txt", "Hello, world!\r\n"u8.ToArray()));
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, bigBytes, 42) });
        m.Attachments[^1].Properties.Set(PropTags.AttachLongFilename, "big.bin");
        var ole = new MapiAttachment { Method = AttachMethod.Ole, Data = BinaryContent.FromBytes(Enumerable.Range(0, 1001).Select(i => (byte)i).ToArray()) };
        ole.Properties.Set(PropTags.AttachFilename.WithType(PropType.String8), "OLE.DOC");
        ole.Properties.Set(PropTags.RenderingPosition, 12);
        m.Attachments.Add(ole);

        var inner = Simple("Inner");
        inner.Attachments.Add(File("inner.txt", "inner attachment"u8.ToArray()));
        var innermost = Simple("Innermost");
        innermost.CodePage = 1251;
        innermost.Properties.Set(new PropTag(0x670A, PropType.String8), "Привет");
        inner.Attachments.Add(Embedded(innermost));
        m.Attachments.Add(Embedded(inner));
        return m;
    }

    public static MapiMessage Simple(string subject)
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(PropTags.Subject, subject);
        m.Properties.Set(PropTags.Body, "Body of " + subject + "\r\n");
        m.Properties.Set(PropTags.ClientSubmitTime, Sent);
        return m;
    }

    public static MapiAttachment File(string name, byte[] data)
    {
        var a = new MapiAttachment { Method = AttachMethod.ByValue, Data = BinaryContent.FromBytes(data) };
        a.Properties.Set(PropTags.AttachLongFilename, name);
        a.Properties.Set(PropTags.AttachMimeTag, "application/octet-stream");
        a.Properties.Set(PropTags.AttachSize, data.Length);
        return a;
    }

    public static MapiAttachment Embedded(MapiMessage message)
    {
        var a = new MapiAttachment { Method = AttachMethod.EmbeddedMessage, EmbeddedMessage = message };
        a.Properties.Set(PropTags.DisplayName, message.Subject ?? "");
        return a;
    }

    /// <summary>Removes properties of the given types everywhere (for decoders that do not know them).</summary>
    public static MapiMessage RemoveTypes(MapiMessage m, params PropType[] types)
    {
        void Bag(PropertyBag bag)
        {
            foreach (var p in bag.ToList())
                if (types.Contains(p.Tag.ValueType)) bag.Remove(p.Tag);
        }
        Bag(m.Properties);
        foreach (var r in m.Recipients) Bag(r.Properties);
        foreach (var a in m.Attachments)
        {
            Bag(a.Properties);
            if (a.EmbeddedMessage is { } e) RemoveTypes(e, types);
        }
        return m;
    }

    public static byte[] ToBytes(MapiMessage m)
    {
        using var ms = new MemoryStream();
        TnefWriter.Write(m, ms);
        return ms.ToArray();
    }

    public static MapiMessage FromBytes(byte[] bytes, TnefReadOptions? options = null) => TnefReader.Read(new MemoryStream(bytes), options);
}
