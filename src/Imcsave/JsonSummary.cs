using System.Text;
using System.Text.Json;
using Imc.Backup.Save;

namespace Imcsave;

/// <summary>
/// The -json output: one object. <c>items[].count</c> is the number of messages saved for a queue (null when its
/// folder is absent) and the number of files for Registry and Directory.
/// </summary>
internal static class JsonSummary
{
    public static string Render(SaveResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("backup", r.BackupPath);
            w.WriteString("gateway", r.GatewayDn);
            w.WriteStartArray("items");
            foreach (var item in r.Items)
            {
                w.WriteStartObject();
                w.WriteString("item", item.Item.Name);
                if (item.Item.IsQueue) w.WriteString("folder", item.Item.QueueFolder);
                if (item.Item.IsQueue && item.Count is null) w.WriteNull("count");
                else w.WriteNumber("count", item.Item.IsQueue ? item.Count!.Value : item.Files);
                w.WriteBoolean("absent", item.Absent);
                w.WriteNumber("bytes", item.Bytes);
                w.WriteNumber("files", item.Files);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("files", r.FilesWritten);
            w.WriteNumber("bytes", r.BytesWritten);
            w.WriteNumber("messages", r.MessagesSaved);
            w.WriteBoolean("deleteRequested", r.DeleteRequested);
            w.WriteBoolean("deleteRan", r.DeleteRan);
            w.WriteNumber("deleted", r.Deleted);
            w.WriteNumber("kept", r.Kept.Count);
            w.WriteStartArray("keptMessages");
            foreach (var k in r.Kept)
            {
                w.WriteStartObject();
                w.WriteString("file", k.File);
                w.WriteString("folder", k.Folder);
                w.WriteString("reason", k.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("transferEnabled", r.TransferEnabled);
            w.WriteString("started", r.Started.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("finished", r.Finished.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }
}
