using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Flowline.Agents.Chat;

/// <summary>
/// Builds the <c>openai</c> provider's client: any OpenAI-compatible chat endpoint (OpenAI, Gemini's compatible
/// endpoint, Ollama, vLLM, LM Studio, llama.cpp) through the OpenAI adapter of Microsoft.Extensions.AI. The key
/// is read from the variable named by <c>apiKeyEnv</c> at run time and registered with the redactor at once.
/// </summary>
internal static class OpenAIClientFactory
{
    /// <summary>The endpoint used when an agent gives no <c>baseUrl</c>.</summary>
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    // Local servers (Ollama, llama.cpp) want no key, but the client requires one; they ignore this one.
    private const string NoKey = "no-key";

    public static bool TryCreate(
        AgentDefinition agent,
        string model,
        Func<string, string?> environment,
        SecretRedactor redactor,
        out IChatClient client,
        out string description,
        out string error)
    {
        client = null!;
        description = "";
        var baseUrl = agent.GetString("baseUrl") ?? DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl.TrimEnd('/'), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            error = $"agent '{agent.Name}': baseUrl must be an absolute http(s) URL such as {DefaultBaseUrl}";
            return false;
        }

        var key = NoKey;
        if (agent.GetString("apiKeyEnv") is { } variable)
        {
            if (!AgentCatalog.IsVariableName(variable))
            {
                error = $"agent '{agent.Name}': apiKeyEnv must be the NAME of an environment variable, such as OPENAI_API_KEY, not the key itself";
                return false;
            }

            if (environment(variable) is not { Length: > 0 } value)
            {
                error = $"agent '{agent.Name}' reads its API key from the environment variable {variable}, which is not set: " +
                    $"export {variable}=… before running (or set it under env: in the workflow)";
                return false;
            }

            key = value;
            redactor.Add(key);
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,

            // Flowline retries itself (RetryingChatClient) with the run's clock and logs each attempt.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),

            // The step's timeout bounds a request; this only stops a silent connection from hanging for ever.
            NetworkTimeout = TimeSpan.FromMinutes(10),
        };
        options.AddPolicy(new AnswerCheckPolicy(), PipelinePosition.PerTry);
        client = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(key), options).AsIChatClient();
        description = $"openai at {SafeUrl(endpoint)}";
        error = "";
        return true;
    }

    /// <summary>The URL without user info or query, which may hold credentials.</summary>
    public static string SafeUrl(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}
