namespace Flowline.Core.Tests.State;

/// <summary>Workflow files the state tests load, so runs carry a real path and content hash.</summary>
internal static class Workflows
{
    public const string Chain = """
        name: build
        version: 1.2.0
        steps:
          - id: compile
            name: compile
            type: script
            config: { command: "true" }
          - id: test
            name: test
            type: script
            config: { command: "true" }
            dependsOn: [compile]
          - id: deploy
            name: deploy
            type: script
            config: { command: "true" }
            dependsOn: [test]

        """;
}
