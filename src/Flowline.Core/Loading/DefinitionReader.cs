namespace Flowline.Loading;

/// <summary>
/// Maps the node tree to the definition records. Reports shape problems (wrong types, unknown keys, bad
/// durations) and keeps going with a best-effort model; missing required fields are left empty for the
/// validator, which owns those checks so that a definition built in code is checked the same way.
/// </summary>
internal sealed partial class DefinitionReader(string file, List<Diagnostic> diagnostics, bool hasAliases)
{
    public WorkflowDefinition? Read(YamlNode root, WorkflowSource source)
    {
        if (root is not YamlMapping mapping)
        {
            WrongType(root, "the top level of a workflow file", "a mapping with 'name', 'version' and 'steps'");
            return null;
        }

        string? name = null;
        string? version = null;
        string? description = null;
        TimeSpan? timeout = null;
        WorkflowParallelOptions? parallel = null;
        IReadOnlyDictionary<string, string>? env = null;
        IReadOnlyDictionary<string, object?>? metadata = null;
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>? agents = null;
        IReadOnlyList<WorkflowStep>? steps = null;
        string? executor = null;
        SlurmOptions? slurm = null;
        IReadOnlyDictionary<string, VariableDefinition>? variables = null;
        IReadOnlyList<string>? secrets = null;
        IReadOnlyDictionary<string, string>? outputs = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    name = String(value, "'name'");
                    break;
                case "version":
                    version = String(value, "'version'");
                    break;
                case "description":
                    description = String(value, "'description'");
                    break;
                case "timeout":
                    timeout = Timeout(value, "the workflow 'timeout'");
                    break;
                case "parallel":
                    parallel = WorkflowParallel(value);
                    break;
                case "env":
                    env = Env(value, "the workflow 'env'");
                    break;
                case "metadata":
                    metadata = FreeMap(value, "'metadata'");
                    break;
                case "agents":
                    agents = Agents(value);
                    break;
                case "executor":
                    executor = String(value, "the workflow 'executor'");
                    break;
                case "slurm":
                    slurm = Slurm(value, stepId: null);
                    break;
                case "secrets":
                    secrets = StringList(value, "'secrets'", allowSingle: false);
                    break;
                case "steps":
                    steps = Steps(value);
                    break;
                case "variables":
                    variables = Variables(value);
                    break;
                case "outputs":
                    outputs = Outputs(value);
                    break;
                default:
                    UnknownKey(key, FormatKeys.Workflow, "at the top level of the workflow");
                    break;
            }
        }

        return new WorkflowDefinition
        {
            Name = name ?? string.Empty,
            Version = version ?? string.Empty,
            Description = description,
            Timeout = timeout,
            Parallel = parallel,
            Env = env ?? EmptyMap<string>.Instance,
            Metadata = metadata ?? EmptyMap<object?>.Instance,
            Agents = agents ?? EmptyMap<IReadOnlyDictionary<string, object?>>.Instance,
            Executor = executor,
            Slurm = slurm,
            Steps = steps ?? [],
            Variables = variables ?? EmptyMap<VariableDefinition>.Instance,
            Secrets = secrets ?? [],
            Outputs = outputs ?? EmptyMap<string>.Instance,
            Source = source,
        };
    }

    private WorkflowParallelOptions? WorkflowParallel(YamlNode node)
    {
        if (Mapping(node, "the workflow 'parallel' block", "a mapping with enabled, defaultMaxConcurrency and resources") is not { } mapping)
        {
            return null;
        }

        bool? enabled = null;
        int? defaultMaxConcurrency = null;
        (Dictionary<string, int> Sizes, Dictionary<string, string>? Licenses)? resources = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "enabled":
                    enabled = Boolean(value, "'parallel.enabled'");
                    break;
                case "defaultMaxConcurrency":
                    defaultMaxConcurrency = Integer(value, "'parallel.defaultMaxConcurrency'");
                    break;
                case "resources":
                    resources = Resources(value);
                    break;
                default:
                    UnknownKey(key, FormatKeys.WorkflowParallel, "in the workflow 'parallel' block");
                    break;
            }
        }

        return new WorkflowParallelOptions
        {
            Enabled = enabled,
            DefaultMaxConcurrency = defaultMaxConcurrency,
            Resources = resources?.Sizes ?? (IReadOnlyDictionary<string, int>)EmptyMap<int>.Instance,
            SlurmLicenses = resources?.Licenses ?? (IReadOnlyDictionary<string, string>)EmptyMap<string>.Instance,
        };
    }

    private (Dictionary<string, int> Sizes, Dictionary<string, string>? Licenses)? Resources(YamlNode node)
    {
        if (Mapping(node, "'parallel.resources'", "a mapping of pool names to sizes (cpu: 2) or to { size, slurmLicense }") is not { } mapping)
        {
            return null;
        }

        var resources = new Dictionary<string, int>(mapping.Entries.Count, StringComparer.Ordinal);
        Dictionary<string, string>? licenses = null;
        foreach (var (key, value) in mapping.Entries)
        {
            if (value is YamlMapping pool)
            {
                // Issue 12: a pool may be a Slurm license; a pool whose size is missing is kept at 0, rejected, so that
                // steps naming it are not told it is undeclared and the plan still cannot run.
                var (size, license) = ResourcePool(key.Value, pool);
                resources[key.Value] = size ?? 0;
                if (license is not null)
                {
                    (licenses ??= new Dictionary<string, string>(StringComparer.Ordinal))[key.Value] = license;
                }
            }
            else if (Integer(value, $"the size of resource pool '{key.Value}'") is { } size)
            {
                resources[key.Value] = size;
            }
        }

        return (resources, licenses);
    }

    private (int? Size, string? License) ResourcePool(string name, YamlMapping pool)
    {
        int? size = null;
        string? license = null;
        YamlNode? sizeNode = null;
        foreach (var (key, value) in pool.Entries)
        {
            switch (key.Value)
            {
                case "size":
                    sizeNode = value;
                    size = Integer(value, $"the size of resource pool '{name}'");
                    break;
                case "slurmLicense":
                    license = String(value, $"the Slurm license of resource pool '{name}'");
                    if (string.IsNullOrWhiteSpace(license) && !value.Rejected)
                    {
                        value.Rejected = true;
                        diagnostics.Add(Error(DiagnosticCodes.MissingField, value,
                            $"Resource pool '{name}' has an empty 'slurmLicense'; give the name of a license the cluster defines (Licenses= in slurm.conf, listed by 'scontrol show lic'), or remove the key to let Flowline count the pool."));
                        license = null;
                    }

                    break;
                default:
                    UnknownKey(key, FormatKeys.ResourcePool, $"in resource pool '{name}'");
                    break;
            }
        }

        if (size is null)
        {
            pool.Rejected = true;
        }

        if (size is null && sizeNode?.Rejected != true)
        {
            diagnostics.Add(Error(DiagnosticCodes.MissingField, pool,
                $"Resource pool '{name}' has no 'size'; give how many units it has, such as '{name}: {{ size: 1{(license is null ? string.Empty : $", slurmLicense: {license}")} }}'."));
        }

        return (size, license);
    }

    private Dictionary<string, IReadOnlyDictionary<string, object?>>? Agents(YamlNode node)
    {
        if (Mapping(node, "'agents'", "a mapping of agent names to their settings") is not { } mapping)
        {
            return null;
        }

        var agents = new Dictionary<string, IReadOnlyDictionary<string, object?>>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (FreeMap(value, $"agent '{key.Value}'") is { } settings)
            {
                agents[key.Value] = settings;
            }
        }

        return agents;
    }

    private WorkflowStep[]? Steps(YamlNode node)
    {
        if (node is not YamlSequence sequence)
        {
            WrongType(node, "'steps'", "a list of steps (each item starting with '- id: ...')");
            return null;
        }

        var steps = new List<WorkflowStep>(sequence.Items.Count);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (Step(sequence.Items[i], i) is { } step)
            {
                steps.Add(step);
            }
        }

        return [.. steps];
    }
}
