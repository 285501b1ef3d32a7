namespace Imc.Server.Store;

/// <summary>
/// One row of a folder's contents table: what a queue listing shows, and what a save needs to delete the message
/// later only if it is unchanged (<see cref="Version"/>). <see cref="Size"/> is the bytes of all properties plus
/// all attachment data, embedded messages included.
/// </summary>
public sealed record MessageInfo(
    long Id,
    byte[] EntryId,
    byte[] SearchKey,
    long Version,
    long Size,
    string? Subject,
    string? Sender,
    int RecipientCount,
    string? MessageClass);

/// <summary>A message of a folder's snapshot and its version (<see cref="Folder.ListMessageVersions"/>).</summary>
public readonly record struct MessageVersion(long Id, long Version);
