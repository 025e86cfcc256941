using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--executor local|slurm</c> (issue 12, docs/slurm.md): where script steps run, whatever the file says. <c>run</c>,
/// <c>validate</c>, <c>graph</c> and <c>resume</c> take it, so that each sees the plan the run runs; a value outside
/// the choices is a usage error (exit 2) that lists them.
/// </summary>
internal static class ExecutorOption
{
    public static Option<string?> Create(string description)
    {
        var option = new Option<string?>("--executor") { Description = description, HelpName = "local|slurm" };
        option.AcceptOnlyFromAmong("local", "slurm");
        return option;
    }

    public static Option<string?> ForRun() =>
        Create("Where script steps run, overriding every 'executor:' in the file: local (this machine) or slurm (a Slurm cluster, docs/slurm.md).");
}
