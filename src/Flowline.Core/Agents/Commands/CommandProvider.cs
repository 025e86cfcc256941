using System.Globalization;
using System.Text.Json;
using Flowline.Execution.Processes;
using Flowline.Expressions;

namespace Flowline.Agents.Commands;

/// <summary>
/// The <c>command</c> provider: any command-line agent (<c>gemini -p</c>, <c>claude -p</c>, <c>codex exec</c>, a
/// script). The prompt goes to stdin, unless an argument uses <c>{{ prompt }}</c>, in which case stdin is closed
/// empty. Stdout streams into the log and becomes the output; a non-zero exit fails the step.
/// </summary>
internal sealed class CommandProvider : IAgentProvider
{
    private readonly string _command;

    public CommandProvider(string command) => _command = command;

    public string Description => $"command {_command}";

    public async Task<StepExecutionResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var name = request.RequestedName;
        var raw = request.Agent.Settings.GetValueOrDefault("args") as IReadOnlyList<object?> ?? [];
        var args = new List<string>(raw.Count);
        var promptInArgs = false;
        for (var i = 0; i < raw.Count; i++)
        {
            var text = raw[i] is string s ? s : ValueFormatter.Render(raw[i]);
            if (request.Scope.Reads(text, "prompt"))
            {
                promptInArgs = true;
            }

            if (!request.Scope.TryRender(text, $"args[{i}] of agent '{request.Agent.Name}'", out var rendered, out var error))
            {
                return StepExecutionResult.Failed(error);
            }

            args.Add(rendered);
        }

        var environment = new Dictionary<string, string>(request.Context.Environment, StringComparer.Ordinal)
        {
            ["FLOWLINE_AGENT"] = request.Agent.Name,
            ["FLOWLINE_AGENT_ROLE"] = request.Role ?? "",
            ["FLOWLINE_AGENT_PARAMETERS"] = ValueFormatter.Render(request.Parameters),
        };
        if (request.System is { Length: > 0 } system)
        {
            environment["FLOWLINE_AGENT_SYSTEM"] = system;
        }

        // The same launcher as script steps: argv without a shell, its own process group, graceful-then-forceful
        // kill of the whole tree, bounded capture.
        var spec = new ProcessSpec
        {
            Command = _command,
            Arguments = args,
            WorkingDirectory = request.Context.WorkingDirectory,
            Environment = environment,
            Unset = request.Context.HiddenEnvironment,
            StandardInput = promptInArgs ? null : request.Prompt,
        };
        var result = await ProcessLauncher.ForRun(request.Context.Options)
            .RunAsync(spec, request.Log.Line, request.Context.TimeProvider, cancellationToken)
            .ConfigureAwait(false);
        switch (result.Status)
        {
            case ProcessRunStatus.Cancelled:
                throw new OperationCanceledException($"agent '{name}' ({Description}) was cancelled and its processes stopped.", cancellationToken);
            case ProcessRunStatus.NotStarted:
                return StepExecutionResult.Failed($"agent '{name}' ({Description}) could not start: {result.Error}");
        }

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["command"] = _command };
        if (result.ExitCode != 0)
        {
            var tail = string.Join(" | ", result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            var because = tail.Length > 0 ? $": {tail}" : " (no error output)";
            return new StepExecutionResult
            {
                Success = false,
                Error = string.Create(CultureInfo.InvariantCulture, $"agent '{name}' ({Description}) exited with code {result.ExitCode}{because}"),
                ExitCode = result.ExitCode,
                Stdout = request.Redactor.Redact(result.Stdout),
                Stderr = request.Redactor.Redact(result.Stderr),
                Metadata = metadata,
            };
        }

        var output = result.Stdout.TrimEnd('\n', '\r');
        object? value = output;
        if (request.WantsJson)
        {
            if (!AgentOutput.TryParseJson(output, out var json, out var jsonError))
            {
                return StepExecutionResult.Failed(jsonError) with { ExitCode = 0, Metadata = metadata };
            }

            value = json;
        }

        return new StepExecutionResult
        {
            Success = true,
            Output = value is JsonElement ? value : request.Redactor.Redact(output),
            ExitCode = 0,
            Stdout = request.Redactor.Redact(result.Stdout),
            Stderr = request.Redactor.Redact(result.Stderr),
            Metadata = metadata,
        };
    }
}
