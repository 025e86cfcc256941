using System.Globalization;
using Flowline.Agents;
using Flowline.Core.Tests.Agents.Support;
using Flowline.Expressions;

namespace Flowline.Core.Tests.Agents;

/// <summary>examples/agents.yaml runs on a bare machine: its agent steps, in order, with echo.</summary>
public sealed class ExampleWorkflowTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task The_agents_example_validates_with_only_the_expected_warnings_and_runs_every_agent_step()
    {
        var workflow = LoadExample();

        var diagnostics = _harness.Executor.Validate(workflow);
        Assert.Equal(["FL4002", "FL4002"], diagnostics.Select(d => d.Code));
        Assert.All(workflow.Steps, s => Assert.Empty(_harness.Executor.Validate(s)));

        var steps = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            if (step.Config is not AgentStepConfig)
            {
                steps[step.Id] = AgentHarness.Map(("output", "build ok"), ("success", true));
                continue;
            }

            var scope = new DictionaryScope(AgentHarness.Map(
                ("env", workflow.Env.ToDictionary(e => e.Key, e => (object?)e.Value)),
                ("variables", AgentHarness.Map()),
                ("steps", new Dictionary<string, object?>(steps)),
                ("workflow", AgentHarness.Map(("name", workflow.Name), ("version", workflow.Version)))));
            var result = await _harness.Executor.ExecuteAsync(step, _harness.Context(workflow, scope: scope), CancellationToken.None);
            Assert.True(result.Success, $"{step.Id}: {result.Error}");
            steps[step.Id] = AgentHarness.Map(("output", result.Output), ("success", true));
        }

        Assert.Equal("Hello from Agents example (production)", ((IReadOnlyDictionary<string, object?>)steps["hello"]!)["output"]);
        Assert.Equal("Build dev finished.\nAnalysis: Analyze the codebase for potential issues.",
            ((IReadOnlyDictionary<string, object?>)steps["notify"]!)["output"]);
    }

    /// <summary>A minimal reading of the example into a definition (the real loader lives on another branch).</summary>
    private static WorkflowDefinition LoadExample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "examples", "agents.yaml")))
        {
            directory = directory.Parent;
        }

        var root = (IReadOnlyDictionary<string, object?>)AgentsFile.ParsePlain(File.ReadAllText(Path.Combine(directory.FullName, "examples", "agents.yaml")))!;
        var agents = ((IReadOnlyDictionary<string, object?>)root["agents"]!)
            .ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, object?>)a.Value!, StringComparer.Ordinal);
        var steps = ((IReadOnlyList<object?>)root["steps"]!).Cast<IReadOnlyDictionary<string, object?>>().Select(s =>
        {
            var config = (IReadOnlyDictionary<string, object?>)s["config"]!;
            StepConfig typed = (string)s["type"]! == "agent"
                ? new AgentStepConfig
                {
                    Agent = (string)config["agent"]!,
                    Prompt = config.GetValueOrDefault("prompt") as string,
                    Parameters = config.GetValueOrDefault("parameters") as IReadOnlyDictionary<string, object?> ?? AgentHarness.Map(),
                    Timeout = config.GetValueOrDefault("timeout") is long ms ? TimeSpan.FromMilliseconds(ms) : null,
                }
                : new ScriptStepConfig { Command = (string)config["command"]! };
            return new WorkflowStep { Id = (string)s["id"]!, Name = (string)s["name"]!, Type = (string)s["type"]!, Config = typed };
        }).ToList();
        return new WorkflowDefinition
        {
            Name = (string)root["name"]!,
            Version = Convert.ToString(root["version"], CultureInfo.InvariantCulture)!,
            Env = ((IReadOnlyDictionary<string, object?>)root["env"]!).ToDictionary(e => e.Key, e => (string)e.Value!),
            Agents = agents,
            Steps = steps,
        };
    }
}
