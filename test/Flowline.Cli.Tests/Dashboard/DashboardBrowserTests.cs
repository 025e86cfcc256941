using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Flowline.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (issue 17): Debian's headless Chromium, driven through chromedriver, against
/// <c>flowline serve</c> in a child process. Every wait is bounded (30 s) and polls the page's DOM, never a sleep.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task Start_from_the_form_watch_a_step_complete_read_its_log_and_cancel_a_long_run()
    {
        using var scratch = new TempDir();
        var gate = scratch.File("open");
        var pids = scratch.File("pids");
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["gated.yaml"] = DashboardWorkflows.Gated(gate),
            ["long.yaml"] = DashboardWorkflows.Long(pids),
        });
        using var browser = Open();

        // The runs page: start the gated workflow from the form, filling its declared variable.
        browser.Navigate().GoToUrl(server.Address);
        await UntilAsync(browser, () => browser.FindElements(By.CssSelector("#workflow-select option")).Count == 2);
        SelectFile(browser, "gated.yaml");
        var who = await UntilFoundAsync(browser, By.CssSelector("[data-var='who']"));
        who.SendKeys("browser");
        browser.FindElement(By.Id("start-button")).Click();

        // The run page: the step goes running, then (the gate opened) completed, with no reload in between.
        await UntilFoundAsync(browser, By.CssSelector(".lane[data-step='wait'][data-status='running']"));
        ((IJavaScriptExecutor)browser).ExecuteScript("window.__sameDocument = true;");
        File.WriteAllText(gate, "");
        await UntilFoundAsync(browser, By.CssSelector(".lane[data-step='wait'][data-status='completed']"));
        await UntilAsync(browser, () => browser.FindElement(By.Id("run-status")).Text == "completed");
        Assert.Equal(true, ((IJavaScriptExecutor)browser).ExecuteScript("return window.__sameDocument === true;"));

        // Its log, outputs and facts in the step panel.
        browser.FindElement(By.CssSelector(".lane[data-step='wait']")).Click();
        await UntilAsync(browser, () => browser.FindElement(By.Id("step-log")).Text.Contains("released", StringComparison.Ordinal));
        Assert.Contains("hello browser", browser.FindElement(By.Id("step-log")).Text, StringComparison.Ordinal);
        Assert.Contains("Exit code", browser.FindElement(By.Id("step-facts")).Text, StringComparison.Ordinal);
        SaveScreenshot(browser, "run-page.png");

        // A long run, cancelled from its page: the step's process tree is gone.
        browser.Navigate().GoToUrl(server.Address);
        await UntilAsync(browser, () => browser.FindElements(By.CssSelector("#workflow-select option")).Count == 2);
        SelectFile(browser, "long.yaml");
        browser.FindElement(By.Id("start-button")).Click();
        await UntilFoundAsync(browser, By.CssSelector(".lane[data-step='sleep'][data-status='running']"));
        await Processes.WaitForFileAsync(pids, server.Cli);
        var shell = Processes.ReadPid(pids);
        var child = Processes.ReadPid(pids + ".child");
        (await UntilFoundAsync(browser, By.Id("cancel-button"))).Click();
        await UntilAsync(browser, () => browser.FindElement(By.Id("run-status")).Text == "cancelled");
        Assert.True(await Processes.WaitUntilGoneAsync(shell), $"the step's shell {shell} outlived the cancel");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"the step's child {child} outlived the cancel");
        Assert.True(browser.FindElement(By.Id("resume-button")).Displayed, "a cancelled run offers resume");

        // Back on the runs page, both runs are listed.
        browser.Navigate().GoToUrl(server.Address);
        await UntilAsync(browser, () => browser.FindElements(By.CssSelector("#runs-table tbody tr")).Count == 2);
        Assert.Equal(["cancelled", "completed"], browser.FindElements(By.CssSelector("#runs-table tbody tr")).Select(r => r.GetAttribute("data-status")));
        Assert.All(browser.FindElements(By.CssSelector("#runs-table tbody td.started-by")), cell => Assert.Equal($"dashboard ({Environment.UserName})", cell.Text));
    }

    /// <summary>
    /// A 1,000-step run's page (issue 17; docs/performance.md "Dashboard"): the graph holds every step and edge. The
    /// time Cytoscape took to lay it out and draw it is written to the test output, not asserted (no timed assertions).
    /// </summary>
    [ChromiumFact]
    public async Task A_thousand_step_run_renders_its_whole_graph()
    {
        var steps = string.Join("\n", Enumerable.Range(0, 1000).Select(i =>
            $"  - {{ id: s{i}, name: s{i}, type: script, config: {{ command: \"true\" }}{(i >= 10 ? $", dependsOn: [s{i - 10}]" : "")} }}"));
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["big.yaml"] = $"name: big\nversion: 1.0.0\nsteps:\n{steps}\n" });
        using var run = FlowlineProcess.StartIn(server.Dir.Path, "run", "big.yaml", "--quiet", "--state-dir", server.StateDir);
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        var runId = (string)(await server.GetJsonAsync("/api/runs"))["runs"]![0]!["runId"]!;

        using var browser = Open();
        browser.Navigate().GoToUrl(new Uri(server.Address, $"/runs/{runId}"));
        await UntilAsync(browser, () => ((IJavaScriptExecutor)browser).ExecuteScript("return window.flowlineGraphRenderMs !== undefined;") is true);
        var js = (IJavaScriptExecutor)browser;
        Assert.Equal(1000L, js.ExecuteScript("return window.flowlineGraph.nodes().length;"));
        Assert.Equal(990L, js.ExecuteScript("return window.flowlineGraph.edges().length;"));
        var render = Convert.ToDouble(js.ExecuteScript("return window.flowlineGraphRenderMs;"), System.Globalization.CultureInfo.InvariantCulture);
        SaveScreenshot(browser, "graph-1000-steps.png");
        await UntilAsync(browser, () => js.ExecuteScript("return window.flowlineGraphTimings !== undefined;") is true);
        var drawn = Convert.ToDouble(js.ExecuteScript("return window.flowlineGraphDrawnMs;"), System.Globalization.CultureInfo.InvariantCulture);
        var timings = js.ExecuteScript("return JSON.stringify(window.flowlineGraphTimings);") as string ?? "";
        Assert.Contains("\"layoutMs\":", timings, StringComparison.Ordinal);

        // Appended, so several runs of the test collect the spread docs/performance.md reports; a machine note with each.
        File.AppendAllText(
            Path.Combine(ScreenshotFolder(), "graph-1000-steps.txt"),
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"elements, style and layout: {render:F0} ms; first frame drawn: {drawn:F0} ms; marks {timings}; {Environment.ProcessorCount} cores, load {LoadAverage()}\n"));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static ChromeDriver Open()
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static void SelectFile(IWebDriver browser, string file) =>
        ((IJavaScriptExecutor)browser).ExecuteScript(
            "const s = document.getElementById('workflow-select'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", file);

    private static async Task<IWebElement> UntilFoundAsync(IWebDriver browser, By by)
    {
        IWebElement? found = null;
        await UntilAsync(browser, () => (found = browser.FindElements(by).FirstOrDefault(e => e.Displayed || e.TagName == "input")) is not null, by.ToString());
        return found!;
    }

    private static async Task UntilAsync(IWebDriver browser, Func<bool> condition, string? what = null)
    {
        var deadline = Environment.TickCount64 + (long)Bound.TotalMilliseconds;
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException)
            {
                // The element went away while the page re-rendered it; look again.
            }

            if (Environment.TickCount64 > deadline)
            {
                var shot = SaveScreenshot(browser, "failure.png");
                Assert.Fail($"the page never got there{(what is null ? "" : $" ({what})")} within {Bound.TotalSeconds} s; screenshot {shot}; page:\n{browser.FindElement(By.TagName("body")).Text}");
            }

            await Task.Delay(100);
        }
    }

    private static string ScreenshotFolder() =>
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "TestResults", "dashboard")).FullName;

    /// <summary>Keeps a screenshot under TestResults/dashboard/ (the README's image comes from here).</summary>
    private static string SaveScreenshot(IWebDriver browser, string name)
    {
        var path = Path.Combine(ScreenshotFolder(), name);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(path);
        return path;
    }
}
