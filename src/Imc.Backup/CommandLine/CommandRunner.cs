using System.Text.RegularExpressions;

namespace Imc.Backup.CommandLine;

/// <summary>
/// Runs a program's command and turns every failure into one line on stderr (<c>PROGRAM: message</c>, then
/// <c>hint: …</c> when there is one) and a documented exit code (<see cref="ExitCodes"/>). No stack trace is ever
/// shown unless <c>IMC_DEBUG=1</c>. Writes only to the writer it is given.
/// </summary>
public static partial class CommandRunner
{
    public const string DebugVariable = "IMC_DEBUG";

    /// <summary>Runs <paramref name="command"/> and returns its exit code, or the code of the exception it threw.</summary>
    public static int Run(string program, TextWriter stderr, Func<int> command, bool? debug = null)
    {
        try
        {
            return command();
        }
        catch (Exception ex)
        {
            var failure = Describe(ex);
            WriteError(stderr, program, failure.Message, failure.Hint);
            if (debug ?? Environment.GetEnvironmentVariable(DebugVariable) == "1") stderr.WriteLine(ex.ToString());
            return failure.ExitCode;
        }
    }

    /// <summary>Writes <c>PROGRAM: message</c> and, when given, <c>hint: hint</c>.</summary>
    public static void WriteError(TextWriter stderr, string program, string message, string? hint = null)
    {
        stderr.WriteLine($"{program}: {OneLine(message)}");
        if (!string.IsNullOrEmpty(hint)) stderr.WriteLine($"hint: {OneLine(hint)}");
    }

    /// <summary>The message, hint and exit code an exception is reported with.</summary>
    public static (string Message, string? Hint, int ExitCode) Describe(Exception ex)
    {
        switch (ex)
        {
            case CommandException c:
                return (c.Message, c.Hint, c.ExitCode);
            case Imc.Server.ServerException s:
                return (s.Message, s.Hint, s.ExitCode);
            case FormatException or InvalidDataException:
                return (ex.Message, null, ExitCodes.InvalidInput);
            case IOException io when IsDiskFull(io):
                var file = FileOf(io);
                return (file is null ? "No space left on device." : $"No space left on device while writing {file}",
                    "Free some space, or write somewhere else.", ExitCodes.IoError);
            case UnauthorizedAccessException:
                return (ex.Message, "Check the permissions of the file and its folder.", ExitCodes.IoError);
            case IOException:
                return (ex.Message, null, ExitCodes.IoError);
            case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 }:
                // SQLITE_FULL: a server database could not grow.
                return ("No space left on device: a server database could not grow (SQLite: database or disk is full).",
                    "Free some space on the server's disk, then run the command again.", ExitCodes.IoError);
            case OperationCanceledException:
                return ("interrupted.", null, ExitCodes.Cancelled);
            default:
                return ($"internal error: {ex.GetType().Name}: {ex.Message}",
                    $"This is a bug; please report it with the command you ran (set {DebugVariable}=1 to see the details).", ExitCodes.Internal);
        }
    }

    /// <summary>ENOSPC (28) on Unix; ERROR_DISK_FULL (112) or ERROR_HANDLE_DISK_FULL (39) as an HRESULT on Windows.</summary>
    public static bool IsDiskFull(IOException ex) =>
        ex.HResult == 28 || ex.HResult == unchecked((int)0x80070070) || ex.HResult == unchecked((int)0x80070027);

    /// <summary>The file a disk-full error happened in: <c>Data["Path"]</c> if a library set it, else the path .NET quotes in its message.</summary>
    private static string? FileOf(IOException ex)
    {
        if (ex.Data["Path"] is string path) return path;
        var m = QuotedPath().Match(ex.Message);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"'([^']+)'\s*\.?\s*$")]
    private static partial Regex QuotedPath();
}
