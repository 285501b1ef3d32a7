using Imc.Backup.CommandLine;
using Imcsave;

return CommandRunner.Run("imcsave", Console.Error, () => ImcsaveCommand.Execute(args));
