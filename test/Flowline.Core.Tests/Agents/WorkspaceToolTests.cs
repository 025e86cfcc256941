using Flowline.Agents.Tools;

namespace Flowline.Core.Tests.Agents;

public sealed class WorkspaceToolTests : IDisposable
{
    private readonly string _outside;
    private readonly string _root;
    private readonly List<string> _log = [];
    private readonly WorkspaceTools _tools;

    public WorkspaceToolTests()
    {
        _outside = Directory.CreateTempSubdirectory("flowline-tools-").FullName;
        _root = Path.Combine(_outside, "work");
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "app.cs"), "class App\n{\n    // TODO: remove the hack\n}\n");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "outside TODO secret");
        _tools = new WorkspaceTools(_root, _log.Add);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    [Fact]
    public void Read_file_reads_a_file_under_the_working_directory_and_logs_the_call()
    {
        Assert.Equal("class App\n{\n    // TODO: remove the hack\n}\n", _tools.ReadFile("src/app.cs"));
        Assert.Equal("tool read_file(\"src/app.cs\", offset 0) -> 43 of 43 bytes", Assert.Single(_log));
    }

    [Theory]
    [InlineData("../secret.txt", "outside the working directory")]
    [InlineData("src/../../secret.txt", "outside the working directory")]
    [InlineData("../../../../../../etc/passwd", "outside the working directory")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("~/.ssh/id_rsa", "absolute path")]
    public void Read_file_refuses_paths_that_leave_the_working_directory(string path, string reason)
    {
        var answer = _tools.ReadFile(path);

        Assert.StartsWith("error: ", answer, StringComparison.Ordinal);
        Assert.Contains(reason, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", answer.Replace(path, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("refused", Assert.Single(_log), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_file_refuses_a_symbolic_link_that_points_outside()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "innocent.txt"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "passwd"), "/etc/passwd");

        foreach (var path in new[] { "innocent.txt", "up/secret.txt", "passwd" })
        {
            var answer = _tools.ReadFile(path);
            Assert.Contains("leads outside the working directory through a symbolic link", answer, StringComparison.Ordinal);
        }

        Assert.Contains("through a symbolic link", _tools.ListDirectory("up"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_file_follows_a_symbolic_link_that_stays_inside()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.cs"), Path.Combine(_root, "src", "app.cs"));

        Assert.StartsWith("class App", _tools.ReadFile("alias.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_file_caps_what_it_returns_and_says_how_to_read_on()
    {
        File.WriteAllText(Path.Combine(_root, "big.txt"), new string('x', WorkspaceTools.MaxReadBytes + 10));

        var first = _tools.ReadFile("big.txt");
        var rest = _tools.ReadFile("big.txt", WorkspaceTools.MaxReadBytes);

        Assert.EndsWith($"[truncated: the file has {WorkspaceTools.MaxReadBytes + 10} bytes; call read_file with offset {WorkspaceTools.MaxReadBytes} for more]", first, StringComparison.Ordinal);
        Assert.Equal(new string('x', 10), rest);
    }

    [Fact]
    public void List_directory_lists_folders_and_files_with_sizes()
    {
        Assert.Equal("src/\n", _tools.ListDirectory("."));
        Assert.Equal("app.cs (43 bytes)\n", _tools.ListDirectory("src"));
        Assert.Contains("outside the working directory", _tools.ListDirectory(".."), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_files_finds_lines_under_the_working_directory_and_skips_links_that_lead_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), _outside);

        var answer = _tools.SearchFiles("todo");

        Assert.Equal("src/app.cs:3: // TODO: remove the hack\n", answer);
        Assert.Contains("outside the working directory", _tools.SearchFiles("todo", "../"), StringComparison.Ordinal);
    }
}
