using Imc.Backup.CommandLine;
using Imcadmin;

return CommandRunner.Run(Admin.Program, Console.Error, () => Admin.Run(args, Console.Out, Console.Error));
