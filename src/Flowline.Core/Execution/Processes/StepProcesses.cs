namespace Flowline.Execution.Processes;

/// <summary>
/// The process-wide side of the processes steps start (script steps, command agents), for a host that owns the
/// process it runs in, as the <c>flowline</c> command does (issue 11: what the CLI needed of Core's internals).
/// </summary>
public static class StepProcesses
{
    /// <summary>
    /// For a host that owns its process, called once first thing (the <c>flowline</c> command does, issue 18): puts an
    /// inherited ignored SIGCHLD back to its default, without which a step on the fallback launch path never ends, and
    /// on Linux makes this process a child subreaper (<c>PR_SET_CHILD_SUBREAPER</c>), so that processes a step leaves
    /// outside its process group come back to it and are found and terminated at the end of the step. Only for a
    /// host whose own child processes are all started through Flowline: the subreaper adopts every orphan below it.
    /// Never throws; does nothing where the calls are missing.
    /// </summary>
    public static void ConfigureHostProcess() => HostProcess.Prepare();

    /// <summary>
    /// SIGKILLs every step process tree still alive in this process, at once and without waiting, and refuses to start
    /// new ones from now on. For a host about to exit without unwinding (a second Ctrl+C, then
    /// <see cref="Environment.Exit(int)"/>), which runs no <c>finally</c> that would stop them (STYLE rule 5).
    /// </summary>
    /// <returns>How many process trees were signalled.</returns>
    public static int KillAll() => LiveProcessTrees.KillAll();

    /// <summary>
    /// Optional: does the one-time work of the first process launch (launch path, reaper thread, first pipe read) now,
    /// so it overlaps loading the workflow instead of delaying the first step (issue #7). Starts no process; never throws.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the warm-up; the work itself is cheap and finishes regardless.</param>
    public static Task WarmUpAsync(CancellationToken cancellationToken = default) => ProcessLauncher.WarmUpAsync().WaitAsync(cancellationToken);
}
