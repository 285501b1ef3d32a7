namespace Imc.Backup.CommandLine;

/// <summary>
/// A failure an executable reports with a chosen exit code: one-line <see cref="Exception.Message"/>, optional
/// <see cref="Hint"/>. The command runner prints it as <c>PROGRAM: message</c> and <c>hint: …</c>.
/// </summary>
public class CommandException(string message, int exitCode, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
    public string? Hint { get; } = hint;
}

/// <summary>The command line could not be understood (exit code 1).</summary>
public sealed class UsageException(string message, string? hint = null) : CommandException(message, ExitCodes.Usage, hint);
