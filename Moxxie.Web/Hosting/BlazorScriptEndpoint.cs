using System.Security.Cryptography;

namespace Moxxie.Web.Hosting;

/// <summary>
/// Serves <c>/_framework/blazor.web.js</c> from the copy embedded at build time (see Build/BlazorWebJs.targets):
/// the .NET 10 assets package that normally carries it is not served by this machine's registry.
/// </summary>
public static class BlazorScriptEndpoint
{
    private const string ResourceName = "Moxxie.Web.blazor.web.js";

    private static readonly Lazy<(byte[] Body, string ETag)> Script = new(() =>
    {
        using var stream = typeof(BlazorScriptEndpoint).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing; the build did not extract blazor.web.js.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var body = buffer.ToArray();
        return (body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
    });

    public static IEndpointRouteBuilder MapBlazorScript(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/_framework/blazor.web.js", (HttpContext context) =>
        {
            var (body, etag) = Script.Value;
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch == etag)
                return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(body, "text/javascript");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
