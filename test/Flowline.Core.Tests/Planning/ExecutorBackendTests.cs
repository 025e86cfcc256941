using Flowline.Execution.Script;
using Flowline.Planning;
using Flowline.State;
using Flowline.Testing;

namespace Flowline.Core.Tests.Planning;

/// <summary>
/// Issue 12: one executor per step type and backend; each script step runs where the run's override, else its own
/// <c>executor:</c>, else the workflow's says; other types always locally. A fake stands in for the Slurm executor.
/// </summary>
public sealed class ExecutorBackendTests
{
    private const string Mixed = """
        name: Mixed
        version: 1.0.0
        executor: slurm
        steps:
          - id: a
            name: A
            type: script
            config: { command: "true" }
          - id: b
            name: B
            type: script
            executor: local
            config: { command: "true" }
          - id: c
            name: C
            type: fake
            config: {}
        """;

    [Fact]
    public async Task Each_script_step_runs_on_its_own_executor_else_the_workflows_and_other_types_stay_local()
    {
        var (runner, slurm, custom) = Runner();
        var workflow = Load(Mixed);

        var plan = runner.Validate(workflow).Plan!;
        var result = await runner.ExecuteAsync(plan).WaitAsync(HangGuard);

        Assert.True(result.Success, result.Error);
        Assert.Equal(["slurm", "local", "local"], plan.Steps.Select(s => s.Backend));
        Assert.Equal(["a"], slurm.StartOrder);
        Assert.Equal(["c"], custom.StartOrder);
        Assert.Equal(StepStatus.Completed, result.StepResults["b"].Status);
    }

    [Fact]
    public async Task The_runs_executor_overrides_the_file_and_a_plan_made_without_it_is_made_again()
    {
        var (runner, slurm, _) = Runner();
        var workflow = Load(Mixed);
        var plan = runner.Validate(workflow).Plan!;

        var local = await runner.ExecuteAsync(plan, new ExecutionOptions { Executor = "local" }).WaitAsync(HangGuard);
        var everywhere = await runner.ExecuteAsync(workflow, new ExecutionOptions { Executor = "slurm" }).WaitAsync(HangGuard);

        Assert.True(local.Success && everywhere.Success, local.Error ?? everywhere.Error);
        Assert.Equal(["a", "b"], slurm.StartOrder);
    }

    [Fact]
    public async Task A_plan_validated_with_the_runs_executor_is_run_without_planning_again()
    {
        var counting = new CountingSlurm();
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(counting);
        var workflow = Load(Mixed.Replace("executor: slurm\n", "", StringComparison.Ordinal));

        var plan = runner.Validate(workflow, executor: "slurm").Plan!;
        var result = await runner.ExecuteAsync(plan, new ExecutionOptions { Executor = "slurm" }).WaitAsync(HangGuard);

        Assert.False(result.Success); // step c's type has no executor here
        Assert.Equal(2, counting.Described);
    }

    [Fact]
    public async Task A_registered_executor_replaces_only_the_one_with_the_same_type_and_backend()
    {
        var runner = new WorkflowRunner();
        var first = new FakeStepExecutor("script", backend: "slurm");
        var second = new FakeStepExecutor("script", backend: "slurm");
        runner.RegisterStepExecutor(first);
        runner.RegisterStepExecutor(second);
        runner.RegisterStepExecutor(new FakeStepExecutor());
        var workflow = Load(Mixed);

        var plan = runner.Validate(workflow).Plan!;
        var result = await runner.ExecuteAsync(plan).WaitAsync(HangGuard);

        Assert.True(result.Success, result.Error);
        Assert.Empty(first.StartOrder);
        Assert.Equal(["a"], second.StartOrder);
        Assert.IsType<ScriptStepExecutor>(plan.Steps[1].Executor);
    }

