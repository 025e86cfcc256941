using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Flowline.Execution.Slurm;

namespace Flowline.Core.Tests.Execution.Slurm;

/// <summary>
/// A stand-in for a Slurm cluster made of bash scripts named like Slurm's commands, for the executor's unit tests
/// (issue 12): <c>sbatch</c> records its argument list and a copy of the environment file (with its mode) and queues
/// the job; <c>squeue</c> prints the jobs' states; <c>scancel</c> records its arguments and marks jobs for
/// cancelling; <c>scontrol show license</c> answers from a file. This class plays the controller: it starts queued
/// jobs by running the job script as Slurm would (the environment from the file, output to --output/--error), moves
/// them through PENDING, RUNNING and a final state, and carries out cancels. Tests steer it: hold jobs, purge them,
/// set the sbatch reply or its exit code, force a final state such as OUT_OF_MEMORY.
/// </summary>
internal sealed class FakeSlurm : IAsyncDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("flowline-fake-slurm-");
    private readonly ConcurrentDictionary<string, Process> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _controller;

    public FakeSlurm()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Jobs);
        Directory.CreateDirectory(Calls);
        Write("sbatch", $$"""
            #!/bin/bash
            d='{{Root}}'
            exec 9>"$d/lock"; flock 9
            n=$(( $(cat "$d/counter" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$d/counter"
            exec 9>&-
            printf '%s\0' "$@" > "$d/calls/sbatch.$n"
            for a in "$@"; do
              case $a in
                --export-file=*) f=${a#--export-file=}; cp "$f" "$d/calls/sbatch.$n.env"; stat -c %a "$f" > "$d/calls/sbatch.$n.envmode" ;;
                --comment=*) comment=${a#--comment=} ;;
              esac
            done
            if [ -f "$d/sbatch.exit" ]; then cat "$d/sbatch.stderr" >&2 2>/dev/null; exit "$(cat "$d/sbatch.exit")"; fi
            cp "$d/calls/sbatch.$n" "$d/jobs/$n.args"
            cp "$d/calls/sbatch.$n.env" "$d/jobs/$n.env"
            printf '%s' "$comment" > "$d/jobs/$n.comment"
            printf 'PENDING|Priority' > "$d/jobs/$n.state"
            if [ -f "$d/sbatch.reply" ]; then printf "$(cat "$d/sbatch.reply")\n" "$n"; else echo "$n"; fi
            """);
        Write("squeue", $$"""
            #!/bin/bash
            d='{{Root}}'
            date +%s%N >> "$d/calls/squeue.times"
            printf '%s\0' "$@" >> "$d/calls/squeue"; printf '\n' >> "$d/calls/squeue"
            [ -f "$d/squeue.exit" ] && exit "$(cat "$d/squeue.exit")"
            name=
            for a in "$@"; do case $a in --name=*) name=${a#--name=} ;; esac; done
            for f in "$d"/jobs/*.state; do
              [ -e "$f" ] || continue
              id=$(basename "$f" .state)
              IFS='|' read -r state reason < "$f"
              comment=$(cat "$d/jobs/$id.comment" 2>/dev/null)
              if [ -n "$name" ] && ! grep -qz -- "--job-name=$name" "$d/jobs/$id.args" 2>/dev/null; then continue; fi
              echo "$id|$state|$reason|fakenode|$comment"
            done
            """);
        Write("scancel", $$"""
            #!/bin/bash
            d='{{Root}}'
            printf '%s ' "$@" >> "$d/calls/scancel"; printf '\n' >> "$d/calls/scancel"
            for a in "$@"; do case $a in --*) ;; *) : > "$d/jobs/$a.cancel" ;; esac; done
            exit 0
            """);
        Write("scontrol", $$"""
            #!/bin/bash
            d='{{Root}}'
            grep -- "LicenseName=$4 " "$d/licenses" 2>/dev/null || { echo "scontrol: error: license $4 not found" >&2; exit 1; }
            """);
        _controller = Task.Run(ControlAsync);
    }

    public string Root => _root.FullName;

    public string Bin => Path.Combine(Root, "bin");

    public string Jobs => Path.Combine(Root, "jobs");

    public string Calls => Path.Combine(Root, "calls");

    public SlurmCommands Commands => SlurmCommands.In(Bin) with { CallTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>Jobs stay PENDING with this reason while set.</summary>
    public string? HoldReason { get; set; }

    /// <summary>Remove a job from the queue as soon as it ends (as after Slurm's MinJobAge).</summary>
    public bool PurgeOnEnd { get; set; }

    /// <summary>The state every job ends in, whatever its exit code, when set (e.g. OUT_OF_MEMORY).</summary>
    public string? FinalState { get; set; }

    /// <summary>The argument lists sbatch was called with, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> SbatchCalls() =>
        [.. Directory.GetFiles(Calls, "sbatch.*")
            .Where(f => !f.EndsWith(".env", StringComparison.Ordinal) && !f.EndsWith(".envmode", StringComparison.Ordinal))
            .OrderBy(f => int.Parse(Path.GetExtension(f)[1..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (IReadOnlyList<string>)File.ReadAllText(f).Split('\0')[..^1])];

    /// <summary>The environment file sbatch was given on call <paramref name="n"/> (1-based), as bytes, and its mode.</summary>
    public (byte[] Bytes, string Mode) SbatchEnvironment(int n) =>
        (File.ReadAllBytes(Path.Combine(Calls, $"sbatch.{n}.env")), File.ReadAllText(Path.Combine(Calls, $"sbatch.{n}.envmode")).Trim());

    public string[] ScancelCalls() => File.Exists(Path.Combine(Calls, "scancel"))
        ? File.ReadAllLines(Path.Combine(Calls, "scancel"))
        : [];

    public int SqueueCallCount() => File.Exists(Path.Combine(Calls, "squeue"))
        ? File.ReadAllLines(Path.Combine(Calls, "squeue")).Length
        : 0;

    /// <summary>When each squeue call ran (Unix nanoseconds), in order.</summary>
    public long[] SqueueTimes() => File.Exists(Path.Combine(Calls, "squeue.times"))
        ? [.. File.ReadAllLines(Path.Combine(Calls, "squeue.times")).Select(line => long.Parse(line, System.Globalization.CultureInfo.InvariantCulture))]
        : [];

    public void FailSbatch(int exitCode, string stderr)
    {
        File.WriteAllText(Path.Combine(Root, "sbatch.stderr"), stderr);
        File.WriteAllText(Path.Combine(Root, "sbatch.exit"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>sbatch prints this printf format with the job id (e.g. "banner\n%s;cluster").</summary>
    public void SbatchReply(string format) => File.WriteAllText(Path.Combine(Root, "sbatch.reply"), format);

    public void License(string name, int total) =>
        File.AppendAllText(Path.Combine(Root, "licenses"), $"LicenseName={name} Total={total} Used=0 Free={total} Reserved=0 Remote=no\n");

    /// <summary>Puts a job in the queue as if an earlier Flowline had submitted it and crashed before storing the id.</summary>
    public string AddJob(string state, string comment, string jobName)
    {
        var n = (File.Exists(Path.Combine(Root, "counter")) ? int.Parse(File.ReadAllText(Path.Combine(Root, "counter")).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
        File.WriteAllText(Path.Combine(Root, "counter"), n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var id = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(Jobs, $"{id}.args"), $"--job-name={jobName}\0");
        File.WriteAllText(Path.Combine(Jobs, $"{id}.comment"), comment);
        File.WriteAllText(Path.Combine(Jobs, $"{id}.state"), state);
        return id;
    }

    public string? State(string id) => File.Exists(Path.Combine(Jobs, $"{id}.state")) ? File.ReadAllText(Path.Combine(Jobs, $"{id}.state")) : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _controller;
        foreach (var process in _running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        _stop.Dispose();

        // A squeue or scancel the executor started just before the test ended may still append to calls/ while the
        // folder is removed; it finishes within milliseconds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _root.Delete(recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task ControlAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var stateFile in Directory.GetFiles(Jobs, "*.state"))
            {
                var id = Path.GetFileNameWithoutExtension(stateFile);
                Step(id, stateFile);
            }

            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Step(string id, string stateFile)
    {
        var state = File.ReadAllText(stateFile);
        var cancel = Path.Combine(Jobs, $"{id}.cancel");
        if (state.StartsWith("PENDING", StringComparison.Ordinal))
        {
            if (File.Exists(cancel))
            {
                File.Delete(cancel);
                File.WriteAllText(stateFile, "CANCELLED|None");
            }
            else if (HoldReason is { } reason)
            {
                File.WriteAllText(stateFile, $"PENDING|{reason}");
            }
            else if (File.Exists(Path.Combine(Jobs, $"{id}.env")))
            {
                Start(id);
                File.WriteAllText(stateFile, "RUNNING|None");
            }

            return;
        }

        if (!state.StartsWith("RUNNING", StringComparison.Ordinal) || !_running.TryGetValue(id, out var process))
        {
            return;
        }

        if (File.Exists(cancel))
        {
            File.Delete(cancel);
            File.WriteAllText(Path.Combine(Jobs, $"{id}.cancelled"), "");
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        if (!process.HasExited)
        {
            return;
        }

        _running.TryRemove(id, out _);
        var final = FinalState is { } forced ? $"{forced}|None"
            : File.Exists(Path.Combine(Jobs, $"{id}.cancelled")) ? "CANCELLED|None"
            : process.ExitCode == 0 ? "COMPLETED|None"
            : "FAILED|NonZeroExitCode";
        if (PurgeOnEnd)
        {
            File.Delete(stateFile);
        }
        else
        {
            File.WriteAllText(stateFile, final);
        }

        process.Dispose();
    }

    private void Start(string id)
    {
        var args = File.ReadAllText(Path.Combine(Jobs, $"{id}.args")).Split('\0')[..^1];
        string Option(string name) => args.First(a => a.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
        var info = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = Option("--chdir"),
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec /bin/bash \"$0\" \"$1\" \"$2\" >>\"$3\" 2>>\"$4\"");
        info.ArgumentList.Add(args[^3]);
        info.ArgumentList.Add(args[^2]);
        info.ArgumentList.Add(args[^1]);
        info.ArgumentList.Add(Option("--output"));
        info.ArgumentList.Add(Option("--error"));
        info.Environment.Clear();
        foreach (var pair in Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Jobs, $"{id}.env"))).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            info.Environment[pair[..equals]] = pair[(equals + 1)..];
        }

        info.Environment["SLURM_JOB_ID"] = id;
        _running[id] = Process.Start(info)!;
    }
}
