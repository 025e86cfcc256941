using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary>File arguments shared by the commands.</summary>
internal static class FileArguments
{
    /// <summary>
    /// A mistyped option (<c>--strcit</c>) would otherwise be taken as a file name and reported as an unreadable file;
    /// make it a usage error instead.
    /// </summary>
    public static TArgument RejectingOptions<TArgument>(this TArgument argument)
        where TArgument : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        return argument;
    }
}
