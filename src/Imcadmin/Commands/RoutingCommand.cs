using Imc.Backup.CommandLine;

namespace Imcadmin.Commands;

/// <summary>imcadmin routing [on|off]: PR_TRANSFER_ENABLED on the gateway store.</summary>
internal static class RoutingCommand
{
    private static readonly OptionSpec[] Options = [Common.Server];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("routing", Options, args, 0, 1, "on or off");
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin routing [on|off] [-server PATH]",
                "Shows whether the MTA routes Internet mail to the IMC (PR_TRANSFER_ENABLED on the gateway store), or turns\n" +
                "it on or off. imcsave turns it off, as the original did, and leaves it off; 'on' releases the mail the MTA\n" +
                "held meanwhile into MTS-OUT.", Options));
            return ExitCodes.Ok;
        }
        bool? target = p.Positionals.Count == 0 ? null : p.Positionals[0].ToUpperInvariant() switch
        {
            "ON" => true,
            "OFF" => false,
            _ => throw new UsageException($"unknown routing state '{p.Positionals[0]}'; expected on or off."),
        };
        var (server, identity) = Common.Open(p);
        using (server)
        {
            var store = server.Store;
            if (target is null)
            {
                var enabled = store.GetTransferEnabled(identity.GatewayDn);
                var held = store.Mta.HeldCount(identity.GatewayDn);
                stdout.WriteLine($"Routing to the IMC is {(enabled ? "on" : "off")} (PR_TRANSFER_ENABLED = {(enabled ? "TRUE" : "FALSE")}); {Messages(held)} held by the MTA.");
                return ExitCodes.Ok;
            }
            using var logon = store.LogonGateway(identity.GatewayDn, Admin.Program + " routing");
            if (target.Value)
            {
                var held = store.Mta.HeldCount(identity.GatewayDn);
                store.SetTransferEnabled(identity.GatewayDn, true);
                stdout.WriteLine($"Routing to the IMC is on: {Messages(held)} held by the MTA moved into MTS-OUT.");
            }
            else
            {
                store.SetTransferEnabled(identity.GatewayDn, false);
                stdout.WriteLine("Routing to the IMC is off: the MTA holds Internet mail for the IMC until 'imcadmin routing on'.");
            }
        }
        return ExitCodes.Ok;
    }

    private static string Messages(int n) => n == 1 ? "1 message" : $"{n} messages";
}
