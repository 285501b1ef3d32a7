using Imc.Formats.Mapi;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Server.Store;

namespace Imc.Backup.Tests.Save;

/// <summary>Servers for the save tests: a fresh installed server, and messages with attachments in its queues.</summary>
internal static class TestServers
{
    public static readonly InstallOptions Options = new();

    public static string GatewayDn => ImcInstaller.GatewayDn(Options);

    public static ExchangeServer Create(string path) => ServerSetup.Create(path, Options);

    /// <summary>Adds <paramref name="count"/> messages to <paramref name="queue"/>; every third has an attachment.</summary>
    public static List<long> AddMessages(ExchangeServer server, string queue, int count, string tag = "m")
    {
        var folder = server.Store.FindMailbox(GatewayDn)!.OpenFolder(queue)!;
        var ids = new List<long>();
        for (var i = 0; i < count; i++) ids.Add(folder.AddMessage(Message($"{tag} {queue} {i}", withAttachment: i % 3 == 2)));
        return ids;
    }

    public static MapiMessage Message(string subject, bool withAttachment = false)
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(PropTags.Subject, subject);
        m.Properties.Set(PropTags.Body, "Body of " + subject + "\r\n");
        m.Recipients.Add(new MapiRecipient(RecipientType.To, "Someone", "someone@example.com"));
        if (withAttachment)
        {
            var a = new MapiAttachment { Data = BinaryContent.FromBytes(System.Text.Encoding.ASCII.GetBytes("attachment of " + subject)) };
            a.Properties.Set(PropTags.AttachLongFilename, "file.txt");
            a.Properties.Set(PropTags.AttachMethod, (int)AttachMethod.ByValue);
            m.Attachments.Add(a);
        }
        return m;
    }

    public static Folder Queue(ExchangeServer server, string name) => server.Store.FindMailbox(GatewayDn)!.OpenFolder(name)!;

    public static ImcIdentity Identity(ExchangeServer server) => ImcIdentity.Read(server.Registry);
}
