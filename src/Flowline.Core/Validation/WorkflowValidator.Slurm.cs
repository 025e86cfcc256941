using System.Globalization;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary>
        /// The values of a <c>slurm:</c> block (issue 12) that sbatch or the executor would refuse later: counts below 1
        /// and intervals that are not positive or longer than a timer can wait. Which steps it applies to is the plan's.
        /// </summary>
        private void Slurm(SlurmOptions slurm, string pointer, WorkflowStep? step, string? stepId)
        {
            var owner = step is null ? "The workflow's 'slurm' block" : $"The 'slurm' block of {Owner(step, capital: false)}";
            AtLeastOne(slurm.CpusPerTask, "cpusPerTask", "1 or more CPUs for the step's task");
            AtLeastOne(slurm.MaxJobs, "maxJobs", "1 or more jobs in Slurm at once, or remove it for the default of 100");
            if (slurm.Gpus is { } gpus && long.TryParse(gpus, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count < 1)
            {
                Error(DiagnosticCodes.NonPositiveSlurmValue, pointer + "/gpus", stepId,
                    $"{owner} asks for {count} GPUs; give 1 or more (gpus: 1, or a type and count such as a100:2), or remove 'gpus' for none.");
            }

            Interval(slurm.PollInterval, "pollInterval");
            Interval(slurm.QueueStatInterval, "queueStatInterval");
            Interval(slurm.QueueTimeout, "queueTimeout");

            void AtLeastOne(int? value, string field, string fix)
            {
                if (value is < 1)
                {
                    Error(DiagnosticCodes.NonPositiveSlurmValue, pointer + "/" + field, stepId,
                        $"{owner} has '{field}: {value}'; it must be at least 1: give {fix}.");
                }
            }

            void Interval(TimeSpan? value, string field)
            {
                if (value is { } duration && duration <= TimeSpan.Zero)
                {
                    Error(DiagnosticCodes.NonPositiveSlurmValue, pointer + "/" + field, stepId,
                        $"{owner} has a '{field}' of {Durations.FormatMilliseconds(duration)}; it must be positive. Give milliseconds or a duration such as 1s, or remove it for the default.");
                }
                else if (value > Durations.MaxTimeout)
                {
                    Error(DiagnosticCodes.TimeoutTooLarge, pointer + "/" + field, stepId,
                        $"{owner} has a '{field}' of {Durations.FormatMilliseconds(value.Value)}; the longest Flowline can wait is {Durations.MaxTimeoutText}. Give a shorter one.");
                }
            }
        }
    }
}
