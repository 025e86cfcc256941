using Flowline.Agents;
using Flowline.Agents.Chat;
using Flowline.Agents.Commands;

namespace Flowline;

public sealed partial class AgentStepExecutor
{
    /// <summary>
    /// Merges the parameters (agent defaults, then the step's), renders string parameters, the prompt and the
    /// system prompt. Templates see the run's roots plus <c>parameters</c> and <c>agent</c> (<c>name</c>,
    /// <c>role</c>); a command agent's arguments also see <c>prompt</c>.
    /// </summary>
    private bool TryPrepare(
        WorkflowStep step,
        AgentStepConfig config,
        AgentResolution resolution,
        StepExecutionContext context,
        AgentLog log,
        SecretRedactor redactor,
        out AgentRequest request,
        out string error)
    {
        request = null!;
        var agent = resolution.Agent;
        var agentRoot = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = config.Agent,
            ["role"] = resolution.Role,
        };
        var baseScope = new AgentScope(context, new Dictionary<string, object?>(StringComparer.Ordinal) { ["agent"] = agentRoot }, _templates);

        var parameters = new Dictionary<string, object?>(agent.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in config.Parameters)
        {
            parameters[name] = value;
        }

        foreach (var (name, value) in parameters.ToList())
        {
            if (value is string text && Flowline.Expressions.Template.ContainsTemplate(text))
            {
                if (!baseScope.TryRender(text, $"parameter '{name}' of step '{step.Id}'", out var rendered, out error))
                {
                    return false;
                }

                parameters[name] = rendered;
            }
        }

        var own = new Dictionary<string, object?>(StringComparer.Ordinal) { ["agent"] = agentRoot, ["parameters"] = parameters };
        var scope = baseScope.With(context, own);
        if (!scope.TryRender(config.Prompt ?? "", $"the prompt of step '{step.Id}'", out var prompt, out error))
        {
            return false;
        }

        string? system = null;
        if (agent.System is { } systemTemplate && !scope.TryRender(systemTemplate, $"the system prompt of agent '{agent.Name}'", out system, out error))
        {
            return false;
        }

        if (resolution.Role is { } role)
        {
            // Issue 5: an undefined agent name runs as 'default' and is passed to it as its role.
            var roleLine = $"You are acting as the '{role}' agent of the workflow '{context.Workflow.Name}'.";
            system = system is { Length: > 0 } ? roleLine + "\n\n" + system : roleLine;
        }

        request = new AgentRequest
        {
            StepId = step.Id,
            Agent = agent,
            Role = resolution.Role,
            Prompt = prompt,
            System = system,
            Parameters = parameters,
            Scope = scope.With(context, new Dictionary<string, object?>(own, StringComparer.Ordinal) { ["prompt"] = prompt }),
            Context = context,
            Log = log,
            Redactor = redactor,
        };
        error = "";
        return true;
    }

    /// <summary>
    /// Picks the provider: a chat client registered under the agent's name or its provider's name first, then the
    /// built-in <c>echo</c>, <c>command</c> or <c>openai</c>. <paramref name="owned"/> is what this run must dispose.
    /// </summary>
    private bool TryCreateProvider(AgentRequest request, out IAgentProvider provider, out IDisposable? owned, out string error)
    {
        provider = null!;
        owned = null;
        error = "";
        var agent = request.Agent;
        var providerName = agent.Provider ?? agent.Name;
        if (_clients.TryGetValue(agent.Name, out var registered) || _clients.TryGetValue(providerName, out registered))
        {
            provider = new ChatProvider(registered, $"chat client '{(_clients.ContainsKey(agent.Name) ? agent.Name : providerName)}'", _retryPolicy);
            return true;
        }

        switch (providerName)
        {
            case "echo":
                provider = EchoProvider.Instance;
                return true;
            case "command" when agent.GetString("command") is { Length: > 0 } command:
                provider = new CommandProvider(command);
                return true;
            case "openai":
                var model = request.Parameters.GetValueOrDefault("model") as string ?? agent.GetString("model");
                if (model is not { Length: > 0 })
                {
                    error = $"agent '{agent.Name}' (openai) has no model: write e.g. 'model: gpt-4o-mini' in its definition";
                    return false;
                }

                string Environment(string name) => request.Context.Environment.GetValueOrDefault(name) ?? _processEnvironment(name) ?? "";
                if (!OpenAIClientFactory.TryCreate(agent, model, Environment, request.Redactor, out var client, out var description, out error))
                {
                    return false;
                }

                owned = client;
                provider = new ChatProvider(client, description, _retryPolicy);
                return true;
            default:
                error = $"agent '{agent.Name}' has the provider '{providerName}', which is neither built in ({string.Join(", ", AgentCatalog.BuiltInProviders)}) " +
                    "nor registered with RegisterChatClient";
                return false;
        }
    }
}
