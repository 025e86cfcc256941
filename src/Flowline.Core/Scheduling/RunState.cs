namespace Flowline.Scheduling;

/// <summary>
/// The live state of one run that other threads read (reports, progress, snapshots): each step's status and result,
/// the counters, the run's status. The scheduler loop is its only writer, through <see cref="Record"/>.
/// </summary>
internal sealed class RunState
{
    // Not readonly: a run that expands a matrix from a step's output grows them (issue 13, Grow).
    private int[] _status;
    private StepResult?[] _results;
    private bool[] _neverRan;
    private int _finished;
    private int _completed;
    private int _runStatus;

    public RunState(int count)
    {
        _status = new int[count];
        _results = new StepResult?[count];
        _neverRan = new bool[count];
    }

    public int Count => Volatile.Read(ref _status).Length;

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

    /// <summary>
    /// Makes room for <paramref name="count"/> steps (a dynamic matrix's instances, issue 13), keeping every step's
    /// state at its index. Readers on other threads see the old arrays or the new ones, both valid for the old indexes;
    /// <see cref="Count"/> reads the status array, written last.
    /// </summary>
    public void Grow(int count)
    {
        var results = _results;
        Array.Resize(ref results, count);
        Volatile.Write(ref _results, results);
        var neverRan = _neverRan;
        Array.Resize(ref neverRan, count);
        Volatile.Write(ref _neverRan, neverRan);
        var status = _status;
        Array.Resize(ref status, count);
        Volatile.Write(ref _status, status);
    }

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
