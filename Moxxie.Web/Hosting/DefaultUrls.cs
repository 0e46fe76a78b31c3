namespace Moxxie.Web.Hosting;

/// <summary>
/// The README's address, http://localhost:8080, when nothing names another: <c>ASPNETCORE_URLS</c>, <c>URLS</c>,
/// <c>--urls</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> or <c>Kestrel:Endpoints</c> all win over it. (A "Urls" in
/// appsettings.json would not do: appsettings.json is read after the ASPNETCORE_ variables, so it overrode ASPNETCORE_URLS.)
/// </summary>
public static class DefaultUrls
{
    public const string Value = "http://localhost:8080";

    /// <summary>The address to listen on when <paramref name="configuration"/> names none; null when it does.</summary>
    public static string? For(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var named = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        return named ? null : Value;
    }

    public static void Apply(WebApplicationBuilder builder)
    {
        if (For(builder.Configuration) is { } urls) builder.WebHost.UseUrls(urls);
    }
}
