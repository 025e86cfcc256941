namespace Flowline;

/// <summary>
/// The stable codes of the loader's and validator's diagnostics; <c>docs/diagnostics.md</c> explains each with
/// an example and a fix. FL10xx: the YAML and its shape; FL11xx: field values; FL2xxx: the dependency graph;
/// FL3xxx: expressions and templates; FL4xxx: executors. Every code Flowline reports is declared once, here or in
/// one of the two registries this one leaves ranges to: FL3001–FL3006 in <see cref="Expressions.ErrorCodes"/> (the
/// expression language's own), FL40xx in the agent executor's codes (listed in <c>docs/agents.md</c>). FL41xx–FL48xx
/// are free for custom executors.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The file could not be read (missing, a directory, no permission).</summary>
    public const string FileUnreadable = "FL1000";

    /// <summary>YAML syntax error, or an alias to an undefined anchor.</summary>
    public const string YamlSyntax = "FL1001";

    /// <summary>The file holds no document, or only an empty one.</summary>
    public const string EmptyDocument = "FL1002";

    /// <summary>The file holds more than one YAML document.</summary>
    public const string MultipleDocuments = "FL1003";

    /// <summary>A key appears twice in one mapping.</summary>
    public const string DuplicateKey = "FL1004";

    /// <summary>A value has the wrong type (a list where a mapping belongs, a string where a boolean belongs…).</summary>
    public const string WrongType = "FL1005";

    /// <summary>A key that the format does not define, in a part of the format that is not free-form.</summary>
    public const string UnknownKey = "FL1006";

    /// <summary>A timeout that is neither whole milliseconds nor a duration string.</summary>
    public const string InvalidDuration = "FL1007";

    /// <summary>An environment variable whose value is a mapping or a list.</summary>
    public const string EnvValueNotScalar = "FL1008";

    /// <summary>Aliases that, expanded, would stand for more than a million nodes ("billion laughs").</summary>
    public const string AliasExpansionTooLarge = "FL1009";

    /// <summary>A timeout under a second written without a unit (<c>timeout: 900</c>), probably meant as seconds (warning).</summary>
    public const string TimeoutWithoutUnit = "FL1010";

    /// <summary>The file is not text: an invalid UTF-8 (or UTF-16) byte sequence, or a NUL character.</summary>
    public const string NotText = "FL1011";

    /// <summary>A required field is missing or empty.</summary>
    public const string MissingField = "FL1101";

    /// <summary>The version is not a semantic version.</summary>
    public const string InvalidVersion = "FL1102";

    /// <summary>A step id has characters outside <c>[A-Za-z0-9_-]</c>.</summary>
    public const string InvalidStepId = "FL1103";

    /// <summary>Two steps share an id.</summary>
    public const string DuplicateStepId = "FL1104";

    /// <summary>A step type that no executor runs.</summary>
    public const string UnknownStepType = "FL1105";

    /// <summary>A timeout of zero or less.</summary>
    public const string NonPositiveTimeout = "FL1106";

    /// <summary>A timeout longer than the about 49.7 days a timer can wait.</summary>
    public const string TimeoutTooLarge = "FL1111";

    /// <summary>An environment variable name that is empty or holds '=' or a NUL character.</summary>
    public const string InvalidEnvName = "FL1112";

    /// <summary>An <c>executor:</c> other than <c>local</c> or <c>slurm</c> (or a backend no executor registered), in the file or in <see cref="ExecutionOptions.Executor"/>.</summary>
    public const string UnknownExecutor = "FL1113";

    /// <summary>A step runs on a backend (<c>executor: slurm</c>) for which no executor of its type is registered.</summary>
    public const string ExecutorNotRegistered = "FL1114";

    /// <summary><c>executor: slurm</c> on a step whose type is not <c>script</c>; agent and custom steps always run locally.</summary>
    public const string ExecutorNotForType = "FL1115";

    /// <summary>A <c>slurm.memory</c> that is not a positive size such as <c>512M</c>, <c>4G</c>, <c>1T</c> or a number of MiB.</summary>
    public const string InvalidMemory = "FL1116";

    /// <summary>A step's <c>slurm:</c> block sets <c>maxJobs</c>, <c>pollInterval</c> or <c>queueStatInterval</c>, which apply to the whole run.</summary>
    public const string SlurmKeyWorkflowOnly = "FL1117";

    /// <summary>A <c>slurm:</c> count or interval below its minimum (<c>cpusPerTask</c>, <c>maxJobs</c>, <c>gpus</c>, the intervals and <c>queueTimeout</c>).</summary>
    public const string NonPositiveSlurmValue = "FL1118";

    /// <summary>A step uses a pool that a Slurm license enforces (<c>slurmLicense:</c>) but runs locally, where nothing would enforce it.</summary>
    public const string SlurmLicensePoolRunsLocally = "FL1119";

    /// <summary>A step has a <c>slurm:</c> block but runs locally, where it has no effect (warning).</summary>
    public const string SlurmOptionsUnused = "FL1120";

    /// <summary>A name under <c>secrets:</c> that is not an environment variable name (issue 13).</summary>
    public const string InvalidSecretName = "FL1140";

    /// <summary>A name declared twice under <c>secrets:</c>.</summary>
    public const string DuplicateSecret = "FL1141";

    /// <summary>A <c>matrix:</c> with no axes, or an axis with no values, so the step would have no instance (issue 13).</summary>
    public const string EmptyMatrix = "FL1150";

    /// <summary>An <c>exclude</c> entry of a matrix names an axis the matrix does not have.</summary>
    public const string UnknownMatrixAxis = "FL1151";

    /// <summary>A matrix axis written as a template that is not one <c>{{ expression }}</c> reading <c>variables</c> or <c>steps</c>.</summary>
    public const string InvalidMatrixAxisTemplate = "FL1152";

    /// <summary><c>matrix.maxParallel</c> or <c>matrix.limit</c> below 1, or a written matrix with more instances than its limit.</summary>
    public const string InvalidMatrixLimit = "FL1153";

    /// <summary>A template reads <c>matrix.NAME</c> for an axis the step does not have, or <c>matrix</c> in a step without one.</summary>
    public const string UnknownMatrixValue = "FL1154";

    /// <summary>A matrix axis template did not yield a list, or yielded more instances than <c>matrix.limit</c> (when it is expanded).</summary>
    public const string MatrixAxisNotList = "FL1155";

    /// <summary>A line of a <c>--secrets-file</c> that is not <c>KEY=value</c>, a comment or blank; or a quote left open.</summary>
    public const string InvalidSecretsFileLine = "FL1020";

    /// <summary>A <c>--secrets-file</c> that users other than its owner can read or write (warning).</summary>
    public const string SecretsFileNotPrivate = "FL1021";

    /// <summary>A concurrency limit below 1.</summary>
    public const string NonPositiveConcurrency = "FL1107";

    /// <summary>A resource pool size below 1.</summary>
    public const string NonPositivePoolSize = "FL1108";

    /// <summary>A step uses a resource that <c>parallel.resources</c> does not declare.</summary>
    public const string UndeclaredResource = "FL1109";

    /// <summary>The workflow has no steps.</summary>
    public const string NoSteps = "FL1110";

    /// <summary>A step's <c>retry.attempts</c> is missing or outside 1–100.</summary>
    public const string RetryAttemptsOutOfRange = "FL1121";

    /// <summary>A retry <c>delay</c> or <c>maxDelay</c> that is negative or longer than a timer can wait.</summary>
    public const string InvalidRetryDelay = "FL1122";

    /// <summary>A retry <c>backoff</c> below 1 or not a finite number.</summary>
    public const string InvalidRetryBackoff = "FL1123";

    /// <summary>A retry <c>onExitCodes</c> that is empty or lists 0, which is success and never retried.</summary>
    public const string InvalidRetryExitCodes = "FL1124";

    /// <summary>A step's <c>cache:</c> block names no sources, outputs or key.</summary>
    public const string EmptyCache = "FL1160";

    /// <summary>A <c>cache.sources</c> glob that is empty or uses wildcards the matcher does not support (<c>?</c>, <c>[…]</c>, <c>{…}</c>).</summary>
    public const string InvalidCacheSource = "FL1161";

    /// <summary>A <c>cache.outputs</c> path that is empty or holds a wildcard.</summary>
    public const string InvalidCacheOutput = "FL1162";

    /// <summary>Warning: a <c>cache.sources</c> glob matches no file in the workflow's folder.</summary>
    public const string CacheSourceMatchesNothing = "FL1163";

    /// <summary><c>flowline run --force STEP</c> names no step of the workflow.</summary>
    public const string UnknownForcedStep = "FL1164";

    /// <summary>A <c>type: workflow</c> step whose config has no <c>path</c>, a path that is not one text, or a key other than <c>path</c>, <c>variables</c> and <c>timeout</c>.</summary>
    public const string InvalidWorkflowStepConfig = "FL1170";

    /// <summary>The file a <c>type: workflow</c> step names does not exist or cannot be read (the message gives the path tried).</summary>
    public const string ChildWorkflowNotFound = "FL1171";

    /// <summary>Workflow files that include each other (<c>a.yaml</c> uses <c>b.yaml</c>, which uses <c>a.yaml</c>); the message names the chain.</summary>
    public const string ChildWorkflowCycle = "FL1172";

    /// <summary><c>config.variables</c> of a <c>type: workflow</c> step names a variable the child workflow does not declare.</summary>
    public const string UnknownChildVariable = "FL1173";

    /// <summary>A child workflow declares a variable without a default that <c>config.variables</c> does not give.</summary>
    public const string MissingChildVariable = "FL1174";

    /// <summary>The child workflow of a <c>type: workflow</c> step has errors (each reported in the child's file); this one points at the step.</summary>
    public const string ChildWorkflowInvalid = "FL1175";

    /// <summary>A declared variable's name is not usable in <c>variables.NAME</c> (letters, digits, '_' and '-', not starting with a digit or '-').</summary>
    public const string InvalidVariableName = "FL1130";

    /// <summary>A declared variable's <c>type</c> is not string, number, boolean or list.</summary>
    public const string UnknownVariableType = "FL1131";

    /// <summary>A declared variable's default or enum value does not match its type, or the default is not in its enum.</summary>
    public const string InvalidVariableDefault = "FL1132";

    /// <summary>A value given for a declared variable (<c>--var</c>, <c>--vars-file</c>, <see cref="ExecutionOptions.Variables"/>) does not match its type or enum.</summary>
    public const string InvalidVariableValue = "FL1133";

    /// <summary>A value is given for a variable the workflow does not declare (when it declares any).</summary>
    public const string UnknownVariable = "FL1134";

    /// <summary>A required variable is given no value.</summary>
    public const string MissingRequiredVariable = "FL1135";

    /// <summary>A dependency names a step that does not exist.</summary>
    public const string UnknownDependency = "FL2001";

    /// <summary>A step depends on itself.</summary>
    public const string SelfDependency = "FL2002";

    /// <summary>Steps depend on each other in a cycle.</summary>
    public const string DependencyCycle = "FL2003";

    /// <summary>A dependency is listed twice (warning).</summary>
    public const string DuplicateDependency = "FL2004";

    /// <summary>
    /// An expression path starts with a root the language does not have (<c>varaibles.x</c>), or one this field
    /// cannot use (<c>parameters</c> outside an agent step). FL3001–FL3006 are the parse errors of
    /// <see cref="Expressions.ErrorCodes"/>.
    /// </summary>
    public const string UnknownExpressionRoot = "FL3010";

    /// <summary>An expression reads <c>steps.ID</c> for an id that is not a step of the workflow.</summary>
    public const string UnknownStepReference = "FL3011";

    /// <summary>A step's condition or templates read the step's own result, which does not exist before it runs.</summary>
    public const string SelfReference = "FL3012";

    /// <summary>A workflow <c>env</c> value reads <c>steps</c>; it is rendered for every step, including those that run first.</summary>
    public const string WorkflowEnvReadsSteps = "FL3013";

    /// <summary>An expression reads a field that <c>steps.ID</c>, <c>workflow</c> or <c>run</c> does not have (<c>steps.build.sucess</c>).</summary>
    public const string UnknownExpressionField = "FL3014";

    /// <summary>An expression reads <c>variables.NAME</c> for a NAME the workflow's <c>variables:</c> block does not declare.</summary>
    public const string UndeclaredVariable = "FL3015";

    /// <summary>An expression reads <c>secrets.NAME</c> for a name not declared under <c>secrets:</c>, or the whole <c>secrets</c> root.</summary>
    public const string UndeclaredSecret = "FL3030";

    /// <summary>A workflow's top-level <c>outputs</c> template does not parse, or reads a step the workflow does not have.</summary>
    public const string InvalidWorkflowOutput = "FL3040";

    /// <summary>A template reads <c>steps.ID.output.NAME</c> of a <c>type: workflow</c> step whose child workflow declares no output NAME.</summary>
    public const string UnknownChildOutput = "FL3041";

    /// <summary>
    /// A custom executor threw while validating a step. FL49xx is the validator's own range about executors; this
    /// was FL4001 until issue 11, which the agent executor also used for an undefined agent.
    /// </summary>
    public const string ExecutorValidationFailed = "FL4900";
}
