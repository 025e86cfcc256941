using Flowline.Cli;

return await FlowlineApp.RunAsync(args, CliConsole.System(), CancellationToken.None);
