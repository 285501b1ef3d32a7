namespace Imc.Server;

/// <summary>Which server the programs use: -server PATH, else IMC_SERVER, else the per-user default location.</summary>
public static class ServerLocator
{
    public const string EnvironmentVariable = "IMC_SERVER";

    public static string Resolve(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        return DefaultPath;
    }

    /// <summary>${XDG_DATA_HOME:-~/.local/share}/imc/server, or %LOCALAPPDATA%\Imc\Server on Windows.</summary>
    public static string DefaultPath
    {
        get
        {
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Imc", "Server");
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var data = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
                : xdg;
            return Path.Combine(data, "imc", "server");
        }
    }
}
