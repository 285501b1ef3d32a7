namespace Imc.Backup.Verify;

/// <summary>How far verification is: files and bytes checked of the totals, and the file being checked.</summary>
public sealed record VerifyProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, string? CurrentFile);
