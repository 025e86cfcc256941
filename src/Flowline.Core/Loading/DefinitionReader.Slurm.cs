using System.Globalization;

namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    /// <summary>The forms <c>slurm.memory</c> accepts, for error messages.</summary>
    internal const string MemoryForms = "a size with a unit K, M, G or T (512M, 4G, 1T; case-insensitive), or a whole number of MiB as Slurm reads it (4096)";

    /// <summary>
    /// A <c>slurm:</c> block (issue 12, docs/slurm.md "The YAML"); <paramref name="stepId"/> is null at the workflow
    /// level and the step's id (maybe empty) on a step, where the run-wide keys are refused.
    /// </summary>
    private SlurmOptions? Slurm(YamlNode node, string? stepId)
    {
        var where = stepId is null ? "the workflow 'slurm' block" : stepId.Length == 0 ? "a step's 'slurm' block" : $"the 'slurm' block of step '{stepId}'";
        if (Mapping(node, where, "a mapping with partition, account, qos, cpusPerTask, memory, gpus, extraArgs…") is not { } mapping)
        {
            return null;
        }

        var options = new SlurmOptions();
        foreach (var (key, value) in mapping.Entries)
        {
            if (stepId is not null && Array.IndexOf(FormatKeys.SlurmWorkflowOnly, key.Value) >= 0)
            {
                diagnostics.Add(Error(DiagnosticCodes.SlurmKeyWorkflowOnly, key,
                    $"'slurm.{key.Value}' applies to the whole run (one Slurm executor serves every step), so it cannot be set in {where}; move it to the workflow's top-level 'slurm:' block."));
                continue;
            }

            options = key.Value switch
            {
                "partition" => options with { Partition = String(value, "'slurm.partition'") },
                "account" => options with { Account = String(value, "'slurm.account'") },
                "qos" => options with { Qos = String(value, "'slurm.qos'") },
                "cpusPerTask" => options with { CpusPerTask = Integer(value, "'slurm.cpusPerTask'") },
                "memory" => options with { MemoryMiB = Memory(value) },
                "gpus" => options with { Gpus = Gpus(value) },
                "extraArgs" => options with { ExtraArgs = ExtraArgs(value) },
                "maxJobs" => options with { MaxJobs = Integer(value, "'slurm.maxJobs'") },
                "pollInterval" => options with { PollInterval = Duration(value, "'slurm.pollInterval'", warnWithoutUnit: false) },
                "queueStatInterval" => options with { QueueStatInterval = Duration(value, "'slurm.queueStatInterval'", warnWithoutUnit: false) },
                "queueTimeout" => options with { QueueTimeout = Timeout(value, "'slurm.queueTimeout'") },
                _ => Unknown(key, options),
            };
        }

        return options;

        SlurmOptions Unknown(YamlScalar key, SlurmOptions unchanged)
        {
            UnknownKey(key, FormatKeys.Slurm, "in " + where);
            return unchanged;
        }
    }

    private long? Memory(YamlNode node)
    {
        if (node is YamlScalar scalar)
        {
            if (scalar.IsPlain && CoreSchema.IsNull(scalar.Value))
            {
                return null;
            }

            if (TryParseMemory(scalar.Value, out var mebibytes))
            {
                return mebibytes;
            }
        }

        node.Rejected = true;
        diagnostics.Add(Error(DiagnosticCodes.InvalidMemory, node,
            $"Expected {MemoryForms} for 'slurm.memory', found {node.Describe()}. It must be at least 1M; for all of a node's memory pass extraArgs: [\"--mem=0\"]."));
        return null;
    }

    /// <summary>
    /// Reads <c>512M</c>, <c>4G</c>, <c>1T</c>, <c>2048K</c> (rounded up to whole MiB) or a bare number of MiB, as
    /// <c>sbatch --mem</c> does; false for anything else, zero included.
    /// </summary>
    internal static bool TryParseMemory(string text, out long mebibytes)
    {
        mebibytes = 0;
        var digits = text.AsSpan().Trim();
        var shift = 0;
        var kibibytes = false;
        if (digits.Length > 0 && char.IsAsciiLetter(digits[^1]))
        {
            switch (char.ToUpperInvariant(digits[^1]))
            {
                case 'K':
                    kibibytes = true;
                    break;
                case 'M':
                    break;
                case 'G':
                    shift = 10;
                    break;
                case 'T':
                    shift = 20;
                    break;
                default:
                    return false;
            }

            digits = digits[..^1];
        }

        if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return false;
        }

        if (kibibytes)
        {
            mebibytes = (value + 1023) / 1024;
            return true;
        }

        if (value > long.MaxValue >> shift)
        {
            return false;
        }

        mebibytes = value << shift;
        return true;
    }

    private string? Gpus(YamlNode node)
    {
        // `gpus: 2` and `gpus: a100:2` both reach sbatch as text; a list or mapping has no --gpus form.
        if (node is YamlScalar scalar)
        {
            return scalar.IsPlain && CoreSchema.IsNull(scalar.Value) ? null : scalar.Value.Trim();
        }

        WrongType(node, "'slurm.gpus'", "a count (2) or a type and count as Slurm writes them (a100:2)");
        return null;
    }

    private string[]? ExtraArgs(YamlNode node)
    {
        if (node is YamlScalar { IsPlain: true } empty && CoreSchema.IsNull(empty.Value))
        {
            return null;
        }

        if (node is YamlScalar scalar)
        {
            // Issue 12: splitting a string on spaces is how quoting bugs creep into sbatch lines, so only a list is taken.
            node.Rejected = true;
            diagnostics.Add(Error(DiagnosticCodes.WrongType, node,
                $"Expected a list for 'slurm.extraArgs', found {node.Describe()}. Each item is passed to sbatch as one argument and a string is never split on spaces; write a YAML list, such as extraArgs: [\"{string.Join("\", \"", scalar.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}\"]."));
            return null;
        }

        return StringList(node, "'slurm.extraArgs'", allowSingle: false);
    }
}
