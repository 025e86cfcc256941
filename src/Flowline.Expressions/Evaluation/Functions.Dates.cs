using System.Globalization;
using System.Text;

namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    // The formatDate tokens, longest first so 'YYYY' wins over 'YY'; every other character is copied as it is, so a
    // format can never reach .NET's culture-dependent specifiers.
    private static readonly (string Token, string DotNet)[] DateTokens =
    [
        ("YYYY", "yyyy"), ("SSS", "fff"), ("YY", "yy"), ("MM", "MM"), ("DD", "dd"), ("HH", "HH"), ("mm", "mm"), ("ss", "ss"),
    ];

    private static readonly string[] IsoFormats =
    [
        "yyyy'-'MM'-'dd", "yyyy'-'MM'-'dd'T'HH':'mmK", "yyyy'-'MM'-'dd'T'HH':'mm':'ssK", "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFFK",
    ];

    /// <summary>Issue 19: date(), time(), timestamp(), formatDate, addDays, addHours: from the scope's TimeProvider, in UTC.</summary>
    private static FunctionDefinition[] Dates() =>
    [
        new("date", 0, 0, "date()", (scope, _) => ClockNow(scope).ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)),
        new("time", 0, 0, "time()", (scope, _) => ClockNow(scope).ToString("HH':'mm':'ss", CultureInfo.InvariantCulture)),
        new("timestamp", 0, 0, "timestamp()", (scope, _) => (double)scope.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
        new("formatDate", 2, 2, "formatDate(date, 'YYYY-MM-DD')", FormatDate),
        new("addDays", 2, 2, "addDays(date, days)", (_, a) => AddTime("addDays", a, TimeSpan.FromDays)),
        new("addHours", 2, 2, "addHours(date, hours)", (_, a) => AddTime("addHours", a, TimeSpan.FromHours)),
    ];

    private static DateTime ClockNow(IExpressionScope scope) => scope.TimeProvider.GetUtcNow().UtcDateTime;

    private static object? FormatDate(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var date = ReadDate("formatDate", a[0]);
        var format = Text("formatDate", a[1]);
        var sb = new StringBuilder(format.Length + 8);
        for (var i = 0; i < format.Length;)
        {
            var token = Array.Find(DateTokens, t => string.CompareOrdinal(format, i, t.Token, 0, t.Token.Length) == 0);
            if (token.Token is null)
            {
                sb.Append(format[i++]);
                continue;
            }

            sb.Append(date.ToString(token.DotNet, CultureInfo.InvariantCulture));
            i += token.Token.Length;
        }

        return sb.ToString();
    }

    private static object? AddTime(string function, IReadOnlyList<object?> a, Func<double, TimeSpan> span)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var date = ReadDate(function, a[0]);
        if (a[1] is not double amount || !double.IsFinite(amount))
        {
            throw new EvaluationException($"{function}() expects a number as its second argument but was given {Values.Describe(a[1])}; convert text with toNumber()");
        }

        try
        {
            return IsoText(date.Add(span(amount)));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new EvaluationException($"{function}() cannot move {IsoText(date)} by {ValueFormatter.FormatNumber(amount)}: the result is outside the years 1 to 9999");
        }
    }

    private static string IsoText(DateTime date) => date.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A date is ISO 8601 text (a date alone is midnight UTC; no offset means UTC) or Unix milliseconds.</summary>
    private static DateTime ReadDate(string function, object? value)
    {
        if (value is double ms)
        {
            // The range DateTimeOffset accepts: the years 1 to 9999.
            if (ms is >= -62135596800000 and <= 253402300799999)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(ms)).UtcDateTime;
            }

            throw new EvaluationException($"{function}() was given {ValueFormatter.FormatNumber(ms)}, which is not a date in Unix milliseconds between the years 1 and 9999");
        }

        if (value is not string text)
        {
            throw new EvaluationException($"{function}() expects a date (ISO 8601 text or Unix milliseconds) but was given {Values.Describe(value)}");
        }

        return DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw new EvaluationException($"{function}() cannot read '{text}' as a date: write it as ISO 8601, e.g. '2026-01-02' or '2026-01-02T03:04:05Z'");
    }
}
