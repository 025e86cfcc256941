using Flowline.Cli;
using Flowline.Execution.Processes;

// Before anything starts a process or installs a signal handler (issue 18: SIGCHLD ignored by our parent; steps'
// escaped processes re-parented to us rather than to PID 1).
StepProcesses.ConfigureHostProcess();
return await FlowlineApp.RunAsync(args, CliConsole.System(), CancellationToken.None);
