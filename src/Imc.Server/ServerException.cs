namespace Imc.Server;

/// <summary>
/// A failure the user can act on (no server, IMC not installed, logon held, ...). <see cref="Exception.Message"/> is
/// one line naming the problem and the object; <see cref="Hint"/> optionally says what to do.
/// </summary>
public class ServerException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;

    /// <summary>
    /// The exit code the programs return for it (Imc.Backup.CommandLine.ExitCodes): 2 server or configuration problem
    /// (the default), 3 the output already exists, 4 the gateway is busy, 5 invalid input.
    /// </summary>
    public int ExitCode { get; init; } = 2;
}
