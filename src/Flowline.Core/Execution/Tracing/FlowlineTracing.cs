using System.Diagnostics;

namespace Flowline;

/// <summary>
/// Flowline's traces (issue 16, docs/tracing.md): a span per run and a span per step attempt from the
/// <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>. Listen to it (an OpenTelemetry
/// <c>TracerProvider</c> with <c>AddSource("Flowline")</c>, or an <see cref="ActivityListener"/>) to receive them;
/// without a listener a run creates no span and costs nothing.
/// </summary>
public static class FlowlineTracing
{
    /// <summary>The name of the activity source every run's spans come from.</summary>
    public const string ActivitySourceName = "Flowline";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(FlowlineTracing).Assembly.GetName().Version?.ToString(3));
}