    [Fact]
    public async Task Steps_in_a_slurm_license_pool_are_left_to_slurm_and_not_counted_by_flowline()
    {
        var (runner, slurm, _) = Runner();
        slurm.Hold("a", "b");
        var workflow = Load("""
            name: Licensed
            version: 1.0.0
            executor: slurm
            parallel:
              resources:
                db: { size: 1, slurmLicense: db }
            steps:
              - id: a
                name: A
                type: script
                config: { command: "true" }
                parallel: { resource: db }
              - id: b
                name: B
                type: script
                config: { command: "true" }
                parallel: { resource: db }
            """);

        var plan = runner.Validate(workflow).Plan!;
        var run = runner.ExecuteAsync(plan);
        await Task.WhenAll(slurm.WhenStarted("a"), slurm.WhenStarted("b")).WaitAsync(HangGuard);
        slurm.Release("a");
        slurm.Release("b");
        var result = await run.WaitAsync(HangGuard);

        Assert.True(result.Success, result.Error);
        Assert.All(plan.Steps, s => Assert.Equal(-1, s.Pool));
        Assert.Equal("db", SlurmStep.License(workflow, workflow.Steps[0]));
    }

    [Fact]
    public void A_backend_without_an_executor_is_one_problem_at_the_workflows_executor_that_names_the_backend()
    {
        var workflow = Load(Mixed.Replace("type: fake", "type: script", StringComparison.Ordinal));

        var result = LocalOnlyValidator().Validate(workflow);

        var problem = Assert.Single(result.Plan!.Problems);
        Assert.Equal((DiagnosticCodes.ExecutorNotRegistered, 3, 11), (problem.Code, problem.Location!.Line, problem.Location.Column));
        Assert.Contains("No executor runs 'script' steps on 'slurm' (registered for 'script': 'local')", problem.Message, StringComparison.Ordinal);
        Assert.Contains("flowline run --executor local", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backend_without_an_executor_named_by_a_step_is_reported_at_the_step_and_by_the_override_without_a_location()
    {
        var workflow = Load(Mixed.Replace("executor: slurm\n", "", StringComparison.Ordinal).Replace("executor: local", "executor: slurm", StringComparison.Ordinal));
        var executors = LocalOnly();

        var atStep = WorkflowPlanner.Build(workflow, new ExecutorRegistry(executors));
        var byOverride = WorkflowPlanner.Build(workflow, new ExecutorRegistry(executors), "slurm");

        var problem = Assert.Single(atStep.Problems, p => p.Code == DiagnosticCodes.ExecutorNotRegistered);
        Assert.Equal(("b", 11, 15), (problem.StepId, problem.Location!.Line, problem.Location.Column));
        Assert.StartsWith("Step 'b' runs on 'slurm'.", problem.Message, StringComparison.Ordinal);
        var general = Assert.Single(byOverride.Problems, p => p.Code == DiagnosticCodes.ExecutorNotRegistered);
        Assert.Null(general.Location);
        Assert.Contains("flowline run --executor", general.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_executor_for_the_run_is_a_problem_and_no_step_runs()
    {
        var (runner, slurm, custom) = Runner();

        var result = await runner.ExecuteAsync(Load(Mixed), new ExecutionOptions { Executor = "slrum" }).WaitAsync(HangGuard);
        var plan = runner.Validate(Load(Mixed), executor: "slrum").Plan!;

        Assert.False(result.Success);
        Assert.Empty(slurm.StartOrder);
        Assert.Empty(custom.StartOrder);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal(DiagnosticCodes.UnknownExecutor, problem.Code);
        Assert.Contains("is 'slrum', which is not an executor. Did you mean 'slurm'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_backend_of_ones_own_is_a_valid_executor_name()
    {
        var runner = new WorkflowRunner();
        var k8s = new FakeStepExecutor("script", backend: "k8s");
        runner.RegisterStepExecutor(k8s);
        var workflow = Load(Mixed.Replace("executor: slurm", "executor: k8s", StringComparison.Ordinal).Replace("type: fake\n    config: {}", "type: script\n    config: { command: \"true\" }", StringComparison.Ordinal));

        var validation = runner.Validate(workflow);
        var result = await runner.ExecuteAsync(validation.Plan!).WaitAsync(HangGuard);

        Assert.Empty(validation.Diagnostics);
        Assert.True(result.Success, result.Error);
        Assert.Equal(["a", "c"], k8s.StartOrder);
        Assert.Contains(DiagnosticCodes.UnknownExecutor, new WorkflowValidator().Validate(workflow).Errors.Select(e => e.Code));
    }

    [Fact]
    public void An_executor_whose_backend_is_empty_is_refused_with_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => new WorkflowRunner().RegisterStepExecutor(new FakeStepExecutor("script", backend: " ")));

        Assert.Contains("Backend is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_merged_slurm_options_of_a_step_take_each_field_it_sets_over_the_workflows()
    {
        var workflow = Load("""
            name: Merge
            version: 1.0.0
            slurm: { partition: main, memory: 4G, cpusPerTask: 2, maxJobs: 10 }
            steps:
              - id: a
                name: A
                type: script
                slurm: { memory: 16G, gpus: 1 }
                config: { command: "true" }
              - id: b
                name: B
                type: script
                config: { command: "true" }
            """);

        var a = SlurmStep.Options(workflow, workflow.Steps[0]);
        var b = SlurmStep.Options(workflow, workflow.Steps[1]);

        Assert.Equal(new SlurmOptions { Partition = "main", MemoryMiB = 16384, CpusPerTask = 2, Gpus = "1", MaxJobs = 10 }, a);
        Assert.Same(workflow.Slurm, b);
        Assert.Equal(10, SlurmStep.RunWide(workflow).MaxJobs);
        Assert.Null(SlurmStep.License(workflow, workflow.Steps[1]));
        Assert.Equal(new SlurmOptions(), SlurmStep.Options(workflow with { Slurm = null }, workflow.Steps[1]));
    }

    [Fact]
    public void A_run_records_its_executor_and_a_resume_runs_with_it()
    {
        var workflow = Load(Mixed);

        var recorded = RecordedOptions.Read(RecordedOptions.Write(workflow, new ExecutionOptions { Executor = "local" }));
        var plain = RecordedOptions.Read(RecordedOptions.Write(workflow, new ExecutionOptions()));

        Assert.Equal("local", recorded.Executor);
        Assert.Equal("local", recorded.ToExecutionOptions().Executor);
        Assert.Null(plain.Executor);
    }

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static (WorkflowRunner Runner, FakeStepExecutor Slurm, FakeStepExecutor Custom) Runner()
    {
        var runner = new WorkflowRunner();
        var slurm = new FakeStepExecutor("script", backend: "slurm");
        var custom = new FakeStepExecutor();
        runner.RegisterStepExecutor(slurm);
        runner.RegisterStepExecutor(custom);
        return (runner, slurm, custom);
    }

    private static Dictionary<ExecutorKey, StepExecutor> LocalOnly() => new() { [new ExecutorKey("script", "local")] = new ScriptStepExecutor() };

    private static WorkflowValidator LocalOnlyValidator()
    {
        var executors = LocalOnly();
        return new WorkflowValidator(new ExecutorRegistry(executors), executors);
    }

    internal static WorkflowDefinition Load(string yaml)
    {
        var result = WorkflowLoader.Parse(yaml, "flow.yaml");
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        return result.Definition!;
    }

    private sealed class CountingSlurm : StepExecutor
    {
        private int _described;

        public int Described => Volatile.Read(ref _described);

        public override string Type => "script";

        public override string Backend => "slurm";

        public override StepTraits Describe(WorkflowStep step)
        {
            Interlocked.Increment(ref _described);
            return base.Describe(step);
        }

        public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StepExecutionResult.Succeeded());
    }
}
