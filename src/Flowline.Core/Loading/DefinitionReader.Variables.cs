using Flowline.Expressions;

namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    private static readonly string[] VariableTypeNames = ["string", "number", "boolean", "list"];

    /// <summary>
    /// The workflow's <c>variables:</c> block (issue 13): each entry is either a default whose type follows the value
    /// (<c>branch: main</c>) or a mapping with type, default, description, required and enum.
    /// </summary>
    private OrderedDictionary<string, VariableDefinition>? Variables(YamlNode node)
    {
        if (Mapping(node, "'variables'", "a mapping of variable names to defaults or to { type, default, description, required, enum }") is not { } mapping)
        {
            return null;
        }

        var variables = new OrderedDictionary<string, VariableDefinition>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (FormatKeys.IsExtension(key.Value))
            {
                continue;
            }

            variables[key.Value] = value is YamlMapping full ? Variable(key.Value, full) : Shorthand(value);
        }

        return variables;
    }

    private VariableDefinition Shorthand(YamlNode value)
    {
        var plain = Plain(value, 0);
        return new VariableDefinition { Type = TypeOf(plain) ?? VariableType.String, Default = plain };
    }

    private VariableDefinition Variable(string name, YamlMapping mapping)
    {
        VariableType? type = null;
        object? defaultValue = null;
        string? description = null;
        bool? required = null;
        IReadOnlyList<object?>? allowed = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "type":
                    type = VariableTypeOf(name, value);
                    break;
                case "default":
                    defaultValue = Plain(value, 0);
                    break;
                case "description":
                    description = String(value, $"the 'description' of variable '{name}'");
                    break;
                case "required":
                    required = Boolean(value, $"'required' of variable '{name}'");
                    break;
                case "enum":
                    if (value is YamlSequence)
                    {
                        allowed = Plain(value, 0) as IReadOnlyList<object?>;
                    }
                    else
                    {
                        WrongType(value, $"'enum' of variable '{name}'", "a list of the allowed values, such as [staging, production]");
                    }

                    break;
                default:
                    UnknownKey(key, FormatKeys.Variable, $"in variable '{name}'");
                    break;
            }
        }

        return new VariableDefinition
        {
            Type = type ?? TypeOf(defaultValue) ?? (allowed is { Count: > 0 } ? TypeOf(allowed[0]) : null) ?? VariableType.String,
            Default = defaultValue,
            Description = description,
            Required = required ?? false,
            Enum = allowed,
        };
    }

    private VariableType? VariableTypeOf(string name, YamlNode node)
    {
        var text = String(node, $"the 'type' of variable '{name}'");
        switch (text)
        {
            case null:
                return null;
            case "string":
                return VariableType.String;
            case "number":
                return VariableType.Number;
            case "boolean":
                return VariableType.Boolean;
            case "list":
                return VariableType.List;
        }

        node.Rejected = true;
        diagnostics.Add(Error(
            DiagnosticCodes.UnknownVariableType,
            node,
            $"Variable '{name}' has type '{text}', which Flowline does not know.{Suggestions.DidYouMean(text, VariableTypeNames)} Types: {string.Join(", ", VariableTypeNames)}."));
        return null;
    }

    /// <summary>The type a shorthand default implies: null for no value (a string variable without a default).</summary>
    internal static VariableType? TypeOf(object? value) => value switch
    {
        bool => VariableType.Boolean,
        long or int or double => VariableType.Number,
        string => VariableType.String,
        IReadOnlyList<object?> => VariableType.List,
        _ => null,
    };
}
