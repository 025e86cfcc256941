namespace Flowline.State;

/// <summary>The recorder's step log files: one per step, closed when the step settles, and all of them stopped on the first failure.</summary>
internal sealed partial class RunRecorder
{
    /// <summary>Appends a log line to its step's file (lines without a step are only in the context's log).</summary>
    public void Log(LogEntry entry)
    {
        if (_logs is null || entry.StepId is null || !Recording || Volatile.Read(ref _logsOff) != 0)
        {
            return;
        }

        try
        {
            if (!_writers.TryGetValue(entry.StepId, out var writer))
            {
                // Locked, not GetOrAdd: a step's stdout and stderr pumps racing on its first lines must not open the file twice.
                lock (_writersLock)
                {
                    if (!_writers.TryGetValue(entry.StepId, out writer))
                    {
                        writer = RunLogWriter.Open(_logs.StepLogPath(RunId, entry.StepId), _time);
                        _writers[entry.StepId] = writer;
                    }
                }
            }

            writer.WriteLine(entry.Text, entry.Stream);
        }
        catch (RunStoreException exception)
        {
            // A log that cannot be written (a full disk) loses lines, not the run: the logs stop, once, with a warning,
            // and the database rows go on as long as they can (issue 18).
            StopLogs(exception);
        }
        catch (ObjectDisposedException)
        {
            // A line racing its step's settling: the file was just closed.
        }
    }

    private void StopLogs(RunStoreException exception)
    {
        if (Interlocked.Exchange(ref _logsOff, 1) != 0)
        {
            return;
        }

        _warn($"warning: the step logs of run {RunId} are no longer written, the workflow goes on without them: {exception.Message}");
        foreach (var stepId in _writers.Keys)
        {
            if (_writers.TryRemove(stepId, out var writer))
            {
                _closedLogs[stepId] = writer.Path;
                writer.Dispose();
            }
        }
    }

    /// <summary>Per step, the byte length of its log so far (a snapshot's <see cref="WorkflowSnapshot.LogCursor"/>).</summary>
    public IReadOnlyDictionary<string, long> LogCursor()
    {
        var cursor = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (step, path) in _closedLogs)
        {
            Measure(step, path);
        }

        foreach (var (step, writer) in _writers)
        {
            Measure(step, writer.Path);
        }

        return cursor;

        void Measure(string step, string path)
        {
            try
            {
                cursor[step] = new FileInfo(path).Length;
            }
            catch (IOException)
            {
            }
        }
    }
}
