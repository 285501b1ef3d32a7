using Imc.Backup.CommandLine;

namespace Imc.Backup.Tests.CommandLine;

public sealed class CommandLineParserTests
{
    // The imcsave command line, as the brief's example error lists it.
    private static readonly CommandLineSpec Imcsave = new("imcsave",
    [
        OptionSpec.Single("output", 1, "SaveDir", "Create Backup under SaveDir."),
        OptionSpec.Multiple("save", 2, "Item", "Save only these items."),
        OptionSpec.Flag("delete", 3, "Delete the saved messages."),
        OptionSpec.Single("server", 2, "PATH", "The server."),
        OptionSpec.Flag("yes", 3, "Delete without asking."),
        OptionSpec.Flag("json", 1, "JSON output."),
        OptionSpec.Flag("quiet", 1, "No progress."),
    ]);

    private const string Options = "Options: -output, -save, -delete, -server, -yes, -json, -quiet, -help.";

    private static ParsedCommandLine Parse(params string[] args) => CommandLineParser.Parse(Imcsave, args);

    public static TheoryData<string, string> AcceptedOptions => new()
    {
        { "-output", "output" }, { "-OUTPUT", "output" }, { "-Output", "output" }, { "-o", "output" }, { "-out", "output" }, { "--output", "output" }, { "--OUT", "output" },
        { "-sa", "save" }, { "-SAV", "save" }, { "-save", "save" },
        { "-se", "server" }, { "-serv", "server" }, { "-SERVER", "server" },
        { "-del", "delete" }, { "-dele", "delete" }, { "-DELETE", "delete" },
        { "-yes", "yes" }, { "-j", "json" }, { "-q", "quiet" }, { "-quiet", "quiet" },
        { "-help", "help" }, { "-h", "help" }, { "-HELP", "help" }, { "--help", "help" }, { "-?", "help" }, { "/?", "help" },
    };

    [Theory]
    [MemberData(nameof(AcceptedOptions))]
    public void Options_match_case_insensitively_by_prefix_from_their_minimum(string word, string option)
    {
        string[] args = option switch
        {
            "output" or "server" => [word, "x"],
            "save" => [word, "Reg"],
            _ => [word],
        };
        var parsed = Parse(args);
        Assert.True(parsed.Has(option));
        Assert.Empty(parsed.Positionals);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["-frobnicate"], "unknown option '-frobnicate'. " + Options },
        { ["--frobnicate"], "unknown option '--frobnicate'. " + Options },
        { ["-outputs", "x"], "unknown option '-outputs'. " + Options },
        { ["-s", "x"], "ambiguous option '-s' could be -save or -server. " + Options },
        { ["-d"], "option '-d' is too short: write at least -del for -delete." },
        { ["-ye"], "option '-ye' is too short: write at least -yes for -yes." },
        { ["-output"], "option -output needs a value (SaveDir)." },
        { ["-output", "-delete"], "option -output needs a value (SaveDir)." },
        { ["-save"], "option -save needs at least one Item." },
        { ["-save", "-delete"], "option -save needs at least one Item." },
        { ["-output", "a", "-o", "b"], "option -output is given more than once." },
        { ["-delete=yes"], "option -delete does not take a value ('-delete=yes')." },
        { ["stray"], "unexpected argument 'stray'." },
        { ["/output", "x"], "unexpected argument '/output' (options start with '-', not '/'). " + Options },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Usage_errors_have_exact_one_line_messages(string[] args, string message)
    {
        var ex = Assert.Throws<UsageException>(() => Parse(args));
        Assert.Equal(message, ex.Message);
        Assert.Equal(1, ex.ExitCode);
    }

    [Fact]
    public void Values_follow_their_option_and_multiple_values_run_to_the_next_option()
    {
        var p = Parse("-SAVE", "Reg", "MTSO", "/abs/path", "-OUTPUT", "/tmp/save dir", "-del", "-save", "Work");
        Assert.Equal("/tmp/save dir", p.Value("output"));
        Assert.Equal(["Reg", "MTSO", "/abs/path", "Work"], p.Values("save"));
        Assert.True(p.Has("delete"));
        Assert.False(p.Has("yes"));
        Assert.Null(p.Value("server"));
        Assert.Empty(p.Values("server"));
    }

    [Fact]
    public void Inline_values_and_the_end_of_options_marker_work()
    {
        var spec = new CommandLineSpec("imcadmin submit", [OptionSpec.Single("from", 2, "ADDR", "")], 1, int.MaxValue, "FILE.eml");
        var p = CommandLineParser.Parse(spec, ["--from=a@b", "x.eml", "--", "-odd.eml", "-"]);
        Assert.Equal("a@b", p.Value("from"));
        Assert.Equal(["x.eml", "-odd.eml", "-"], p.Positionals);
    }

    [Fact]
    public void A_value_may_be_a_path_starting_with_slash_and_a_lone_dash_is_an_argument()
    {
        var p = Parse("-o", "/var/backup");
        Assert.Equal("/var/backup", p.Value("output"));
        Assert.False(CommandLineParser.LooksLikeOption("-"));
        Assert.False(CommandLineParser.LooksLikeOption("-5"));
        Assert.False(CommandLineParser.LooksLikeOption("/output"));
        Assert.True(CommandLineParser.LooksLikeOption("-x"));
        Assert.True(CommandLineParser.LooksLikeOption("--x"));
    }

    [Fact]
    public void Help_wins_over_other_problems_except_unknown_options()
    {
        Assert.True(Parse("-output", "-help").HelpRequested);
        Assert.True(Parse("stray", "-?").HelpRequested);
        Assert.Throws<UsageException>(() => Parse("-frob", "-help"));
    }

    [Fact]
    public void Positional_counts_are_checked()
    {
        var spec = new CommandLineSpec("imcadmin list", [OptionSpec.Flag("json", 1, "")], 1, 1, "QUEUE");
        Assert.Equal(["MTSO"], CommandLineParser.Parse(spec, ["MTSO", "-json"]).Positionals);
        var missing = Assert.Throws<UsageException>(() => CommandLineParser.Parse(spec, ["-json"]));
        Assert.Equal("missing QUEUE.", missing.Message);
        Assert.Equal("'imcadmin list -help' shows the usage.", missing.Hint);
        Assert.Equal("unexpected argument 'b'.", Assert.Throws<UsageException>(() => CommandLineParser.Parse(spec, ["a", "b"])).Message);
    }

    [Fact]
    public void Option_list_ends_with_help() =>
        Assert.Equal("-output, -save, -delete, -server, -yes, -json, -quiet, -help", Imcsave.OptionList);
}
