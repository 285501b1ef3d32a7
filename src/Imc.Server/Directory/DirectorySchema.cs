namespace Imc.Server.Directory;

/// <summary>
/// The syntax of the Exchange 5.5 attributes a Mail-Gateway object carries (exchange-imc.md §5.4). Attributes not
/// listed are strings, which is what a directory export treats them as.
/// </summary>
public static class DirectorySchema
{
    /// <summary>The class of gateway (connector) objects such as the IMC.</summary>
    public const string MailGateway = "Mail-Gateway";

    private static readonly Dictionary<string, AttributeSyntax> Syntaxes = new(StringComparer.OrdinalIgnoreCase)
    {
        // Integers (counts, flags, booleans 0/1, intervals)
        ["Delivery-Mechanism"] = AttributeSyntax.Integer,
        ["Can-Preserve-DNs"] = AttributeSyntax.Integer,
        ["Line-Wrap"] = AttributeSyntax.Integer,
        ["Transfer-Timeout-Non-Urgent"] = AttributeSyntax.Integer,
        ["Transfer-Timeout-Normal"] = AttributeSyntax.Integer,
        ["Transfer-Timeout-Urgent"] = AttributeSyntax.Integer,
        ["Transfer-Retry-Interval"] = AttributeSyntax.Integer,
        ["USN-Changed"] = AttributeSyntax.Integer,
        ["USN-Created"] = AttributeSyntax.Integer,
        ["USN-Source"] = AttributeSyntax.Integer,
        ["Object-Version"] = AttributeSyntax.Integer,
        ["Activation-Style"] = AttributeSyntax.Integer,
        ["Encapsulation-Method"] = AttributeSyntax.Integer,
        ["Import-Sensitivity"] = AttributeSyntax.Integer,
        ["MDB-Backoff-Interval"] = AttributeSyntax.Integer,
        ["MDB-Msg-Time-Out-Period"] = AttributeSyntax.Integer,
        ["MDB-Unread-Limit"] = AttributeSyntax.Integer,
        ["MDB-Over-Quota-Limit"] = AttributeSyntax.Integer,
        ["MDB-Storage-Quota"] = AttributeSyntax.Integer,
        ["Submission-Cont-Length"] = AttributeSyntax.Integer,
        ["Delivery-Cont-Length"] = AttributeSyntax.Integer,
        ["Trust-Level"] = AttributeSyntax.Integer,
        ["Hide-From-Address-Book"] = AttributeSyntax.Integer,
        ["Translation-Table-Used"] = AttributeSyntax.Integer,
        ["Export-Custom-Recipients"] = AttributeSyntax.Integer,
        ["Is-Deleted"] = AttributeSyntax.Integer,
        // Binary (OIDs, schedules, security descriptors, extension blobs)
        ["Deliv-Ext-Cont-Types"] = AttributeSyntax.Binary,
        ["Extension-Data"] = AttributeSyntax.Binary,
        ["Activation-Schedule"] = AttributeSyntax.Binary,
        ["Object-Class"] = AttributeSyntax.Binary,
        ["Supported-Application-Context"] = AttributeSyntax.Binary,
        ["Deliverable-Information-Types"] = AttributeSyntax.Binary,
        ["NT-Security-Descriptor"] = AttributeSyntax.Binary,
        ["Replication-Signature"] = AttributeSyntax.Binary,
        ["Object-GUID"] = AttributeSyntax.Binary,
    };

    /// <summary>The syntax of <paramref name="attributeName"/> (case-insensitive); unknown names are String.</summary>
    public static AttributeSyntax SyntaxOf(string attributeName) =>
        Syntaxes.TryGetValue(attributeName, out var syntax) ? syntax : AttributeSyntax.String;

    /// <summary>The attributes this schema knows a syntax other than String for.</summary>
    public static IReadOnlyCollection<string> NonStringAttributes => Syntaxes.Keys;
}
