namespace Flowline.Cli.Tests.Tracing;

/// <summary>
/// <c>flowline run</c> with the standard OpenTelemetry variables sends its spans over OTLP/HTTP to a real receiver
/// on 127.0.0.1 (issue 16): one trace, the run's span at its root, a child span per step with its attributes.
/// </summary>
public sealed class OtlpTracingTests
{
    [Fact]
    public async Task A_run_exports_a_trace_with_a_span_per_step_and_passes_traceparent_to_steps()
    {
        using var receiver = new OtlpReceiver();
        using var dir = new TempDir();
        var file = dir.Write("traced.yaml", Workflows.Of("traced", "",
            Workflows.Sh("build", "echo \"$TRACEPARENT\" > traceparent"),
            Workflows.Sh("test", "echo broken >&2; exit 3", ["build"])));

        using var cli = FlowlineProcess.StartWith(
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "flowline-test",
                ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=test",
            },
            dir.Path,
            "run", file, "--no-state");
        Assert.Equal(1, await cli.WaitForExitAsync());

        var spans = receiver.Spans;
        var run = Assert.Single(spans, s => s.Name == "run traced");
        Assert.Equal("", run.ParentSpanId);
        Assert.Equal("flowline-test", run.ServiceName);
        Assert.Equal("failed", run.Attributes["flowline.run.status"]);
        Assert.Equal(2, run.StatusCode);

        var build = Assert.Single(spans, s => s.Name == "step build");
        var test = Assert.Single(spans, s => s.Name == "step test");
        Assert.All([build, test], step =>
        {
            Assert.Equal(run.TraceId, step.TraceId);
            Assert.Equal(run.SpanId, step.ParentSpanId);
            Assert.Equal("script", step.Attributes["flowline.step.type"]);
            Assert.Equal("1", step.Attributes["flowline.step.attempt"]);
        });
        Assert.Equal("completed", build.Attributes["flowline.step.status"]);
        Assert.Equal("0", build.Attributes["flowline.step.exit_code"]);
        Assert.Equal("3", test.Attributes["flowline.step.exit_code"]);
        Assert.Equal(2, test.StatusCode);
        Assert.Contains("exit", test.StatusMessage, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith($"00-{build.TraceId}-{build.SpanId}-", File.ReadAllText(dir.File("traceparent")).Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_endpoint_steps_get_no_traceparent()
    {
        using var dir = new TempDir();
        var file = dir.Write("plain.yaml", Workflows.Of("plain", "", Workflows.Sh("a", "echo \"[$TRACEPARENT]\" > traceparent")));

        using var cli = FlowlineProcess.StartWith(new Dictionary<string, string>(), dir.Path, "run", file, "--no-state");

        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.Equal("[]", File.ReadAllText(dir.File("traceparent")).Trim());
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://127.0.0.1:4318", null, null, true)]
    [InlineData(null, "http://127.0.0.1:4318/v1/traces", null, true)]
    [InlineData("http://127.0.0.1:4318", null, "true", false)]
    public void Tracing_is_on_only_when_an_otlp_endpoint_is_named(string? endpoint, string? tracesEndpoint, string? disabled, bool expected)
    {
        var variables = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = tracesEndpoint,
            ["OTEL_SDK_DISABLED"] = disabled,
        };

        Assert.Equal(expected, Cli.Tracing.OtlpTracing.Enabled(name => variables.GetValueOrDefault(name)));
    }
}
