using System.Globalization;
using System.Text.Json;
using Flowline.Expressions;
using Flowline.Loading;
using static Flowline.DiagnosticText;

namespace Flowline.Planning;

/// <summary>
/// Expands the steps with a <c>matrix:</c> into one step per combination (issue 13, docs/matrix.md): the cross product
/// in the order the axes are written (the first axis varies slowest), values in the order written, then the
/// <c>exclude</c> entries taken out, then the <c>include</c> entries appended. Each instance is the step with the id
/// <c>ID-V1-V2</c> (values made id-safe), the name <c>Name (v1, v2)</c> and a <see cref="MatrixInstance"/>;
/// <c>dependsOn</c> entries naming the matrix step name every instance. One pure function, shared by the planner and
/// by <c>flowline show</c>'s reading of a past run (RunHistory).
/// </summary>
internal sealed class MatrixExpansion
{
    // Each value's part of an instance id is cut to this many characters, so ids stay readable file names.
    private const int MaxSlug = 32;

    private readonly WorkflowDefinition _workflow;
    private readonly IReadOnlyDictionary<string, object?>? _variables;
    private readonly List<Diagnostic> _problems = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<DynamicMatrixValues> _given;
    private Dictionary<string, object?>? _variablesRead;
    private Dictionary<string, DynamicMatrix>? _dynamic;
    private Dictionary<string, List<IReadOnlyDictionary<string, object?>>>? _appended;

    private MatrixExpansion(WorkflowDefinition workflow, IReadOnlyDictionary<string, object?>? variables, IReadOnlyList<DynamicMatrixValues>? given)
    {
        _workflow = workflow;
        _variables = variables;
        _given = given ?? [];
    }

    /// <summary>The definition with its matrix steps expanded.</summary>
    public WorkflowDefinition Workflow { get; private set; } = null!;

    /// <summary>The instances' ids of each expanded matrix step, by the matrix step's id, in instance order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups => _groups;

    /// <summary>What keeps a matrix from expanding, as diagnostics at the matrix's line and column.</summary>
    public IReadOnlyList<Diagnostic> Problems => _problems;

    /// <summary>
    /// The matrix steps left as one step because an axis could not be expanded before the run (an axis that reads a
    /// variable without a value, or a value that is not a list): the step fails with this message when it would start.
    /// </summary>
    public IReadOnlyDictionary<string, string> Failures => _failures;

    /// <summary>
    /// The matrix steps whose axes read a step's output and have no values yet (issue 13): each stays one placeholder
    /// step, expanded by the run when it would start.
    /// </summary>
    public IReadOnlyDictionary<string, DynamicMatrix> Dynamic => _dynamic ?? EmptyMap<DynamicMatrix>.Instance;

    /// <summary>Whether an axis reads <c>variables</c>: a run with other values than these expands it again.</summary>
    public bool ReadsVariables { get; private set; }

    /// <summary>The variables an axis read, with the values it read; null when no axis reads any.</summary>
    public IReadOnlyDictionary<string, object?>? VariablesRead => _variablesRead;

