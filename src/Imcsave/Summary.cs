using System.Globalization;
using System.Text;
using Imc.Backup.Save;

namespace Imcsave;

/// <summary>The human summary printed after a run.</summary>
internal static class Summary
{
    public static string Render(SaveResult r)
    {
        var nl = Environment.NewLine;
        var sb = new StringBuilder();
        sb.Append("Backup: ").Append(r.BackupPath).Append(nl);
        foreach (var item in r.Items)
        {
            var what = item.Item.IsQueue
                ? item.Count is { } n ? $"{Units.Count(n, "message", "messages")} from {item.Item.QueueFolder}" : $"absent ({item.Item.QueueFolder} does not exist)"
                : Units.Count(item.Files, "file", "files");
            sb.Append(CultureInfo.InvariantCulture, $"  {item.Item.Name,-24} {what,-50} {Units.Bytes(item.Bytes)}").Append(nl);
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"Files written: {r.FilesWritten} (Imcfls included), {Units.Bytes(r.BytesWritten)}, in {Units.Seconds(r.Elapsed)}.").Append(nl);
        if (r.DeleteRan)
            sb.Append(CultureInfo.InvariantCulture, $"Deleted {Units.Count(r.Deleted, "message", "messages")} from the queues; kept {r.Kept.Count}.").Append(nl);
        else if (r.DeleteRequested)
            sb.Append("Nothing was deleted (-delete was not confirmed).").Append(nl);
        if (!r.TransferEnabled)
        {
            sb.Append("Routing to the Internet Mail Connector is OFF: mail for the Internet waits in the MTA.").Append(nl);
            sb.Append("Turn it back on with 'imcadmin routing on' (or 'imcrestore -resume' on the server you restore to).").Append(nl);
        }
        else
        {
            sb.Append("Routing to the Internet Mail Connector is on (no queue was saved, so it was not turned off).").Append(nl);
        }
        return sb.ToString();
    }
}
