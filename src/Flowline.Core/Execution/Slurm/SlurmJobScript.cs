namespace Flowline.Execution.Slurm;

/// <summary>
/// The job script every Slurm step runs (docs/slurm.md "The job wrapper"). Its text is a constant, written once per
/// jobs folder and never built from anything a user wrote: the step's argument vector and environment travel in
/// files, so no value is ever quoted, split on commas or read by a shell.
/// </summary>
/// <remarks>
/// Called as <c>flowline-job.sh FOLDER GRACE</c>. It writes <c>started</c> (job id, host, time), runs the argument
/// vector in <c>FOLDER/argv</c> (NUL-terminated items) in a session and process group of its own with stdin closed,
/// forwards SIGTERM/SIGINT/SIGUSR1/SIGHUP to that group as SIGTERM and sends SIGKILL after GRACE seconds, ends what
/// the step left running in its group, and writes <c>exit_code</c> last (128 + N after signal N). Both files are
/// written to a temporary name and renamed, so a reader never sees half of one.
/// </remarks>
internal static class SlurmJobScript
{
    /// <summary>The script's file name in a jobs folder.</summary>
    public const string FileName = "flowline-job.sh";

    /// <summary>The script (bash 4.4 or later for <c>mapfile -d</c>).</summary>
    public const string Text = """
        #!/bin/bash
        # Flowline's Slurm job wrapper (docs/slurm.md). This text is constant: the step's argument vector and
        # environment come from files in the job folder ($1), so no value is ever quoted or split.
        folder=$1
        grace=${2:-3}
        put() { printf '%s\n' "$2" > "$folder/.$1.tmp" && mv -f "$folder/.$1.tmp" "$folder/$1"; }
        put started "${SLURM_JOB_ID:-none} ${HOSTNAME:-unknown} ${EPOCHREALTIME:-$(date +%s.%N)}"
        mapfile -d '' -t argv < "$folder/argv"
        setsid "${argv[@]}" </dev/null &
        child=$!
        stopping=
        stop() {
          [ -n "$stopping" ] && return
          stopping=1
          kill -TERM -- "-$child" 2>/dev/null || return
          local tenths=0
          while kill -0 -- "-$child" 2>/dev/null && [ "$tenths" -lt $((grace * 10)) ]; do
            sleep 0.1
            tenths=$((tenths + 1))
          done
          kill -KILL -- "-$child" 2>/dev/null
        }
        trapped=
        trap 'trapped=1; stop' TERM INT USR1 HUP
        while :; do
          trapped=
          wait "$child"
          status=$?
          if [ -z "$trapped" ]; then code=$status; break; fi
          if ! kill -0 "$child" 2>/dev/null; then
            wait "$child"
            again=$?
            if [ "$again" -eq 127 ]; then code=$status; else code=$again; fi
            break
          fi
        done
        stop
        put exit_code "$code"
        exit "$code"

        """;
}
