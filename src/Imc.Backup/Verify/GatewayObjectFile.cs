using Imc.Backup.PackingList;
using Imc.Server.Directory;
using Imc.Backup.Directory;
using Imc.Formats.Csv;

namespace Imc.Backup.Verify;

/// <summary>
/// Reads Imcobj.csv with the shared CSV reader and the one DirectoryObject ⇄ record mapping
/// (<c>Imc.Backup.Directory.GatewayObjectCsv</c>), and insists it is exactly the backup's gateway object.
/// </summary>
public static class GatewayObjectFile
{
    public static DirectoryObject Read(string full, string name, string gatewayDn)
    {
        IReadOnlyList<DirectoryRecord> records;
        DirectoryObject obj;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            records = DirectoryCsvReader.Read(stream);
            if (records.Count != 1)
                throw new BackupFormatException(name, $"the file holds {records.Count} directory objects; expected exactly the gateway object");
            // imcsave writes Mode Update; a record that says Create, Modify or Delete is not what restore would do.
            if (!string.Equals(records[0].Mode, GatewayObjectCsv.ModeValue, StringComparison.OrdinalIgnoreCase))
                throw new BackupFormatException(name, $"the record's Mode is '{Show(records[0].Mode ?? "")}'; a backup holds the gateway object with Mode {GatewayObjectCsv.ModeValue}");
            obj = GatewayObjectCsv.FromRecord(records[0]);
        }
        catch (BackupFormatException)
        {
            throw;
        }
        catch (FormatException e)
        {
            throw new BackupFormatException(name, e.Message, e);
        }
        return Check(obj, name, gatewayDn);
    }

    /// <summary>The object must be the gateway named in Imcfls, of class Mail-Gateway.</summary>
    public static DirectoryObject Check(DirectoryObject obj, string name, string gatewayDn)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!ExchangeDn.Equals(obj.DistinguishedName, gatewayDn))
            throw new BackupFormatException(name, $"the object {obj.DistinguishedName} is not the backup's gateway {gatewayDn}; only the gateway object may be restored");
        if (!string.Equals(obj.ObjectClass, DirectorySchema.MailGateway, StringComparison.OrdinalIgnoreCase))
            throw new BackupFormatException(name, $"the gateway object has class {obj.ObjectClass}; expected {DirectorySchema.MailGateway}");
        return obj;
    }

    private static string Show(string text) => text.Length > 100 ? string.Concat(text.AsSpan(0, 100), "…") : text;
}
