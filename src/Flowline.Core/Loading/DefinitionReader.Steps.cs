namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    private WorkflowStep? Step(YamlNode node, int index)
    {
        if (node is not YamlMapping mapping)
        {
            WrongType(node, $"step {index + 1}", "a mapping with id, name, type and config");
            return null;
        }

        string? id = null;
        string? name = null;
        string? type = null;
        YamlNode? config = null;
        IReadOnlyList<string>? dependsOn = null;
        string? condition = null;
        bool? continueOnError = null;
        StepParallelOptions? parallel = null;
        string? executor = null;
        SlurmOptions? slurm = null;
        RetryOptions? retry = null;
        MatrixOptions? matrix = null;
        CacheOptions? cache = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "id":
                    id = String(value, "the step 'id'");
                    break;
                case "name":
                    name = String(value, "the step 'name'");
                    break;
                case "type":
                    type = String(value, "the step 'type'");
                    break;
                case "config":
                    config = value;
                    break;
                case "dependsOn":
                    dependsOn = StringList(value, "'dependsOn'", allowSingle: true);
                    break;
                case "condition":
                    condition = String(value, "'condition'");
                    break;
                case "continueOnError":
                    continueOnError = Boolean(value, "'continueOnError'");
                    break;
                case "parallel":
                    parallel = StepParallel(value);
                    break;
                case "executor":
                    executor = String(value, "the step 'executor'");
                    break;
                case "slurm":
                    slurm = Slurm(value, id ?? string.Empty);
                    break;
                case "retry":
                    retry = Retry(value);
                    break;
                case "matrix":
                    matrix = Matrix(value);
                    break;
                case "cache":
                    cache = Cache(value);
                    break;
                default:
                    UnknownKey(key, FormatKeys.Step, id is null ? "in a step" : $"in step '{id}'");
                    break;
            }
        }

        type ??= string.Empty;
        return new WorkflowStep
        {
            Id = id ?? string.Empty,
            Name = name ?? string.Empty,
            Type = type,
            Config = Config(type, config),
            DependsOn = dependsOn ?? [],
            Condition = condition,
            ContinueOnError = continueOnError ?? false,
            Parallel = parallel,
            Executor = executor,
            Slurm = slurm,
            Retry = retry,
            Matrix = matrix,
            Cache = cache,
            SourcePath = StepPointer(index),
        };
    }

    private static string StepPointer(int index) => index < StepPointers.Length ? StepPointers[index] : "/steps/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] StepPointers = [.. Enumerable.Range(0, 64).Select(i => "/steps/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private StepParallelOptions? StepParallel(YamlNode node)
    {
        if (Mapping(node, "the step 'parallel' block", "a mapping with enabled, maxConcurrency, resource and isolateErrors") is not { } mapping)
        {
            return null;
        }

        bool? enabled = null;
        int? maxConcurrency = null;
        string? resource = null;
        bool? isolateErrors = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "enabled":
                    enabled = Boolean(value, "'parallel.enabled'");
                    break;
                case "maxConcurrency":
                    maxConcurrency = Integer(value, "'parallel.maxConcurrency'");
                    break;
                case "resource":
                    resource = String(value, "'parallel.resource'");
                    break;
                case "isolateErrors":
                    isolateErrors = Boolean(value, "'parallel.isolateErrors'");
                    break;
                default:
                    UnknownKey(key, FormatKeys.StepParallel, "in the step 'parallel' block");
                    break;
            }
        }

        return new StepParallelOptions
        {
            Enabled = enabled,
            MaxConcurrency = maxConcurrency,
            Resource = resource,
            IsolateErrors = isolateErrors ?? false,
        };
    }

    private StepConfig Config(string type, YamlNode? node)
    {
        var mapping = node is null ? null : Mapping(node, "the step 'config'", "a mapping");
        var raw = mapping is null ? EmptyMap<object?>.Instance : (IReadOnlyDictionary<string, object?>)Plain(mapping, 0)!;
        return type switch
        {
            "script" => ScriptConfig(mapping, raw),
            "agent" => AgentConfig(mapping, raw),
            _ => new CustomStepConfig { Raw = raw },
        };
    }

    private ScriptStepConfig ScriptConfig(YamlMapping? mapping, IReadOnlyDictionary<string, object?> raw)
    {
        string? command = null;
        IReadOnlyList<string>? args = null;
        string? workingDirectory = null;
        TimeSpan? timeout = null;
        IReadOnlyDictionary<string, string>? env = null;
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            switch (key.Value)
            {
                case "command":
                    command = String(value, "'command'");
                    break;
                case "args":
                    args = StringList(value, "'args'", allowSingle: false);
                    break;
                case "workingDirectory":
                    workingDirectory = String(value, "'workingDirectory'");
                    break;
                case "timeout":
                    timeout = Timeout(value, "the step 'timeout'");
                    break;
                case "env":
                    env = Env(value, "the step 'env'");
                    break;
                default:
                    UnknownKey(key, FormatKeys.Script, "in a script step's config");
                    break;
            }
        }

        return new ScriptStepConfig
        {
            Command = command ?? string.Empty,
            Args = args ?? [],
            WorkingDirectory = workingDirectory,
            Timeout = timeout,
            Env = env ?? EmptyMap<string>.Instance,
            Raw = raw,
        };
    }

    private AgentStepConfig AgentConfig(YamlMapping? mapping, IReadOnlyDictionary<string, object?> raw)
    {
        string? agent = null;
        string? prompt = null;
        IReadOnlyDictionary<string, object?>? parameters = null;
        TimeSpan? timeout = null;
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            switch (key.Value)
            {
                case "agent":
                    agent = String(value, "'agent'");
                    break;
                case "prompt":
                    prompt = String(value, "'prompt'");
                    break;
                case "parameters":
                    parameters = FreeMap(value, "'parameters'");
                    break;
                case "timeout":
                    timeout = Timeout(value, "the agent 'timeout'");
                    break;
                default:
                    UnknownKey(key, FormatKeys.Agent, "in an agent step's config");
                    break;
            }
        }

        return new AgentStepConfig
        {
            Agent = agent ?? string.Empty,
            Prompt = prompt,
            Parameters = parameters ?? EmptyMap<object?>.Instance,
            Timeout = timeout,
            Raw = raw,
        };
    }
}
