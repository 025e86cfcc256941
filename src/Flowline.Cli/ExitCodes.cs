namespace Flowline.Cli;

/// <summary>The process exit codes of <c>flowline</c>, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkflowFailed = 1;
    public const int InvalidInput = 2;
    public const int HungUp = 129;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}
