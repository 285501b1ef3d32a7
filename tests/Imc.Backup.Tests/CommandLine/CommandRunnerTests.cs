using Imc.Backup.CommandLine;
using Imc.Server;

namespace Imc.Backup.Tests.CommandLine;

public sealed class CommandRunnerTests
{
    private static (int Code, string Err) Run(Func<int> command, bool debug = false)
    {
        var err = new StringWriter { NewLine = "\n" };
        var code = CommandRunner.Run("imcsave", err, command, debug);
        return (code, err.ToString());
    }

    [Fact]
    public void A_successful_command_returns_its_code_and_prints_nothing()
    {
        Assert.Equal((0, ""), Run(() => 0));
        Assert.Equal((7, ""), Run(() => ExitCodes.DeletionDeclined));
    }

    [Fact]
    public void Usage_errors_exit_1_with_program_prefix()
    {
        var (code, err) = Run(() => throw new UsageException("unknown option '-frobnicate'. Options: -output, -help."));
        Assert.Equal(1, code);
        Assert.Equal("imcsave: unknown option '-frobnicate'. Options: -output, -help.\n", err);
    }

    [Fact]
    public void Server_exceptions_exit_with_their_code_and_hint()
    {
        var (code, err) = Run(() => throw new ServerException("No server at /x (registry.db is missing).", "Create one with 'imcadmin setup'."));
        Assert.Equal(2, code);
        Assert.Equal("imcsave: No server at /x (registry.db is missing).\nhint: Create one with 'imcadmin setup'.\n", err);

        (code, err) = Run(() => throw new ServerException("The gateway is held by imcsave (pid 12).") { ExitCode = ExitCodes.GatewayBusy });
        Assert.Equal(4, code);
        Assert.Equal("imcsave: The gateway is held by imcsave (pid 12).\n", err);
    }

    private sealed class FakeTnefException(string message) : FormatException(message);

    [Fact]
    public void Format_exceptions_exit_5()
    {
        var (code, err) = Run(() => throw new FakeTnefException("TNEF signature 0x00000000 at offset 0 of a.tnef; expected 0x223E9F78."));
        Assert.Equal(5, code);
        Assert.Equal("imcsave: TNEF signature 0x00000000 at offset 0 of a.tnef; expected 0x223E9F78.\n", err);
    }

    [Fact]
    public void A_full_disk_exits_6_naming_the_file()
    {
        if (!File.Exists("/dev/full")) Assert.Skip("/dev/full exists only on Linux.");
        var (code, err) = Run(() =>
        {
            using var f = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            f.Write(new byte[65536]);
            f.Flush();
            return 0;
        });
        Assert.Equal(6, code);
        Assert.Equal("imcsave: No space left on device while writing /dev/full\nhint: Free some space, or write somewhere else.\n", err);
    }

    [Fact]
    public void A_disk_full_error_prefers_the_path_a_library_recorded()
    {
        var ex = new IOException("No space left on device", 28);
        ex.Data["Path"] = "/save/Backup/Mtsout/00000001.tnef";
        var (code, err) = Run(() => throw ex);
        Assert.Equal(6, code);
        Assert.StartsWith("imcsave: No space left on device while writing /save/Backup/Mtsout/00000001.tnef\n", err);
    }

    [Fact]
    public void Permission_denied_exits_6()
    {
        var (code, err) = Run(() => throw new UnauthorizedAccessException("Access to the path '/root/x' is denied."));
        Assert.Equal(6, code);
        Assert.Equal("imcsave: Access to the path '/root/x' is denied.\nhint: Check the permissions of the file and its folder.\n", err);
    }

    [Fact]
    public void A_bug_exits_70_with_one_line_and_no_stack_trace()
    {
        var (code, err) = Run(() => throw new InvalidOperationException("Sequence contains no elements"));
        Assert.Equal(70, code);
        Assert.Equal("imcsave: internal error: InvalidOperationException: Sequence contains no elements\n" +
                     "hint: This is a bug; please report it with the command you ran (set IMC_DEBUG=1 to see the details).\n", err);
        Assert.DoesNotContain(" at ", err);
    }

    [Fact]
    public void Debug_mode_adds_the_stack_trace()
    {
        var (code, err) = Run(() => throw new InvalidOperationException("boom"), debug: true);
        Assert.Equal(70, code);
        Assert.Contains("System.InvalidOperationException: boom", err);
        Assert.Contains(" at ", err);
    }

    [Fact]
    public void Multi_line_messages_are_folded_onto_one_line()
    {
        var (_, err) = Run(() => throw new CommandException("first\nsecond", 3, "a\r\nb"));
        Assert.Equal("imcsave: first second\nhint: a b\n", err);
    }

    [Fact]
    public void The_exit_code_table_lists_every_code()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 70, 130], ExitCodes.All.Select(e => e.Code));
        var table = ExitCodes.HelpTable.ReplaceLineEndings("\n");
        Assert.StartsWith("Exit codes:\n  0    OK\n  1    usage error", table);
        Assert.Contains("\n  7    deletion declined (no terminal and no -yes, or answered no): backup kept, nothing deleted\n", table);
        Assert.Contains("\n  70   internal error", table);
    }

    [Fact]
    public void A_usage_screen_has_synopsis_options_sections_and_exit_codes()
    {
        var text = UsageScreen.Render("IMCSAVE [-output SaveDir] [-save Item [Item]...] [-delete] [-help]", "Saves the IMC.",
            [OptionSpec.Single("output", 1, "SaveDir", "Create Backup under SaveDir."), OptionSpec.Multiple("save", 2, "Item", "Save only these items.")],
            ("Items", ImcItem.ItemList)).ReplaceLineEndings("\n");
        Assert.Equal(
            "Usage: IMCSAVE [-output SaveDir] [-save Item [Item]...] [-delete] [-help]\n\n" +
            "  Saves the IMC.\n\n" +
            "Options (any case; unambiguous prefixes accepted, e.g. -o):\n" +
            "  -output SaveDir       Create Backup under SaveDir.\n" +
            "  -save Item [Item]...  Save only these items.\n" +
            "  -help                 Show this screen.\n\n" +
            "Items:\n  Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work\n\n" +
            ExitCodes.HelpTable.ReplaceLineEndings("\n"), text);
    }
}
