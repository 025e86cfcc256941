namespace Flowline.Scheduling;

/// <summary>
/// The live state of one run that other threads read (reports, progress, snapshots): each step's status and result,
/// the counters, the run's status. The scheduler loop is its only writer, through <see cref="Record"/>.
/// </summary>
internal sealed class RunState
{
    private readonly int[] _status;
    private readonly StepResult?[] _results;
    private readonly bool[] _neverRan;
    private int _finished;
    private int _completed;
    private int _runStatus;

    public RunState(int count)
    {
        _status = new int[count];
        _results = new StepResult?[count];
        _neverRan = new bool[count];
    }

    public int Count => _status.Length;

    public WorkflowStatus Status
    {
        get => (WorkflowStatus)Volatile.Read(ref _runStatus);
        set => Volatile.Write(ref _runStatus, (int)value);
    }

    public int Finished => Volatile.Read(ref _finished);

    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Percentage of finished steps.</summary>
    public int Progress => Count == 0
        ? (Status is WorkflowStatus.Pending or WorkflowStatus.Running ? 0 : 100)
        : (int)(Finished * 100L / Count);

    public StepStatus StatusOf(int index) => (StepStatus)Volatile.Read(ref _status[index]);

    public StepResult? ResultOf(int index) => Volatile.Read(ref _results[index]);

    /// <summary>Whether the step was skipped because the run stopped or could not start: it never ran, and a resume must run it.</summary>
    public bool NeverRan(int index) => Volatile.Read(ref _neverRan[index]);

    public void MarkRunning(int index) => Volatile.Write(ref _status[index], (int)StepStatus.Running);

    /// <summary>The one place a step's final result lands.</summary>
    public void Record(int index, StepResult result, bool neverRan)
    {
        Volatile.Write(ref _neverRan[index], neverRan);
        Volatile.Write(ref _results[index], result);
        Volatile.Write(ref _status[index], (int)result.Status);
        Volatile.Write(ref _finished, _finished + 1);
        if (result.Status == StepStatus.Completed)
        {
            Volatile.Write(ref _completed, _completed + 1);
        }
    }
}
