namespace Imc.Formats.Tnef;

/// <summary>TNEF attribute ids (attribute type in the high word, id in the low word) and levels, per MS-OXTNEF §2.1.3.</summary>
public static class TnefAttribute
{
    public const uint Signature = 0x223E9F78;
    public const byte LevelMessage = 0x01;
    public const byte LevelAttachment = 0x02;

    public const uint Owner = 0x00060000;
    public const uint SentFor = 0x00060001;
    public const uint Delegate = 0x00060002;
    public const uint OriginalMessageClass = 0x00070006;
    public const uint DateStart = 0x00030006;
    public const uint DateEnd = 0x00030007;
    public const uint AidOwner = 0x00050008;
    public const uint RequestResponse = 0x00040009;
    public const uint From = 0x00008000;
    public const uint Subject = 0x00018004;
    public const uint DateSent = 0x00038005;
    public const uint DateReceived = 0x00038006;
    public const uint MessageStatus = 0x00068007;
    public const uint MessageClass = 0x00078008;
    public const uint MessageId = 0x00018009;
    public const uint ParentId = 0x0001800A;
    public const uint ConversationId = 0x0001800B;
    public const uint Body = 0x0002800C;
    public const uint Priority = 0x0004800D;
    public const uint AttachData = 0x0006800F;
    public const uint AttachTitle = 0x00018010;
    public const uint AttachMetaFile = 0x00068011;
    public const uint AttachCreateDate = 0x00038012;
    public const uint AttachModifyDate = 0x00038013;
    public const uint DateModified = 0x00038020;
    public const uint AttachTransportFilename = 0x00069001;
    public const uint AttachRenderData = 0x00069002;
    public const uint MsgProps = 0x00069003;
    public const uint RecipientTable = 0x00069004;
    public const uint Attachment = 0x00069005;
    public const uint TnefVersion = 0x00089006;
    public const uint OemCodepage = 0x00069007;

    private static readonly Dictionary<uint, string> Names = new()
    {
        [Owner] = "attOwner",
        [SentFor] = "attSentFor",
        [Delegate] = "attDelegate",
        [OriginalMessageClass] = "attOriginalMessageClass",
        [DateStart] = "attDateStart",
        [DateEnd] = "attDateEnd",
        [AidOwner] = "attAidOwner",
        [RequestResponse] = "attRequestRes",
        [From] = "attFrom",
        [Subject] = "attSubject",
        [DateSent] = "attDateSent",
        [DateReceived] = "attDateRecd",
        [MessageStatus] = "attMessageStatus",
        [MessageClass] = "attMessageClass",
        [MessageId] = "attMessageID",
        [ParentId] = "attParentID",
        [ConversationId] = "attConversationID",
        [Body] = "attBody",
        [Priority] = "attPriority",
        [AttachData] = "attAttachData",
        [AttachTitle] = "attAttachTitle",
        [AttachMetaFile] = "attAttachMetaFile",
        [AttachCreateDate] = "attAttachCreateDate",
        [AttachModifyDate] = "attAttachModifyDate",
        [DateModified] = "attDateModified",
        [AttachTransportFilename] = "attAttachTransportFilename",
        [AttachRenderData] = "attAttachRendData",
        [MsgProps] = "attMsgProps",
        [RecipientTable] = "attRecipTable",
        [Attachment] = "attAttachment",
        [TnefVersion] = "attTnefVersion",
        [OemCodepage] = "attOemCodepage",
    };

    /// <summary>The spec name of an attribute id ("attSubject"), or its hex form for unknown ids.</summary>
    public static string NameOf(uint id) => Names.TryGetValue(id, out var n) ? n : $"attribute 0x{id:X8}";
}
