using static Flowline.Core.Tests.Binding.BindingKit;

namespace Flowline.Core.Tests.Binding;

/// <summary>Step outputs: trimmed stdout, FLOWLINE_OUTPUT lines and blocks, JSON on stdout.</summary>
public sealed class OutputPassingTests
{
    private static string Workflow(string producer, string consumerArg) => $$"""
        name: outputs
        version: 1.0.0
        steps:
          - id: produce
            name: produce
            type: script
            config:
              command: sh
              args: ["-c", {{System.Text.Json.JsonSerializer.Serialize(producer)}}]
          - id: consume
            name: consume
            type: script
            dependsOn: [produce]
            config:
              command: printf
              args: ["%s", {{System.Text.Json.JsonSerializer.Serialize(consumerArg)}}]
        """;

    [Fact]
    public async Task Output_renders_the_trimmed_stdout()
    {
        var result = await RunAsync(Workflow("echo '  hello world  '; echo", "[{{ steps.produce.output }}]"));

        Assert.Equal("[hello world]", result.Out("consume"));
    }

    [Fact]
    public async Task A_single_line_named_output_is_read_from_FLOWLINE_OUTPUT()
    {
        var result = await RunAsync(Workflow(
            "echo 'log line'; echo 'version=1.2.3' >> \"$FLOWLINE_OUTPUT\"; echo 'empty=' >> \"$FLOWLINE_OUTPUT\"",
            "{{ steps.produce.output.version }}|{{ steps.produce.output.empty }}|{{ steps.produce.output }}"));

        Assert.Equal("1.2.3||log line", result.Out("consume"));
        Assert.Equal("1.2.3", result.Step("produce").Outputs["version"]);
    }

    [Fact]
    public async Task A_multi_line_named_output_is_read_from_a_delimited_block()
    {
        var result = await RunAsync(Workflow(
            "printf 'notes<<EOF\\nline one\\nline = two\\nEOF\\nafter=yes\\n' >> \"$FLOWLINE_OUTPUT\"",
            "{{ steps.produce.output.notes }}|{{ steps.produce.output.after }}"));

        Assert.Equal("line one\nline = two|yes", result.Out("consume"));
    }

    [Fact]
    public async Task Without_named_outputs_the_fields_of_a_JSON_object_on_stdout_are_read()
    {
        var result = await RunAsync(Workflow(
            "echo '{\"summary\": \"3 passed\", \"count\": 3, \"items\": [{\"name\": \"a\"}]}'",
            "{{ steps.produce.output.summary }}/{{ steps.produce.output.count }}/{{ steps.produce.output.items[0].name }}"));

        Assert.Equal("3 passed/3/a", result.Out("consume"));
    }

    [Fact]
    public async Task Inside_JSON_the_output_is_its_text_and_steps_lists_only_finished_steps()
    {
        var result = await RunAsync(Workflow(
            "echo 'v=1' >> \"$FLOWLINE_OUTPUT\"; echo done",
            "{{ toJSON(steps.produce.output) }} {{ length(steps) }} {{ steps.produce.success }}"));

        Assert.Equal("\"done\" 1 true", result.Out("consume"));
    }

    [Fact]
    public async Task The_output_file_is_fresh_for_each_step_and_deleted_afterwards()
    {
        var result = await RunAsync("""
            name: outputs
            version: 1.0.0
            steps:
              - id: first
                name: first
                type: script
                config:
                  command: sh
                  args: ["-c", "echo a=1 >> \"$FLOWLINE_OUTPUT\"; echo \"$FLOWLINE_OUTPUT\""]
              - id: second
                name: second
                type: script
                dependsOn: [first]
                config:
                  command: sh
                  args: ["-c", "wc -c < \"$FLOWLINE_OUTPUT\" | tr -d ' '"]
            """);

        Assert.Equal("0", result.Out("second"));
        Assert.False(File.Exists(result.Out("first")));
    }

    [Fact]
    public async Task A_malformed_output_file_fails_the_step_with_the_line_to_fix()
    {
        var result = await RunAsync(Workflow("echo 'no equals sign' >> \"$FLOWLINE_OUTPUT\"", "x"));

        Assert.Equal(StepStatus.Failed, result.Step("produce").Status);
        Assert.Contains("FLOWLINE_OUTPUT line 1 ('no equals sign') is neither KEY=value nor KEY<<DELIMITER", result.Step("produce").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_fields_give_exit_code_status_stderr_and_error_of_a_tolerated_failure()
    {
        var result = await RunAsync("""
            name: fields
            version: 1.0.0
            steps:
              - id: flaky
                name: flaky
                type: script
                continueOnError: true
                config:
                  command: sh
                  args: ["-c", "echo oops >&2; exit 3"]
              - id: report
                name: report
                type: script
                config:
                  command: printf
                  args: ["%s", "{{ steps.flaky.exitCode }} {{ steps.flaky.status }} {{ steps.flaky.success }} {{ trim(steps.flaky.stderr) }} {{ steps.flaky.executionTime >= 0 }}"]
            """);

        Assert.Equal("3 failed false oops true", result.Out("report"));
    }
}
