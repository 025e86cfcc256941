using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Flowline.Server;

/// <summary>
/// Who may use the dashboard (docs/dashboard.md "Security"). Without a token it listens on loopback only, and a request
/// must name a loopback host (so a page on another site that rebinds its DNS name to 127.0.0.1 is still refused). With
/// a token every request carries it: <c>Authorization: Bearer TOKEN</c> (scripts), or the cookie the page is given
/// when it is opened with <c>?token=TOKEN</c> once (a browser's EventSource cannot send headers).
/// </summary>
internal sealed class DashboardAccess(string? token)
{
    public const string CookieName = "flowline_token";
    private readonly byte[]? _token = token is null ? null : Digest(token);

    /// <summary>The reason <paramref name="host"/> may not be served with this token, or null when it may.</summary>
    public static string? Check(IPAddress host, string? token) =>
        IPAddress.IsLoopback(host) || token is { Length: > 0 }
            ? null
            : $"--host {host} would let anyone who can reach this machine start and cancel runs; set a token with --token or FLOWLINE_TOKEN "
              + "(then every request must carry it), or keep the default --host 127.0.0.1.";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_token is null)
        {
            if (!IsLoopbackHost(context.Request.Host.Host))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "this dashboard serves loopback names only (localhost, 127.0.0.1, [::1]); start it with --token to serve other names.").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        if (Matches(Bearer(context.Request)) || Matches(context.Request.Cookies[CookieName]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (Matches(context.Request.Query["token"].ToString()))
        {
            // Strict: the cookie never goes along with a request another site starts.
            context.Response.Cookies.Append(CookieName, context.Request.Query["token"].ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Refuse(context, StatusCodes.Status401Unauthorized, "this dashboard needs its token: send 'Authorization: Bearer TOKEN', or open the page once as /?token=TOKEN.").ConfigureAwait(false);
    }

    internal static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return DashboardJson.WriteAsync(context, DashboardJson.Errors(message));
    }

    private bool Matches(string? given) =>
        given is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Digest(given), _token);

    // Both sides hashed first: equal lengths, so the comparison's time says nothing about the token's length either.
    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
