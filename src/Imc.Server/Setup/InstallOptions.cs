using Imc.Server.Directory;

namespace Imc.Server.Setup;

/// <summary>The names an IMC installation is built from. The same options always give the same installation.</summary>
public sealed class InstallOptions
{
    public string ServerName { get; init; } = "EXCH1";
    public string Organization { get; init; } = "ORG";
    public string Site { get; init; } = "SITE";

    /// <summary>Throws a <see cref="ServerException"/> naming the first name that cannot be used in a DN or an account.</summary>
    public void Validate()
    {
        Check("server name", ServerName, extra: '\\');
        Check("organization name", Organization);
        Check("site name", Site);
    }

    private static void Check(string what, string? value, char? extra = null)
    {
        if (value is not null && ExchangeDn.IsValidName(value) && (extra is null || !value.Contains(extra.Value, StringComparison.Ordinal))
            && value == value.Trim())
            return;
        var forbidden = extra is null ? "'/', '='" : $"'/', '=', '{extra}'";
        throw new ServerException(
            $"The {what} '{value}' cannot be used: a name must not be empty, start or end with a space, or contain {forbidden} or control characters.");
    }
}
