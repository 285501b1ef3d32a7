namespace Imc.Backup.PackingList;

/// <summary>
/// The fixed names of a Backup folder (docs/backup-format.md) and the queue items: canonical item name, store
/// folder name, backup folder name. The one place these spellings live for save, restore and verify.
/// </summary>
public static class BackupLayout
{
    public const string PackingListName = "Imcfls";
    public const string ServiceRegName = "Imcsvc.reg";
    public const string ProfileRegName = "Imcpro.reg";
    public const string DirectoryCsvName = "Imcobj.csv";
    public const string MessageExtension = ".tnef";

    public const string RegistryItem = "Registry";
    public const string DirectoryItem = "Directory";

    /// <summary>The queue items in their fixed order.</summary>
    public static IReadOnlyList<QueueLayout> Queues { get; } =
    [
        new("MTSIn", "MTS-IN", "Mtsin"),
        new("MTSOut", "MTS-OUT", "Mtsout"),
        new("Bad", "Bad", "Bad"),
        new("ContentConversionFailed", "ContentConversionFailed", "ContentConversionFailed"),
        new("Work", "Work", "Work"),
    ];

    /// <summary>All item names in the fixed order Imcfls lists them.</summary>
    public static IReadOnlyList<string> ItemOrder { get; } = [RegistryItem, DirectoryItem, .. Queues.Select(q => q.Item)];

    public static QueueLayout? QueueByItem(string item) => Queues.FirstOrDefault(q => string.Equals(q.Item, item, StringComparison.OrdinalIgnoreCase));
    public static QueueLayout? QueueByBackupFolder(string folder) => Queues.FirstOrDefault(q => string.Equals(q.BackupFolder, folder, StringComparison.Ordinal));
    public static QueueLayout? QueueByStoreFolder(string folder) => Queues.FirstOrDefault(q => string.Equals(q.StoreFolder, folder, StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling of an item name (case-insensitive), or null when it is not an item.</summary>
    public static string? CanonicalItem(string item) => ItemOrder.FirstOrDefault(i => string.Equals(i, item, StringComparison.OrdinalIgnoreCase));

    /// <summary>The packing-list name of message number <paramref name="number"/> (1-based) of a queue: <c>Mtsout/00000001.tnef</c>.</summary>
    public static string MessagePath(QueueLayout queue, int number) =>
        $"{queue.BackupFolder}/{number.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)}{MessageExtension}";
}

/// <summary>A queue item: canonical name (MTSOut), store folder (MTS-OUT), backup folder (Mtsout).</summary>
public sealed record QueueLayout(string Item, string StoreFolder, string BackupFolder);
