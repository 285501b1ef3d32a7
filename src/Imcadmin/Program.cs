using Imc.Backup.CommandLine;
using Imcadmin;

return CommandRunner.Run(Admin.Program, Console.Error, () => Admin.Main(args, Console.Out, Console.Error));
