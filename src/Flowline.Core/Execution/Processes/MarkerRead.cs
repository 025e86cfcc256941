namespace Flowline.Execution.Processes;

/// <summary>What reading a process's environment said about a launch's marker (<see cref="StrayProcesses"/>).</summary>
internal enum MarkerRead
{
    /// <summary>The environment does not hold the marker, or the process is gone.</summary>
    Absent,

    /// <summary>The environment holds the marker.</summary>
    Found,

    /// <summary>The environment read empty: a kernel thread, or a process in the middle of exec.</summary>
    Empty,
}
