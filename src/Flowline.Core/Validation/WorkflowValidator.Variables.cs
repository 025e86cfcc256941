using Flowline.Loading;
using Flowline.Variables;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>The workflow's <c>variables:</c> block (issue 13, docs/variables.md).</summary>
    private sealed partial class Run
    {
        private void Variables()
        {
            foreach (var (name, variable) in definition.Variables)
            {
                var pointer = "/variables/" + YamlPointer.Escape(name);
                if (!IsVariableName(name))
                {
                    Error(DiagnosticCodes.InvalidVariableName, pointer, null,
                        $"Variable name '{name}' cannot be read as variables.{name}; use letters, digits, '_' and '-', starting with a letter or '_'.");
                }

                var type = VariableValues.TypeName(variable.Type);
                foreach (var option in variable.Enum ?? [])
                {
                    if (!VariableValues.TryConvert(variable.Type, option, out _))
                    {
                        Error(DiagnosticCodes.InvalidVariableDefault, pointer + "/enum", null,
                            $"Variable '{name}' is a {type}, but its enum lists {VariableValues.Describe(option)}; list only {type} values, or change its type.");
                    }
                }

                if (variable.Default is not { } value)
                {
                    continue;
                }

                var at = _source?.Contains(pointer + "/default") == true ? pointer + "/default" : pointer;
                if (!VariableValues.TryConvert(variable.Type, value, out var typed))
                {
                    Error(DiagnosticCodes.InvalidVariableDefault, at, null,
                        $"Variable '{name}' is a {type}, but its default is {VariableValues.Describe(value)}; give a {type} default, or change its type.");
                }
                else if (!VariableValues.IsAllowed(variable, typed))
                {
                    Error(DiagnosticCodes.InvalidVariableDefault, at, null,
                        $"The default of variable '{name}', {VariableValues.Describe(typed)}, is not one of its allowed values: {VariableValues.Options(variable)}.");
                }
            }
        }

        private static bool IsVariableName(string name)
        {
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
