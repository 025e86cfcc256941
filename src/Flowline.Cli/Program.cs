using Flowline.Cli;
using Flowline.Cli.Tracing;
using Flowline.Execution.Processes;

// Before anything starts a process or installs a signal handler (issue 18: SIGCHLD ignored by our parent; steps'
// escaped processes re-parented to us rather than to PID 1).
StepProcesses.ConfigureHostProcess();

// Traces over OTLP only when OTEL_EXPORTER_OTLP_*ENDPOINT is set (issue 16); disposing flushes them before exit.
using var tracing = OtlpTracing.Start();
return await FlowlineApp.RunAsync(args, CliConsole.System(), CancellationToken.None);
