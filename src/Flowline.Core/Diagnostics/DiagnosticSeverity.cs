namespace Flowline;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The workflow can run, but something looks wrong.</summary>
    Warning,

    /// <summary>The workflow cannot run.</summary>
    Error,
}
