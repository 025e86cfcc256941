using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Flowline.Cli.Tracing;

/// <summary>
/// Sends Flowline's spans (<see cref="FlowlineTracing"/>) over OTLP when the standard OpenTelemetry variables ask for
/// it (issue 16, docs/tracing.md): <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>
/// switches it on; the exporter reads the protocol, headers and timeout from their usual variables, the resource
/// reads <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>. Without them nothing is built and no
/// listener is attached, so runs create no spans at all.
/// </summary>
internal static class OtlpTracing
{
    /// <summary>The exporter, flushed when disposed (before the process exits); null when tracing is off.</summary>
    public static TracerProvider? Start()
    {
        if (!Enabled(Environment.GetEnvironmentVariable))
        {
            return null;
        }

        var serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "flowline";
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(OtlpTracing).Assembly.GetName().Version?.ToString(3)))
            .AddSource(FlowlineTracing.ActivitySourceName)
            .AddOtlpExporter()
            .Build();
    }

    /// <summary>On when an OTLP endpoint is named and the SDK is not disabled (<c>OTEL_SDK_DISABLED=true</c>).</summary>
    public static bool Enabled(Func<string, string?> variable) =>
        !string.Equals(variable("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)
        && (variable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } || variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") is { Length: > 0 });
}
