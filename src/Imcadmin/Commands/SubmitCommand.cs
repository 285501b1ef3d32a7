using Imc.Backup.CommandLine;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Server.Gateway;
using MimeKit;

namespace Imcadmin.Commands;

/// <summary>imcadmin submit: .eml files converted to MAPI, through the MTA to the Internet or straight into a queue.</summary>
internal static class SubmitCommand
{
    private static readonly OptionSpec[] Options =
    [
        Common.Server,
        OptionSpec.Single("queue", 1, "Q", "Put the messages straight into this queue instead of submitting them through the MTA."),
        OptionSpec.Single("from", 1, "ADDR", "The envelope sender (default: the From header)."),
        OptionSpec.Multiple("to", 1, "ADDR", "The envelope recipients (default: To, Cc and Bcc); all addresses up to the next option."),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("submit", Options, args, 1, int.MaxValue, "FILE.eml");
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin submit FILE.eml... [-queue Q] [-from ADDR] [-to ADDR...] [-server PATH]",
                "Converts each Internet message to a MAPI message as the IMC does. Without -queue it goes through the MTA to\n" +
                "the Internet: into MTS-OUT while routing is on, else held by the MTA until 'imcadmin routing on'.\n" +
                "With -queue it goes straight into that queue.", Options));
            return ExitCodes.Ok;
        }
        var queue = p.Value("queue") is { } q ? ImcItem.ParseQueue(q).QueueFolder! : null;
        var messages = p.Positionals.Select(file => (File: file, Message: Load(file, p.Value("from"), p.Values("to")))).ToList();

        var (server, identity) = Common.Open(p);
        using (server)
        {
            if (queue is null)
            {
                foreach (var (file, message) in messages)
                {
                    var result = server.Store.Mta.SubmitToInternet(identity.GatewayDn, message);
                    stdout.WriteLine(result.IsHeld
                        ? $"{file}: held by the MTA (routing to the IMC is off; 'imcadmin routing on' releases it into MTS-OUT)"
                        : $"{file}: routed into MTS-OUT");
                }
                return ExitCodes.Ok;
            }
            using var logon = server.Store.LogonGateway(identity.GatewayDn, Admin.Program + " submit");
            var folder = logon.Mailbox.OpenFolder(queue) ?? logon.Mailbox.CreateFolder(queue);
            foreach (var (file, message) in messages)
            {
                folder.AddMessage(message);
                stdout.WriteLine($"{file}: added to {queue}");
            }
        }
        return ExitCodes.Ok;
    }

    private static MapiMessage Load(string file, string? from, IReadOnlyList<string> to)
    {
        if (!File.Exists(file))
            throw new CommandException($"{file} does not exist.", ExitCodes.InvalidInput);
        MimeMessage mime;
        try
        {
            mime = MimeMessage.Load(file);
        }
        catch (FormatException ex)
        {
            throw new CommandException($"{file} is not an Internet message: {ex.Message}", ExitCodes.InvalidInput);
        }
        var message = MimeToMapi.Convert(mime);
        if (from is not null)
        {
            var name = message.Properties.GetString(PropTags.SenderName) ?? from;
            foreach (var (n, t, a) in new[]
            {
                (PropTags.SenderName, PropTags.SenderAddrType, PropTags.SenderEmailAddress),
                (PropTags.SentRepresentingName, PropTags.SentRepresentingAddrType, PropTags.SentRepresentingEmailAddress),
            })
            {
                message.Properties.Set(n, name);
                message.Properties.Set(t, "SMTP");
                message.Properties.Set(a, from);
            }
            message.Properties.Set(PropTags.SenderSearchKey, System.Text.Encoding.ASCII.GetBytes("SMTP:" + from.ToUpperInvariant() + "\0"));
            message.Properties.Set(PropTags.SentRepresentingSearchKey, System.Text.Encoding.ASCII.GetBytes("SMTP:" + from.ToUpperInvariant() + "\0"));
            message.Properties.Remove(PropTags.SenderEntryId);
            message.Properties.Remove(PropTags.SentRepresentingEntryId);
        }
        if (to.Count > 0)
        {
            message.Recipients.Clear();
            foreach (var address in to)
            {
                var r = new MapiRecipient(RecipientType.To, address, address);
                r.Properties.Set(PropTags.SmtpAddress, address);
                message.Recipients.Add(r);
            }
            message.Properties.Set(PropTags.DisplayTo, string.Join("; ", to));
            message.Properties.Set(PropTags.DisplayCc, "");
            message.Properties.Set(PropTags.DisplayBcc, "");
        }
        if (message.Recipients.Count == 0)
            throw new CommandException($"{file} has no recipients (no To, Cc or Bcc).", ExitCodes.InvalidInput, "Give them with -to ADDR.");
        return message;
    }
}
