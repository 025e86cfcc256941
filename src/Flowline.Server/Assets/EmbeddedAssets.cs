using System.Collections.Frozen;

namespace Flowline.Server.Assets;

/// <summary>The page's files, embedded in the assembly under <c>wwwroot/</c> (the csproj names them so), served with long-lived caching off.</summary>
internal static class EmbeddedAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Writes <c>wwwroot/<paramref name="name"/></c>, or 404 when the assembly has no such file.</summary>
    public static async Task ServeAsync(HttpContext context, string name)
    {
        var stream = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null || name.Contains("..", StringComparison.Ordinal))
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"no file '{name}' in the dashboard.").ConfigureAwait(false);
            return;
        }

        await using (stream.ConfigureAwait(false))
        {
            context.Response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentLength = stream.Length;
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
