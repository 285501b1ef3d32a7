using Imc.Backup.CommandLine;

namespace Imcsave;

/// <summary>The -help screen, in the spirit of the original's (KB Q195804).</summary>
internal static class HelpScreen
{
    public static string Text(CommandLineSpec spec) => UsageScreen.Render(
        "IMCSAVE [-output SaveDir] [-save Item [Item]...] [-delete] [-help]" + Environment.NewLine +
        "               [-server PATH] [-yes] [-json] [-quiet]",
        """
        IMC Configuration Extractor: takes a complete, restorable snapshot of the Internet Mail Connector.
          1. Reads RootDir (the Imcdata folder) from the IMC's registry parameters and creates Imcdata\Backup
             (or SaveDir\Backup with -output). If Backup already exists, it stops and changes nothing.
          2. Logs on to the information store as the IMC's gateway and immediately turns routing to the IMC
             off (PR_TRANSFER_ENABLED = FALSE): mail for the Internet waits in the MTA from then on.
          3. Imcsvc.reg: the IMC's service registry values (Services\MSExchangeIMC).
          4. Imcpro.reg: the IMC's MAPI profile registry values.
          5. Imcobj.csv: the IMC's directory object, in the Exchange directory-export format.
          6. Mtsout, Mtsin, Bad, ContentConversionFailed, Work: every message of each queue as a TNEF file.
          7. Imcfls: the packing list (size and SHA-256 of every file), written last.
        Routing stays off afterwards: turn it back on with 'imcadmin routing on' (or 'imcrestore -resume').
        Backup is private (0700, files 0600 on Unix): it holds people's mail.
        """,
        spec.Options,
        ("Items (any case; any prefix from the bracketed minimum up to the full word)",
            """
            Reg[istry]                  Imcsvc.reg and Imcpro.reg
            Dir[ectory]                 Imcobj.csv
            MTSI[n]                     MTS-IN queue   -> Backup\Mtsin
            MTSO[ut]                    MTS-OUT queue  -> Backup\Mtsout
            Bad                         Bad queue      -> Backup\Bad
            Con[tentConversionFailed]   ContentConversionFailed queue -> Backup\ContentConversionFailed
            Work                        Work queue     -> Backup\Work
            No -save means all items.
            """),
        ("-delete",
            """
            After the backup is complete and on disk, imcsave shows what it saved and asks before deleting.
            It deletes only messages that were saved: a message leaves its queue only if its file reads back
            with the recorded SHA-256 and the message is unchanged in the queue; others are kept and listed.
            Mail that arrived during the run is never deleted. Without a terminal, -yes is needed.
            """),
        ("Examples",
            """
            imcsave                                   save everything into Imcdata\Backup
            imcsave -output /srv/imc-save -save mtso  save MTS-OUT only into /srv/imc-save/Backup
            imcsave -delete -yes -json                save, delete what was saved, print JSON
            """));
}
