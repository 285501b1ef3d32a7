using Imc.Backup.CommandLine;

namespace Imc.Backup.Tests.CommandLine;

public sealed class ImcItemTests
{
    public static TheoryData<string, string> AcceptedItems => new()
    {
        { "Reg", "Registry" }, { "REG", "Registry" }, { "regi", "Registry" }, { "Regis", "Registry" }, { "Registr", "Registry" }, { "Registry", "Registry" }, { "registry", "Registry" },
        { "Dir", "Directory" }, { "dire", "Directory" }, { "DIRECTORY", "Directory" }, { "Director", "Directory" },
        { "MTSI", "MTSIn" }, { "mtsi", "MTSIn" }, { "MTSIn", "MTSIn" }, { "mtsin", "MTSIn" },
        { "MTSO", "MTSOut" }, { "mtso", "MTSOut" }, { "MTSOu", "MTSOut" }, { "MTSOut", "MTSOut" }, { "MTSOUT", "MTSOut" },
        { "Bad", "Bad" }, { "BAD", "Bad" }, { "bad", "Bad" },
        { "Con", "ContentConversionFailed" }, { "cont", "ContentConversionFailed" }, { "ContentConv", "ContentConversionFailed" },
        { "ContentConversionFailed", "ContentConversionFailed" }, { "CONTENTCONVERSIONFAILED", "ContentConversionFailed" },
        { "Work", "Work" }, { "WORK", "Work" }, { "work", "Work" },
    };

    [Theory]
    [MemberData(nameof(AcceptedItems))]
    public void Every_abbreviation_from_the_minimum_to_the_full_word_is_accepted(string word, string expected) =>
        Assert.Equal(expected, ImcItem.Parse(word).Name);

    public static TheoryData<string, string> RejectedItems => new()
    {
        { "Regs", "unknown item 'Regs'. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "Registryy", "unknown item 'Registryy'. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "MTS-OUT", "unknown item 'MTS-OUT'. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "", "unknown item ''. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "MTS", "ambiguous item 'MTS' could be MTSI[n] or MTSO[ut]. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "m", "ambiguous item 'm' could be MTSI[n] or MTSO[ut]. Items: Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work." },
        { "Re", "item 'Re' is too short: write at least 'Reg' for Reg[istry]." },
        { "D", "item 'D' is too short: write at least 'Dir' for Dir[ectory]." },
        { "Ba", "item 'Ba' is too short: write at least 'Bad' for Bad." },
        { "Co", "item 'Co' is too short: write at least 'Con' for Con[tentConversionFailed]." },
        { "Wor", "item 'Wor' is too short: write at least 'Work' for Work." },
    };

    [Theory]
    [MemberData(nameof(RejectedItems))]
    public void Unknown_ambiguous_and_too_short_items_are_usage_errors_with_exact_text(string word, string message)
    {
        var ex = Assert.Throws<UsageException>(() => ImcItem.Parse(word));
        Assert.Equal(message, ex.Message);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    public static TheoryData<string, string> AcceptedQueues => new()
    {
        { "MTS-IN", "MTSIn" }, { "mts-in", "MTSIn" }, { "MTSI", "MTSIn" }, { "MTSIn", "MTSIn" },
        { "MTS-OUT", "MTSOut" }, { "Mts-Out", "MTSOut" }, { "MTSO", "MTSOut" }, { "mtsout", "MTSOut" },
        { "Bad", "Bad" }, { "BAD", "Bad" },
        { "Con", "ContentConversionFailed" }, { "ContentConversionFailed", "ContentConversionFailed" },
        { "Work", "Work" }, { "work", "Work" },
    };

    [Theory]
    [MemberData(nameof(AcceptedQueues))]
    public void Queues_accept_the_abbreviations_and_the_folder_names(string word, string expected) =>
        Assert.Equal(expected, ImcItem.ParseQueue(word).Name);

    public static TheoryData<string, string> RejectedQueues => new()
    {
        { "Registry", "unknown queue 'Registry'. Queues: MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work." },
        { "MTS-", "unknown queue 'MTS-'. Queues: MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work." },
        { "MTS", "ambiguous queue 'MTS' could be MTSI[n] or MTSO[ut]. Queues: MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work." },
        { "Wo", "queue 'Wo' is too short: write at least 'Work' for Work." },
    };

    [Theory]
    [MemberData(nameof(RejectedQueues))]
    public void Unknown_queues_are_usage_errors_with_exact_text(string word, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => ImcItem.ParseQueue(word)).Message);

    [Fact]
    public void Items_carry_display_folder_and_backup_names()
    {
        Assert.Equal(["Registry", "Directory", "MTSIn", "MTSOut", "Bad", "ContentConversionFailed", "Work"], ImcItem.All.Select(i => i.Name));
        Assert.Equal([null, null, "MTS-IN", "MTS-OUT", "Bad", "ContentConversionFailed", "Work"], ImcItem.All.Select(i => i.QueueFolder));
        Assert.Equal([null, null, "Mtsin", "Mtsout", "Bad", "ContentConversionFailed", "Work"], ImcItem.All.Select(i => i.BackupFolder));
        Assert.Equal(["Reg[istry]", "Dir[ectory]", "MTSI[n]", "MTSO[ut]", "Bad", "Con[tentConversionFailed]", "Work"], ImcItem.All.Select(i => i.Abbreviation));
        Assert.Equal(["MTS-IN", "MTS-OUT", "Bad", "ContentConversionFailed", "Work"], ImcItem.Queues.Select(q => q.QueueFolder));
        Assert.False(ImcItem.Registry.IsQueue);
        Assert.True(ImcItem.Work.IsQueue);
    }

    [Fact]
    public void A_save_list_is_deduplicated_and_put_in_the_original_order() =>
        Assert.Equal([ImcItem.Registry, ImcItem.MtsOut, ImcItem.Work], ImcItem.ParseList(["work", "MTSO", "Reg", "Registry", "mtsout"]));
}
