using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Flowline.Agents;
using Flowline.Agents.Chat;
using Flowline.Binding;
using Microsoft.Extensions.AI;

namespace Flowline;

/// <summary>
/// Runs <c>agent</c> steps (spec "Agent Steps", issue 5): resolves the step's agent in the workflow's agents
/// (its <c>agents:</c> map, <c>flowline.agents.yaml</c> next to it, the user's agents file, the built-in
/// <c>echo</c>, and chat clients registered with <see cref="RegisterChatClient"/>), renders the prompt, calls the
/// provider with the step's timeout, streams the response into the step's log and returns it as the output.
/// </summary>
public sealed partial class AgentStepExecutor : StepExecutor
{
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<WorkflowDefinition, AgentCatalog> _catalogs = [];
    private readonly AgentCatalogOptions _catalogOptions;
    private readonly RetryPolicy _retryPolicy;
    private readonly Func<string, string?> _processEnvironment;

    // For contexts a host builds without a runner; a runner's context brings its run's cache. Bounded: the executor
    // outlives runs.
    private readonly TemplateCache _templates = new(capacity: 1024);

    /// <summary>Creates the executor with the default agents files and the process environment.</summary>
    public AgentStepExecutor()
        : this(AgentCatalogOptions.Default)
    {
    }

    internal AgentStepExecutor(
        AgentCatalogOptions catalogOptions,
        RetryPolicy? retryPolicy = null,
        Func<string, string?>? processEnvironment = null)
    {
        _catalogOptions = catalogOptions;
        _retryPolicy = retryPolicy ?? RetryPolicy.Default;
        _processEnvironment = processEnvironment ?? System.Environment.GetEnvironmentVariable;
    }

    /// <inheritdoc />
    public override string Type => "agent";

    /// <summary>
    /// Makes <paramref name="client"/> the model behind an agent name (<c>agent: code-analyzer</c>, which then
    /// needs no <c>agents:</c> entry) or behind a provider name (<c>provider: my-provider</c> in an entry). The
    /// registered name wins over a built-in provider of the same name. Flowline never disposes the client.
    /// </summary>
    /// <param name="name">An agent or provider name.</param>
    /// <param name="client">Any Microsoft.Extensions.AI chat client.</param>
    public void RegisterChatClient(string name, IChatClient client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        _clients[name] = client;
        _catalogs.Clear();
    }

    /// <inheritdoc />
    public override IEnumerable<Diagnostic> Validate(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Config is AgentStepConfig config && ChatParameters.Check(config.Parameters) is { } error)
        {
            yield return new Diagnostic(AgentCodes.InvalidParameter, DiagnosticSeverity.Error, $"step '{step.Id}': {error}", null, step.Id);
        }
    }

    /// <summary>
    /// Checks the agents a workflow can use and the agent names its steps give: FL4001–FL4011 (see docs/agents.md).
    /// Undefined agent names are warnings, which <c>flowline validate --strict</c> makes errors.
    /// </summary>
    /// <param name="workflow">The workflow, with its <c>Source</c> when it came from a file.</param>
    /// <returns>One diagnostic per problem, with locations where the workflow or agents file gives them.</returns>
    public IReadOnlyList<Diagnostic> Validate(WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var catalog = CatalogFor(workflow);
        return [.. catalog.Diagnostics, .. catalog.ValidateSteps(workflow)];
    }

    internal AgentCatalog CatalogFor(WorkflowDefinition workflow) =>
        _catalogs.GetValue(workflow, w => AgentCatalog.Load(w, _catalogOptions, new HashSet<string>(_clients.Keys, StringComparer.Ordinal)));

    /// <inheritdoc />
    public override async Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(context);
        if (step.Config is not AgentStepConfig config)
        {
            return StepExecutionResult.Failed($"step '{step.Id}' has type '{step.Type}' but no agent configuration (agent:, prompt:)") with { CouldNotStart = true };
        }

        var redactor = new SecretRedactor();
        var log = new AgentLog(context.Log, redactor);
        var catalog = CatalogFor(context.Workflow);
        if (catalog.Resolve(config.Agent) is not { } resolution)
        {
            return StepExecutionResult.Failed(catalog.UndefinedMessage(config.Agent)) with { CouldNotStart = true };
        }

        var agent = resolution.Agent;
        if (catalog.DiagnosticsFor(agent.Name).Where(d => d.IsError).ToList() is { Count: > 0 } invalid)
        {
            return StepExecutionResult.Failed($"agent '{agent.Name}' is not valid: {string.Join("; ", invalid.Select(d => d.ToString()))}") with { CouldNotStart = true };
        }

        if (!TryPrepare(step, config, resolution, context, log, redactor, out var request, out var error)
            || !TryCreateProvider(request, out var provider, out var owned, out error))
        {
            return StepExecutionResult.Failed(redactor.Redact(error)) with { CouldNotStart = true };
        }

        using (owned)
        {
            log.Info(resolution.Role is null
                ? $"agent {agent.Name} ({provider.Description})"
                : $"agent {config.Agent} is not defined; running as 'default' ({provider.Description}) with the role {config.Agent}");
            var result = await RunAsync(provider, request, config.Timeout, cancellationToken).ConfigureAwait(false);
            return Finish(result, request, provider, redactor);
        }
    }

    private static async Task<StepExecutionResult> RunAsync(IAgentProvider provider, AgentRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var timer = timeout is { } t ? new CancellationTokenSource(t, request.Context.TimeProvider) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer?.Token ?? CancellationToken.None);
        var name = request.RequestedName;
        try
        {
            return await provider.RunAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (timer?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            request.Log.Flush();
            return StepExecutionResult.Failed(
                $"agent '{name}' ({provider.Description}) timed out after {Durations.Format(timeout!.Value)}: the step's timeout cancelled the request. " +
                "Raise timeout: under the step's config:, or ask for less") with
            {
                Metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["timedOut"] = true },
            };
        }
        catch (ProviderCallException ex)
        {
            request.Log.Flush();
            return StepExecutionResult.Failed($"agent '{name}' ({provider.Description}) failed: {ex.Message}") with
            {
                Metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["attempts"] = ex.Attempts },
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            request.Log.Flush();
            return StepExecutionResult.Failed($"agent '{name}' ({provider.Description}) failed: {ex.Message}");
        }
    }

    private static StepExecutionResult Finish(StepExecutionResult result, AgentRequest request, IAgentProvider provider, SecretRedactor redactor)
    {
        var metadata = new Dictionary<string, object?>(result.Metadata, StringComparer.Ordinal)
        {
            ["agent"] = request.Agent.Name,
            ["provider"] = provider.Description,
        };
        if (request.Role is not null)
        {
            metadata["role"] = request.Role;
        }

        return result with
        {
            Error = result.Error is null ? null : redactor.Redact(result.Error),
            Output = result.Output is string text ? redactor.Redact(text) : result.Output,
            Metadata = metadata,
        };
    }
}
