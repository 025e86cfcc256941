namespace Flowline.Cli.Tests.Dashboard;

/// <summary>The workflow files the dashboard tests serve.</summary>
internal static class DashboardWorkflows
{
    /// <summary>Declared variables; <c>report</c> reads <c>steps.build</c> without listing it (an implied edge).</summary>
    public const string Greeting = """
        name: greeting
        version: 1.0.0
        variables:
          who: { type: string, required: true, description: "Whom to greet" }
          times: { type: number, default: 1 }
        steps:
          - id: build
            name: build
            type: script
            config:
              command: sh
              args: ["-c", "echo 'hello {{ variables.who }} x{{ variables.times }}'; echo 'word=hi' >> \"$FLOWLINE_OUTPUT\""]
          - id: report
            name: report
            type: script
            config:
              command: echo
              args: ["built: {{ steps.build.output.word }}"]
        """;

    /// <summary>
    /// A small graph whose <c>wait</c> step waits on a gate file (so a test sees it running), then completes;
    /// <c>report</c> reads <c>steps.wait</c> without listing it (an implied edge).
    /// </summary>
    public static string Gated(string gate) => """
        name: gated
        version: 1.0.0
        variables:
          who: { type: string, required: true }
        steps:
          - id: prepare
            name: prepare
            type: script
            config: { command: echo, args: ["preparing"] }
          - id: lint
            name: lint
            type: script
            config: { command: echo, args: ["lint ok"] }
          - id: wait
            name: wait
            type: script
            dependsOn: [prepare]
            config:
              command: sh
              args: ["-c", "echo 'hello {{ variables.who }}'; while [ ! -e 'GATE' ]; do sleep 0.05; done; echo released; echo 'word=done' >> \"$FLOWLINE_OUTPUT\""]
          - id: report
            name: report
            type: script
            dependsOn: [lint]
            config: { command: echo, args: ["wait said {{ steps.wait.output.word }}"] }
        """.Replace("GATE", gate, StringComparison.Ordinal);

    /// <summary>A long step that writes its pid and the pid of a child it starts, then sleeps: cancel must end both.</summary>
    public static string Long(string pids) => """
        name: long
        version: 1.0.0
        steps:
          - id: sleep
            name: sleep
            type: script
            config:
              command: sh
              args: ["-c", "sleep 300 & echo $! > 'PIDS.child'; echo $$ > 'PIDS.tmp'; mv 'PIDS.tmp' 'PIDS'; wait"]
        """.Replace("PIDS", pids, StringComparison.Ordinal);

    public const string Failing = """
        name: failing
        version: 1.0.0
        steps:
          - id: ok
            name: ok
            type: script
            config: { command: "true" }
          - id: bad
            name: bad
            type: script
            dependsOn: [ok]
            config: { command: "false" }
        """;
}
