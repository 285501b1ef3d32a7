using System.Text.Json.Nodes;
using Imc.Backup.CommandLine;
using Imc.Backup.Verify;

namespace Imcadmin.Commands;

/// <summary>
/// imcadmin verify BackupDir: the complete check imcrestore makes before it touches anything (packing list, every
/// file's size and SHA-256, every file's structure), without a server. One line either way.
/// </summary>
internal static class VerifyCommand
{
    private static readonly OptionSpec[] Options = [OptionSpec.Flag("json", 1, "Print the result as JSON on one line.")];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("verify", Options, args, 1, 1, "BackupDir");
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin verify BackupDir [-json]",
                "Checks a Backup folder written by imcsave completely, without a server: the packing list (Imcfls), that the\n" +
                "folder holds exactly the listed files (no extra file, no symbolic link), every file's size and SHA-256, and\n" +
                "every file's structure (TNEF messages and their search keys, the .reg files inside the IMC's keys, the\n" +
                "gateway's directory object). Prints one line; a damaged backup exits with 5 naming the file and the problem.", Options));
            return ExitCodes.Ok;
        }
        // Any problem is a BackupFormatException: CommandRunner prints its one line and exits with 5.
        using var backup = BackupVerifier.Verify(p.Positionals[0]);
        if (p.Has("json"))
            stdout.WriteLine(Common.Json(new JsonObject
            {
                ["ok"] = true,
                ["backup"] = backup.BackupDir,
                ["files"] = backup.FileCount,
                ["messages"] = backup.MessageCount,
                ["bytes"] = backup.TotalBytes,
            }));
        else
            stdout.WriteLine($"Backup OK: {backup.FileCount} files, {backup.MessageCount} messages, {Common.Bytes(backup.TotalBytes)} bytes ({backup.BackupDir})");
        return ExitCodes.Ok;
    }
}
