namespace Flowline;

/// <summary>The type of a declared variable (issue 13, docs/variables.md).</summary>
public enum VariableType
{
    /// <summary>Text; a number or boolean given for it is kept as the text it was written as.</summary>
    String,

    /// <summary>A number, whole or decimal; text that reads as one (<c>--var replicas=3</c>) is converted.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A list of values (from a <c>--vars-file</c>, or a default), for example for a matrix axis.</summary>
    List,
}
