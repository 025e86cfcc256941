using static Flowline.Core.Tests.Binding.BindingKit;

namespace Flowline.Core.Tests.Binding;

/// <summary>Rendering right before a step runs: arguments keep their shape, undefined values fail clearly.</summary>
public sealed class RenderingTests
{
    private const string Args = """
        name: args
        version: 1.0.0
        steps:
          - id: show
            name: show
            type: script
            config:
              command: sh
              args: ["-c", "echo \"$#\"; for a in \"$@\"; do printf '<%s>' \"$a\"; done", "sh", "--name={{ variables.evil }}", "{{ variables.evil }}"]
        """;

    [Theory]
    [InlineData("; rm -rf /")]
    [InlineData("$(touch /tmp/flowline-pwned) `id`")]
    [InlineData("it's \"quoted\" \\ back")]
    [InlineData("two\nlines and  spaces")]
    [InlineData("*")]
    public async Task A_hostile_value_stays_one_literal_argument(string evil)
    {
        var result = await RunAsync(Args, Vars(("evil", evil)));

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal($"2\n<--name={evil}><{evil}>", result.Out("show"));
    }

    private const string Checkout = """
        name: checkout
        version: 1.0.0
        steps:
          - id: checkout
            name: Checkout Code
            type: script
            config:
              command: printf
              args: ["%s", "checkout [{{variables.branch}}]"]
        """;

    [Fact]
    public async Task An_undefined_reference_fails_the_step_with_the_fix_in_the_message()
    {
        var result = await RunAsync(Checkout);

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        var step = result.Step("checkout");
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal(0, step.Attempts);
        Assert.Equal("config.args[1]: variables.branch is not defined: pass --var branch=… or write {{ variables.branch || 'default' }}", step.Error);
    }

    [Fact]
    public async Task AllowUndefined_renders_an_undefined_reference_empty()
    {
        var result = await RunAsync(Checkout, new ExecutionOptions { AllowUndefined = true });

        Assert.Equal("checkout []", result.Out("checkout"));
    }

    [Fact]
    public async Task A_default_with_or_covers_a_missing_variable()
    {
        var result = await RunAsync(Checkout.Replace("{{variables.branch}}", "{{ variables.branch || 'main' }}", StringComparison.Ordinal));

        Assert.Equal("checkout [main]", result.Out("checkout"));
    }

    [Fact]
    public async Task The_runner_process_environment_is_not_readable_through_env()
    {
        Assert.NotNull(Environment.GetEnvironmentVariable("PATH"));
        var result = await RunAsync("""
            name: secrets
            version: 1.0.0
            steps:
              - id: leak
                name: leak
                type: script
                config:
                  command: printf
                  args: ["%s", "{{ env.PATH }}"]
            """);

        Assert.Equal(StepStatus.Failed, result.Step("leak").Status);
        Assert.StartsWith("config.args[1]: env.PATH is not defined", result.Step("leak").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_and_workflow_roots_and_working_directory_are_rendered()
    {
        var folder = Directory.CreateTempSubdirectory("flowline-bind-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "sub-7"));
            var result = await RunAsync(
                """
                name: roots
                version: 2.0.0
                steps:
                  - id: where
                    name: where
                    type: script
                    config:
                      command: sh
                      args: ["-c", "echo \"$(basename \"$PWD\") $1\"", "sh", "{{ run.id }}"]
                      workingDirectory: "sub-{{ variables.n }}"
                """,
                new ExecutionOptions { RunId = "run-42", WorkingDirectory = folder, Variables = new Dictionary<string, object?> { ["n"] = 7 } });

            Assert.Equal("sub-7 run-42", result.Out("where"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_agent_executor_renders_its_prompt_and_parameters_with_the_run_scope()
    {
        var result = await RunAsync(
            """
            name: agent
            version: 1.0.0
            env:
              STAGE: beta
            steps:
              - id: build
                name: build
                type: script
                config: { command: echo, args: ["build 9"] }
              - id: ask
                name: ask
                type: agent
                config:
                  agent: helper
                  prompt: "Scan {{ parameters.target }} on {{ env.STAGE }} after {{ steps.build.output }}"
                  parameters:
                    target: "v{{ variables.n }}"
            """ + EchoAgents,
            Vars(("n", 5)));

        Assert.Equal("Scan v5 on beta after build 9", result.Out("ask"));
    }

    [Fact]
    public async Task A_value_that_contains_braces_is_rendered_once_and_never_re_parsed()
    {
        var result = await RunAsync(
            """
            name: agent
            version: 1.0.0
            steps:
              - id: ask
                name: ask
                type: agent
                config:
                  agent: helper
                  prompt: "Title: {{ variables.title }}"
              - id: run
                name: run
                type: script
                config: { command: printf, args: ["%s", "{{ variables.title }}"] }
            """ + EchoAgents,
            Vars(("title", "{{ variables.secret }}"), ("secret", "s3cret")));

        Assert.Equal("Title: {{ variables.secret }}", result.Out("ask"));
        Assert.Equal("{{ variables.secret }}", result.Out("run"));
    }

    [Fact]
    public async Task AllowUndefined_applies_to_agent_prompts_too()
    {
        var result = await RunAsync(
            """
            name: agent
            version: 1.0.0
            steps:
              - id: ask
                name: ask
                type: agent
                config: { agent: helper, prompt: "[{{ variables.missing }}]" }
            """ + EchoAgents,
            new ExecutionOptions { AllowUndefined = true });

        Assert.Equal("[]", result.Out("ask"));
    }

    [Fact]
    public async Task A_custom_executor_renders_its_config_through_the_context()
    {
        string? table = null;
        IReadOnlyDictionary<string, object?>? config = null;
        var recorder = new RecordingExecutor("database", (_, context) =>
        {
            table = context.Render("{{ variables.table }}_{{ run.id }}");
            config = context.RenderConfig();
            return StepExecutionResult.Succeeded();
        });

        var result = await RunAsync(
            """
            name: custom
            version: 1.0.0
            steps:
              - id: query
                name: query
                type: database
                config:
                  sql: "SELECT * FROM {{ variables.table }}"
                  limits: [1, "{{ variables.table }}"]
            """,
            new ExecutionOptions { RunId = "r1", Variables = new Dictionary<string, object?> { ["table"] = "users" } },
            recorder);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("users_r1", table);
        Assert.Equal("SELECT * FROM users", config!["sql"]);
        Assert.Equal(new object?[] { 1L, "users" }, (IEnumerable<object?>)config["limits"]!);
    }

    [Fact]
    public async Task A_custom_executor_whose_template_cannot_render_fails_its_step_with_the_message()
    {
        var recorder = new RecordingExecutor("database", (_, context) => StepExecutionResult.Succeeded(context.Render("{{ variables.nope }}")));

        var result = await RunAsync("""
            name: custom
            version: 1.0.0
            steps:
              - id: query
                name: query
                type: database
                config: {}
            """, recorder: recorder);

        Assert.Equal(StepStatus.Failed, result.Step("query").Status);
        Assert.Contains("variables.nope is not defined", result.Step("query").Error, StringComparison.Ordinal);
    }
}
