using System.Diagnostics;
using System.Text;

namespace Imc.Testing;

/// <summary>
/// One of our executables running in the background (<c>dotnet NAME.dll</c>, as <see cref="ToolRunner"/> runs it), so
/// that a test can kill it at a chosen moment (SIGKILL on Unix) or run several at once. Every wait has a timeout; on
/// timeout the whole process tree is killed, so no test can hang on it.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _commandLine;

    private ToolProcess(ProcessStartInfo psi, string commandLine)
    {
        _commandLine = commandLine;
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        StartedAt = Stopwatch.GetTimestamp();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public int Id => _process.Id;

    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet TOOL.dll ARGS</c> from the test's output folder; with <paramref name="umask"/>, through <c>sh -c 'umask U; exec …'</c>.</summary>
    public static ToolProcess Start(string tool, IEnumerable<string> args, string? umask = null, IDictionary<string, string?>? env = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, tool + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{tool}.dll is not beside the tests; does the test project reference it?", dll);
        var argv = new List<string> { dll };
        argv.AddRange(args);
        ProcessStartInfo psi;
        if (umask is null)
        {
            psi = new ProcessStartInfo("dotnet");
            foreach (var a in argv) psi.ArgumentList.Add(a);
        }
        else
        {
            // "$@" keeps every argument exactly as given; exec keeps the process id (Kill reaches dotnet itself).
            psi = new ProcessStartInfo("/bin/sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"umask {umask} && exec dotnet \"$@\"");
            psi.ArgumentList.Add("sh");
            foreach (var a in argv) psi.ArgumentList.Add(a);
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        psi.Environment.Remove("IMC_SERVER");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return new ToolProcess(psi, $"{tool} {string.Join(' ', args)}");
    }

    /// <summary>Kills the process at once (SIGKILL on Unix: no handler, no cleanup) and waits for it to be gone.</summary>
    public void Kill(TimeSpan? timeout = null)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
            throw new TimeoutException($"{_commandLine} (pid {Id}) did not die within {timeout ?? TimeSpan.FromSeconds(30)} of SIGKILL.");
        _process.WaitForExit(); // drains the output readers
    }

    /// <summary>Waits until <paramref name="deadline"/> or the process exits; true when it exited by itself.</summary>
    public bool WaitUntil(long deadline)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        if (remaining > TimeSpan.Zero && _process.WaitForExit(remaining)) return true;
        return _process.HasExited;
    }

    /// <summary>Waits for the process to end by itself; kills the tree and throws after <paramref name="timeout"/>.</summary>
    public ToolResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"{_commandLine} did not finish within {timeout}; it was killed.\n{Output}");
        }
        _process.WaitForExit();
        return Result;
    }

    /// <summary>The exit code and output so far (after exit: all of it).</summary>
    public ToolResult Result
    {
        get
        {
            string o, e;
            lock (_stdout) o = _stdout.ToString();
            lock (_stderr) e = _stderr.ToString();
            return new ToolResult(_process.HasExited ? _process.ExitCode : -1, o, e);
        }
    }

    private string Output => Result.ToString();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Kill();
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
