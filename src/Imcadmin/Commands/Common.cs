using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imc.Backup.CommandLine;
using Imc.Server;
using Imc.Server.Gateway;

namespace Imcadmin.Commands;

/// <summary>What the commands share: the -server option, opening the server, numbers and sizes, JSON output.</summary>
internal static class Common
{
    public static OptionSpec Server { get; } = OptionSpec.Single("server", 3, "PATH", "The server folder (default: IMC_SERVER, else the per-user default).");

    public static ParsedCommandLine Parse(string command, IEnumerable<OptionSpec> options, IReadOnlyList<string> args, int minPositionals = 0, int maxPositionals = 0, string? positionalName = null) =>
        CommandLineParser.Parse(new CommandLineSpec($"{Admin.Program} {command}", options, minPositionals, maxPositionals, positionalName), args);

    public static (ExchangeServer Server, ImcIdentity Identity) Open(ParsedCommandLine parsed)
    {
        var server = ExchangeServer.Open(ServerLocator.Resolve(parsed.Value("server")));
        try
        {
            return (server, ImcIdentity.Read(server.Registry));
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public static int ParseCount(string text, string what)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        throw new UsageException($"{what} must be a whole number from 0 to {int.MaxValue}, not '{text}'.");
    }

    /// <summary>
    /// A size such as 1234, 5MB or 1GiB: B, KB, MB, GB are powers of 1000; KiB, MiB, GiB powers of 1024 (any case).
    /// </summary>
    public static long ParseSize(string text)
    {
        var t = text.Trim();
        var i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
        var unit = t[i..].Trim().ToUpperInvariant();
        long factor = unit switch
        {
            "" or "B" => 1,
            "KB" => 1000, "MB" => 1000_000, "GB" => 1000_000_000,
            "KIB" => 1L << 10, "MIB" => 1L << 20, "GIB" => 1L << 30,
            _ => 0,
        };
        if (i == 0 || factor == 0 || !long.TryParse(t[..i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue / factor)
            throw new UsageException($"'{text}' is not a size; write bytes, or a number with B, KB, MB, GB, KiB, MiB or GiB (1GiB, 5MB, 1234).");
        return n * factor;
    }

    public static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON on one line with a space after every ':' and ',' (System.Text.Json escapes every value).</summary>
    public static string Json(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(", ", o.Select(p => JsonSerializer.Serialize(p.Key, Relaxed) + ": " + Json(p.Value))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(Json)) + "]",
        _ => node.ToJsonString(Relaxed),
    };
}
