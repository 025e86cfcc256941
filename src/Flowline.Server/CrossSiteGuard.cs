namespace Flowline.Server;

/// <summary>
/// The actions (every POST) refuse requests another site could make a browser send (docs/dashboard.md "Security"):
/// they need the <c>X-Flowline-Request</c> header, which a cross-site page cannot add without a CORS preflight that
/// this server never approves, and a JSON body; an <c>Origin</c>, when the browser sends one, must be this server's.
/// </summary>
internal static class CrossSiteGuard
{
    public const string HeaderName = "X-Flowline-Request";

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    public static string? Check(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        if (string.IsNullOrEmpty(request.Headers[HeaderName]))
        {
            return $"actions need the header '{HeaderName}: 1' (it keeps other sites from posting here); scripts add it, the page does.";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return $"the request comes from '{origin}', not from this dashboard ({request.Scheme}://{request.Host}); actions are taken only from the dashboard itself or from scripts.";
        }

        return null;
    }
}
