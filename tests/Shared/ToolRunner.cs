using System.Diagnostics;

namespace Imc.Testing;

/// <summary>The result of running a program: exit code and everything it printed.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs our real executables (imcsave, imcrestore, imcadmin) as a user would, through `dotnet NAME.dll` from the
/// test's output folder, with no terminal and a controlled environment.
/// </summary>
internal static class ToolRunner
{
    public static ToolResult Run(string tool, IEnumerable<string> args, IDictionary<string, string?>? env = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, tool + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{tool}.dll is not beside the tests; does the test project reference it?", dll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("IMC_SERVER");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return RunProcess(psi, stdin, timeout ?? TimeSpan.FromMinutes(5));
    }

    public static ToolResult RunCommand(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        return RunProcess(psi, null, timeout ?? TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs a shell command line (bash -c) as a user would type it.</summary>
    public static ToolResult RunShell(string commandLine, string workingDirectory, IDictionary<string, string?>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(commandLine);
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return RunProcess(psi, null, timeout ?? TimeSpan.FromMinutes(5));
    }

    private static ToolResult RunProcess(ProcessStartInfo psi, string? stdin, TimeSpan timeout)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}.");
        }
        return new ToolResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
