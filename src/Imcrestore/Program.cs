using Imc.Backup.CommandLine;
using Imcrestore;

return CommandRunner.Run(RestoreCommand.Program, Console.Error, () => RestoreCommand.Execute(args, Console.Out, Console.Error));
