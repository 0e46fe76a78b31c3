namespace Moxxie.Web.Identity;

public static class LocalUrl
{
    /// <summary>Only app-relative paths ("/vms?x=1"); never "//host", "/\host" or absolute URLs (open redirects).</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains('\r') && !url.Contains('\n');

    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";
}
