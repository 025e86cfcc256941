using System.Text;

namespace Flowline.Agents;

/// <summary>
/// The step's log as an agent run writes it: streamed text is cut into lines as it arrives (a line is logged as
/// soon as its newline does), and every line passes through the secret redactor first, so no key reaches a log.
/// </summary>
internal sealed class AgentLog
{
    private readonly Action<string, LogStream> _write;
    private readonly SecretRedactor _redactor;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public AgentLog(Action<string, LogStream> write, SecretRedactor redactor)
    {
        _write = write;
        _redactor = redactor;
    }

    /// <summary>Logs a message from Flowline.</summary>
    public void Info(string line) => _write(_redactor.Redact(line), LogStream.Info);

    /// <summary>Logs a whole line of the agent's output.</summary>
    public void Line(string line, LogStream stream) => _write(_redactor.Redact(line), stream);

    /// <summary>Appends streamed response text; complete lines are logged at once.</summary>
    public void Append(string text)
    {
        lock (_gate)
        {
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    Line(_pending.ToString().TrimEnd('\r'), LogStream.Stdout);
                    _pending.Clear();
                }
                else
                {
                    _pending.Append(c);
                }
            }
        }
    }

    /// <summary>Logs the last, unterminated line of streamed text, if any.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                Line(_pending.ToString(), LogStream.Stdout);
                _pending.Clear();
            }
        }
    }
}

/// <summary>
/// Replaces a provider's API keys with <c>***</c> in any text an agent step is about to show, through the run's one
/// masking mechanism (<see cref="Execution.Secrets.SecretMasker"/>); the run's own secrets are masked where the text
/// is logged and the result settled.
/// </summary>
internal sealed class SecretRedactor
{
    private readonly Execution.Secrets.SecretMasker _masker = new();

    /// <summary>Adds a secret; values shorter than 4 characters are ignored (masking them would mangle ordinary text).</summary>
    public void Add(string? secret)
    {
        if (secret is { Length: >= 4 })
        {
            _masker.Add(secret);
        }
    }

    public string Redact(string text) => _masker.Apply(text);
}
