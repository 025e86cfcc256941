using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Flowline.Cli.Dashboard;
using Flowline.Server;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline serve [--port 8080] [--host 127.0.0.1] [--token T] [--root DIR]</c> (issue 17, docs/dashboard.md): the
/// web dashboard and its JSON API over the state folder's runs. Loopback only unless a token (<c>--token</c> or
/// <c>FLOWLINE_TOKEN</c>) protects it. Prints <c>dashboard at URL</c> on stdout once it listens (scripts and tests read
/// it, with the port the system chose for <c>--port 0</c>); runs until SIGINT/SIGTERM, then stops the runs it started.
/// </summary>
internal static class ServeCommand
{
    public const string TokenVariable = "FLOWLINE_TOKEN";

    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port")
        {
            Description = "The TCP port (default 8080; 0 lets the system choose and prints it).",
            DefaultValueFactory = _ => 8080,
            CustomParser = ParsePort,
        };
        var host = new Option<IPAddress>("--host")
        {
            Description = "The address to listen on (default 127.0.0.1); any other than loopback needs --token.",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = ParseHost,
        };
        var token = new Option<string?>("--token")
        {
            Description = $"A token every request must carry (Authorization: Bearer TOKEN, or open the page once as /?token=TOKEN); default {TokenVariable}.",
        };
        var root = new Option<string?>("--root")
        {
            Description = "The folder whose workflow files the start form lists and may run (default: the current folder).",
        };
        var command = new Command("serve", "Serve the web dashboard: runs, a live graph, logs, and start/cancel/resume.") { port, host, token, root };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parseResult.GetValue(root) ?? Directory.GetCurrentDirectory());
            if (!Directory.Exists(folder))
            {
                await console.Error.WriteLineAsync($"error: --root '{folder}' is not a folder; give the folder that holds your workflow files.");
                return ExitCodes.InvalidInput;
            }

            var secret = parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable);
            secret = string.IsNullOrEmpty(secret) ? null : secret;
            var address = parseResult.GetValue(host)!;
            if (DashboardAccess.Check(address, secret) is { } refusal)
            {
                await console.Error.WriteLineAsync($"error: {refusal}");
                return ExitCodes.InvalidInput;
            }

            await using var store = await state.OpenAsync(parseResult, readOnly: false, console, cancellationToken, startFolder: folder);
            if (store is null)
            {
                return ExitCodes.InvalidInput;
            }

            using var signals = new SignalCancellation(console.Error, cancellationToken);
            var options = new DashboardOptions { Host = address, Port = parseResult.GetValue(port), Token = secret, Root = folder, Store = store };
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(options, new DashboardRuns(store, console), signals.Token);
            }
            catch (IOException exception)
            {
                await console.Error.WriteLineAsync($"error: cannot listen on {address}:{options.Port}: {exception.Message}; choose another --port (0 picks a free one).");
                return ExitCodes.InvalidInput;
            }

            await using (server)
            {
                await console.Out.WriteLineAsync($"dashboard at {server.Address}");
                await console.Out.FlushAsync(CancellationToken.None);
                await server.WaitAsync(signals.Token);
            }

            return signals.ExitCode ?? ExitCodes.Success;
        });
        return command;
    }

    private static int ParsePort(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        result.AddError($"--port '{text}' is not a TCP port; give a number from 1 to 65535, or 0 to let the system choose.");
        return 0;
    }

    private static IPAddress ParseHost(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (text == "localhost")
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"--host '{text}' is not an IP address; give one such as 127.0.0.1 (the default), ::1 or 0.0.0.0 (all interfaces, needs --token).");
        return IPAddress.Loopback;
    }
}
