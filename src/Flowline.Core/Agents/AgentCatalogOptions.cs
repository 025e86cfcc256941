namespace Flowline.Agents;

/// <summary>Where <see cref="AgentCatalog"/> looks for agents files besides the workflow's own <c>agents:</c> map.</summary>
internal sealed record AgentCatalogOptions
{
    /// <summary>The name of the agents file looked for next to the workflow.</summary>
    public const string FileName = "flowline.agents.yaml";

    /// <summary>The defaults: the workflow's folder and the user's config folder.</summary>
    public static AgentCatalogOptions Default { get; } = new();

    /// <summary>The folder searched for <see cref="FileName"/>; null uses the workflow file's folder (none for a workflow built in code).</summary>
    public string? WorkflowDirectory { get; init; }

    /// <summary>The user's agents file; null uses <c>$XDG_CONFIG_HOME/flowline/agents.yaml</c> (default <c>~/.config</c>).</summary>
    public string? UserConfigPath { get; init; }

    /// <summary>False ignores the user's agents file, so a run depends only on files next to the workflow (tests, CI).</summary>
    public bool UseUserConfig { get; init; } = true;

    /// <summary>The user's agents file by the XDG base directory rules, or null when no home is known.</summary>
    public static string? DefaultUserConfigPath()
    {
        var config = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config) || !Path.IsPathRooted(config))
        {
            var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            config = Path.Combine(home, ".config");
        }

        return Path.Combine(config, "flowline", "agents.yaml");
    }
}