    /// <summary>Whether any step of <paramref name="workflow"/> has a <c>matrix:</c>; the one check a workflow without one pays.</summary>
    public static bool Any(WorkflowDefinition workflow)
    {
        foreach (var step in workflow.Steps)
        {
            if (step.Matrix is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Expands <paramref name="workflow"/>'s matrix steps.</summary>
    /// <param name="workflow">The definition as written.</param>
    /// <param name="variables">The run's variables for axes that read <c>variables</c>; null for the declared defaults (validation).</param>
    /// <param name="given">
    /// The values a run gave the axes of dynamic matrices (those that read a step's output), in the order it expanded
    /// them: their instances are appended after every other step in that order, so that a step keeps its index.
    /// </param>
    public static MatrixExpansion Expand(WorkflowDefinition workflow, IReadOnlyDictionary<string, object?>? variables, IReadOnlyList<DynamicMatrixValues>? given = null)
    {
        var expansion = new MatrixExpansion(workflow, variables, given);
        expansion.Run();
        return expansion;
    }

    private void Run()
    {
        foreach (var step in _workflow.Steps)
        {
            if (step.Matrix is null)
            {
                _ids.Add(step.Id);
            }
        }

        var steps = new List<WorkflowStep>(_workflow.Steps.Count);
        foreach (var step in _workflow.Steps)
        {
            if (step.Matrix is not { } matrix)
            {
                steps.Add(step);
                continue;
            }

            var combinations = Combinations(step, matrix);
            if (combinations is null)
            {
                _ids.Add(step.Id);
                steps.Add(step);
                continue;
            }

            if (Given(step.Id) is not null)
            {
                // A dynamic matrix expanded by a run: the placeholder keeps its place (and its row); its instances come
                // after every other step, and get their ids last, so that no other step's id or index changes.
                _ids.Add(step.Id);
                steps.Add(step);
                (_appended ??= new Dictionary<string, List<IReadOnlyDictionary<string, object?>>>(StringComparer.Ordinal))[step.Id] = combinations;
                continue;
            }

            _groups[step.Id] = AddInstances(step, combinations, steps, dynamic: false);
        }

        foreach (var given in _given)
        {
            if (_appended is not null && _appended.TryGetValue(given.StepId, out var combinations))
            {
                var step = _workflow.Steps.First(s => string.Equals(s.Id, given.StepId, StringComparison.Ordinal));
                _groups[step.Id] = AddInstances(step, combinations, steps, dynamic: true);
            }
        }

        if (_groups.Count > 0)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                if (Fanned(steps[i]) is { } dependsOn)
                {
                    steps[i] = steps[i] with { DependsOn = dependsOn };
                }
            }
        }

        Workflow = _workflow with { Steps = steps };
    }

    /// <summary>The step's combinations in instance order; null when it cannot be expanded now.</summary>
    private List<IReadOnlyDictionary<string, object?>>? Combinations(WorkflowStep step, MatrixOptions matrix)
    {
        var pointer = Pointer(step, "/matrix");
        if (matrix.Axes.Count == 0 && matrix.Include.Count == 0)
        {
            Problem(DiagnosticCodes.EmptyMatrix, pointer, step,
                $"The matrix of {Owner(step, capital: false)} has no axes, so the step would never run; add one, such as 'os: [linux, mac]', or remove 'matrix:'.");
            return null;
        }

        var limit = matrix.Limit ?? MatrixOptions.DefaultLimit;
        var failed = false;
        foreach (var (field, value) in (ReadOnlySpan<(string, int?)>)[("limit", matrix.Limit), ("maxParallel", matrix.MaxParallel)])
        {
            if (value is < 1)
            {
                Problem(DiagnosticCodes.InvalidMatrixLimit, pointer + "/" + field, step,
                    $"'matrix.{field}' of {Owner(step, capital: false)} is {value}; it must be at least 1.");
                failed = true;
            }
        }

        var axes = new List<(string Name, IReadOnlyList<object?> Values)>(matrix.Axes.Count);
        var given = Given(step.Id);
        List<DynamicMatrix.Axis>? dynamicAxes = null;
        List<string>? producers = null;
        foreach (var axis in matrix.Axes)
        {
            var axisPointer = pointer + "/" + YamlPointer.Escape(axis.Name);
            if (axis.Values is { } written)
            {
                if (written.Count == 0)
                {
                    Problem(DiagnosticCodes.EmptyMatrix, axisPointer, step,
                        $"The matrix axis '{axis.Name}' of {Owner(step, capital: false)} has no values, so the step would never run; give at least one, or remove the axis.");
                    failed = true;
                    continue;
                }

                axes.Add((axis.Name, written));
                continue;
            }

            var source = AxisTemplate.Read(axis.Template!, out var expression, out var error);
            if (source == AxisSource.Steps)
            {
                // Issue 13: expanded by the run when the steps it reads have finished (they become dependencies).
                failed |= !Producers(step, axis, expression!, axisPointer, producers ??= []);
                (dynamicAxes ??= []).Add(new DynamicMatrix.Axis(axis.Name, axis.Template!, expression!));
            }

            if (given is not null && given.Axes.TryGetValue(axis.Name, out var values))
            {
                axes.Add((axis.Name, values));
                continue;
            }

            switch (source)
            {
                case AxisSource.Invalid:
                    Problem(DiagnosticCodes.InvalidMatrixAxisTemplate, axisPointer, step,
                        $"The matrix axis '{axis.Name}' of {Owner(step, capital: false)} is '{axis.Template}', {error}. Write one expression that yields a list, such as \"{{{{ variables.files }}}}\" or \"{{{{ steps.plan.output.shards }}}}\".");
                    failed = true;
                    continue;
                case AxisSource.Steps:
                    continue;
            }

            ReadsVariables = true;
            if (VariableValues(expression!) is not { } variableValues)
            {
                _failures[step.Id] = $"the matrix axis '{axis.Name}' reads a variable that has no value ({axis.Template})";
                failed = true;
                continue;
            }

            if (!AxisTemplate.TryEvaluate(expression!, new DictionaryScope(new Dictionary<string, object?>(StringComparer.Ordinal) { ["variables"] = variableValues }), out var list, out var failure))
            {
                Fail(step, axisPointer, $"the matrix axis '{axis.Name}' of {Owner(step, capital: false)} ({axis.Template}) {failure}");
                failed = true;
                continue;
            }

            axes.Add((axis.Name, list));
        }

        if (!failed && dynamicAxes is not null)
        {
            if (ExcludeNamesAxes(step, matrix, [.. matrix.Axes.Select(static a => a.Name)], pointer))
            {
                // Every template axis of a dynamic matrix is evaluated by the run, with the same scope.
                foreach (var axis in matrix.Axes)
                {
                    if (axis.Template is not null && !dynamicAxes.Exists(d => d.Name == axis.Name)
                        && AxisTemplate.Read(axis.Template, out var expression, out _) == AxisSource.Variables)
                    {
                        dynamicAxes.Add(new DynamicMatrix.Axis(axis.Name, axis.Template, expression!));
                    }
                }

                (_dynamic ??= new Dictionary<string, DynamicMatrix>(StringComparer.Ordinal))[step.Id] = new DynamicMatrix(step, producers!, dynamicAxes);
            }

            if (given is null)
            {
                return null;
            }
        }

        if (failed)
        {
            return null;
        }

        var combinations = Cross(step, matrix, axes, pointer);
        if (combinations is null)
        {
            return null;
        }

        if (combinations.Count > limit)
        {
            var message = $"the matrix of {Owner(step, capital: false)} has more than {limit} instances (its 'matrix.limit'{(matrix.Limit is null ? ", by default" : string.Empty)}); raise 'matrix.limit' or narrow the axes";
            if (given is not null)
            {
                var sizes = string.Join(", ", matrix.Axes.Where(a => a.Template is not null && given.Axes.ContainsKey(a.Name))
                    .Select(a => $"'{a.Name}' ({a.Template!.Trim()}) gave a list of {given.Axes[a.Name].Count.ToString(CultureInfo.InvariantCulture)} values"));
                _failures[step.Id] = $"the matrix of {Owner(step, capital: false)} would expand to more than {limit} instances (its 'matrix.limit'{(matrix.Limit is null ? ", by default" : string.Empty)}): its axis {sizes}; raise 'matrix.limit' (up to what the run can take) or make the upstream step give fewer values ({DiagnosticCodes.DynamicMatrixOverLimit})";
            }
            else if (matrix.Axes.All(static a => a.Values is not null))
            {
                Problem(DiagnosticCodes.InvalidMatrixLimit, pointer, step, char.ToUpperInvariant(message[0]) + message[1..] + ".");
            }
            else
            {
                Fail(step, pointer, message);
            }

            return null;
        }

        return combinations;
    }

    /// <summary>The cross product, without the excluded combinations, then the included ones.</summary>
    private List<IReadOnlyDictionary<string, object?>>? Cross(WorkflowStep step, MatrixOptions matrix, List<(string Name, IReadOnlyList<object?> Values)> axes, string pointer)
    {
        if (!ExcludeNamesAxes(step, matrix, [.. axes.Select(static a => a.Name)], pointer))
        {
            return null;
        }

        var result = new List<IReadOnlyDictionary<string, object?>>();

        // An axis read from a step's output may be an empty list (issue 13): no combination, only the include entries.
        if (axes.Count > 0 && axes.TrueForAll(static a => a.Values.Count > 0))
        {
            var positions = new int[axes.Count];
            while (true)
            {
                var combination = new Dictionary<string, object?>(axes.Count, StringComparer.Ordinal);
                for (var a = 0; a < axes.Count; a++)
                {
                    combination[axes[a].Name] = axes[a].Values[positions[a]];
                }

                if (!matrix.Exclude.Any(x => Matches(x, combination)))
                {
                    result.Add(combination);
                }

                // The last axis varies fastest, as nested loops in the order written.
                var next = axes.Count - 1;
                while (next >= 0 && ++positions[next] == axes[next].Values.Count)
                {
                    positions[next--] = 0;
                }

                if (next < 0 || result.Count > (matrix.Limit ?? MatrixOptions.DefaultLimit))
                {
                    break;
                }
            }
        }

        foreach (var include in matrix.Include)
        {
            if (!result.Any(existing => existing.Count == include.Count && Matches(include, existing)))
            {
                result.Add(include);
            }
        }

        return result;
    }

    private bool ExcludeNamesAxes(WorkflowStep step, MatrixOptions matrix, string[] names, string pointer)
    {
        for (var e = 0; e < matrix.Exclude.Count; e++)
        {
            foreach (var key in matrix.Exclude[e].Keys)
            {
                if (!names.Contains(key, StringComparer.Ordinal))
                {
                    Problem(DiagnosticCodes.UnknownMatrixAxis, $"{pointer}/exclude/{e.ToString(CultureInfo.InvariantCulture)}/{YamlPointer.Escape(key)}", step,
                        $"An 'exclude' entry of the matrix of {Owner(step, capital: false)} names '{key}', which is not one of its axes.{Suggestions.DidYouMean(key, names)} Axes: {Quote(names)}.");
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Adds the steps a dynamic axis reads to <paramref name="producers"/>; false (with a diagnostic) when one is unknown or the step itself.</summary>
    private bool Producers(WorkflowStep step, MatrixAxis axis, Expression expression, string pointer, List<string> producers)
    {
        var ok = true;
        foreach (var reference in expression.References)
        {
            if (reference.Root != "steps" || reference.Segments.Count == 0)
            {
                continue;
            }

            var id = reference.Segments[0];
            if (string.Equals(id, step.Id, StringComparison.Ordinal))
            {
                Problem(DiagnosticCodes.MatrixAxisReadsItself, pointer, step,
                    $"The matrix axis '{axis.Name}' of {Owner(step, capital: false)} reads the step's own result ({axis.Template}), which exists only after its instances run; read the step that produces the list instead.");
                ok = false;
            }
            else if (!_workflow.Steps.Any(s => string.Equals(s.Id, id, StringComparison.Ordinal)))
            {
                var ids = _workflow.Steps.Select(static s => s.Id).Where(static s => !string.IsNullOrEmpty(s)).ToArray();
                Problem(DiagnosticCodes.UnknownMatrixAxisStep, pointer, step,
                    $"The matrix axis '{axis.Name}' of {Owner(step, capital: false)} reads 'steps.{id}' ({axis.Template}), but the workflow has no step '{id}'.{Suggestions.DidYouMean(id, ids)} Read the output of a step of this workflow, such as \"{{{{ steps.plan.output.shards }}}}\".");
                ok = false;
            }
            else if (!producers.Contains(id, StringComparer.Ordinal))
            {
                producers.Add(id);
            }
        }

        return ok;
    }

    private static bool Matches(IReadOnlyDictionary<string, object?> entry, IReadOnlyDictionary<string, object?> combination)
    {
        foreach (var (key, value) in entry)
        {
            if (!combination.TryGetValue(key, out var actual) || !string.Equals(ValueFormatter.Render(actual), ValueFormatter.Render(value), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private WorkflowStep Instance(WorkflowStep step, IReadOnlyDictionary<string, object?> values, int index)
    {
        var rendered = values.Values.Select(static v => ValueFormatter.Render(v)).ToArray();
        var id = step.Id + string.Concat(rendered.Select(static r => "-" + Slug(r)));
        if (!_ids.Add(id))
        {
            var n = 2;
            while (!_ids.Add($"{id}-{n.ToString(CultureInfo.InvariantCulture)}"))
            {
                n++;
            }

            id = $"{id}-{n.ToString(CultureInfo.InvariantCulture)}";
        }

        return step with
        {
            Id = id,
            Name = $"{(string.IsNullOrEmpty(step.Name) ? step.Id : step.Name)} ({string.Join(", ", rendered)})",
            Matrix = null,
            Instance = new MatrixInstance { Of = step.Id, Index = index, Values = values },
        };
    }

    /// <summary>A value as part of a step id: letters, digits, '_' and '-' kept, anything else '_'.</summary>
    internal static string Slug(string value)
    {
        if (value.Length == 0)
        {
            return "_";
        }

        var length = Math.Min(value.Length, MaxSlug);
        return string.Create(length, value, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = text[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_';
            }
        });
    }

    private string[] AddInstances(WorkflowStep step, List<IReadOnlyDictionary<string, object?>> combinations, List<WorkflowStep> steps, bool dynamic)
    {
        var ids = new string[combinations.Count];
        for (var i = 0; i < combinations.Count; i++)
        {
            var instance = Instance(step, combinations[i], i);
            ids[i] = instance.Id;

            // An instance of a dynamic matrix waits for its placeholder, which settles when it expands.
            steps.Add(dynamic ? instance with { DependsOn = [.. step.DependsOn, step.Id] } : instance);
        }

        return ids;
    }

    private DynamicMatrixValues? Given(string stepId)
    {
        foreach (var given in _given)
        {
            if (string.Equals(given.StepId, stepId, StringComparison.Ordinal))
            {
                return given;
            }
        }

        return null;
    }

    private List<string>? Fanned(WorkflowStep step)
    {
        var dependsOn = step.DependsOn;
        List<string>? result = null;
        for (var i = 0; i < dependsOn.Count; i++)
        {
            if (dependsOn[i] != step.Instance?.Of && _groups.TryGetValue(dependsOn[i], out var instances))
            {
                result ??= [.. dependsOn.Take(i)];
                if (_appended is not null && _appended.ContainsKey(dependsOn[i]))
                {
                    // A dynamic matrix's placeholder stays a step: its dependents wait for it and for every instance.
                    result.Add(dependsOn[i]);
                }

                result.AddRange(instances);
            }
            else
            {
                result?.Add(dependsOn[i]);
            }
        }

        return result;
    }

    /// <summary>The variables an axis reads, from the run's values or the declared defaults; null when one has no value.</summary>
    private Dictionary<string, object?>? VariableValues(Expression expression)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var reference in expression.References)
        {
            if (reference.Segments.Count == 0)
            {
                return null;
            }

            var name = reference.Segments[0];
            object? value;
            if (_variables is not null)
            {
                if (!_variables.TryGetValue(name, out value))
                {
                    return null;
                }
            }
            else if (_workflow.Variables.TryGetValue(name, out var declared) && declared.Default is not null)
            {
                value = declared.Default;
            }
            else
            {
                return null;
            }

            values[name] = value;
            (_variablesRead ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
        }

        return values;
    }

    private void Fail(WorkflowStep step, string pointer, string message)
    {
        if (_variables is null)
        {
            // Validation reads the declared defaults: a default that is not a list is the file's mistake.
            Problem(DiagnosticCodes.MatrixAxisNotList, pointer, step, char.ToUpperInvariant(message[0]) + message[1..] + ".");
        }

        _failures[step.Id] = message;
    }

    private void Problem(string code, string pointer, WorkflowStep step, string message) =>
        _problems.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, _workflow.Source?.Locate(pointer), StepIdOf(step)));
}
