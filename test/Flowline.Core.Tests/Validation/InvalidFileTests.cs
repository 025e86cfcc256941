using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Validation;

/// <summary>Every file in Data/invalid declares in its header the diagnostics it must produce (code, line, column, step, message text).</summary>
public sealed class InvalidFileTests
{
    public static TheoryData<string> Files() =>
        [.. Directory.EnumerateFiles(Repository.InvalidData, "*.yaml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Invalid_file_reports_exactly_the_diagnostics_its_header_expects(string name)
    {
        var path = Path.Combine(Repository.InvalidData, name);
        var expected = ExpectedDiagnostics.Read(path);
        Assert.NotEmpty(expected);

        var result = WorkflowValidator.ValidateFile(path);

        Assert.False(result.IsValid);
        Assert.Equal(expected.Select(e => e.Describe()), result.Diagnostics.Select(ExpectedDiagnostics.Describe));
        for (var i = 0; i < expected.Count; i++)
        {
            var diagnostic = result.Diagnostics[i];
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(path, diagnostic.Location!.File);
            if (expected[i].Text is { } text)
            {
                Assert.Contains(text, diagnostic.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_diagnostic_code_is_covered_by_a_data_file_or_a_named_test()
    {
        var covered = Directory.EnumerateFiles(Repository.InvalidData, "*.yaml")
            .SelectMany(ExpectedDiagnostics.Read)
            .Select(e => e.Code)
            .Concat([DiagnosticCodes.FileUnreadable, DiagnosticCodes.DuplicateDependency, DiagnosticCodes.ExecutorValidationFailed, DiagnosticCodes.TimeoutWithoutUnit,
                // Issue 12: these need a Slurm executor or a step that runs locally with a warning (SlurmValidationTests, SlurmYamlTests, ExecutorBackendTests).
                DiagnosticCodes.ExecutorNotRegistered, DiagnosticCodes.ExecutorNotForType, DiagnosticCodes.SlurmKeyWorkflowOnly, DiagnosticCodes.SlurmOptionsUnused,
                // Run-time checks of the values given for declared variables: DeclaredVariablesTests and RunVariablesTests.
                DiagnosticCodes.InvalidVariableValue, DiagnosticCodes.UnknownVariable, DiagnosticCodes.MissingRequiredVariable,
                DiagnosticCodes.InvalidSecretsFileLine, DiagnosticCodes.SecretsFileNotPrivate,
                // Issue 14: a warning that needs files on disk, and a check of the command line (CacheValidationTests).
                DiagnosticCodes.CacheSourceMatchesNothing, DiagnosticCodes.UnknownForcedStep,
                // Issue 14 §2: child workflows need several files (ChildWorkflowPlanningTests).
                DiagnosticCodes.InvalidWorkflowStepConfig, DiagnosticCodes.ChildWorkflowNotFound, DiagnosticCodes.ChildWorkflowCycle, DiagnosticCodes.UnknownChildVariable,
                DiagnosticCodes.MissingChildVariable, DiagnosticCodes.ChildWorkflowInvalid, DiagnosticCodes.InvalidWorkflowOutput, DiagnosticCodes.UnknownChildOutput])

            .ToHashSet(StringComparer.Ordinal);
        var all = typeof(DiagnosticCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!);

        Assert.DoesNotContain(all, code => !covered.Contains(code));
    }
}
