namespace Moxxie.Simulator.Faults;

/// <summary>
/// "GET nodes/*/qemu": an optional HTTP method (or "*"), then a path relative to /api2/json where "*" matches one
/// segment and "**" any number of segments (also none). "nodes/proxmox-02/**" matches everything routed to that node.
/// </summary>
internal sealed class RoutePattern
{
    private readonly string[] _segments;

    private RoutePattern(string text, string? method, string[] segments)
    {
        Text = text;
        Method = method;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>Upper-case method, or null for any.</summary>
    public string? Method { get; }

    public static RoutePattern Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var text = pattern.Trim();
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? method = null;
        var path = text;
        if (parts.Length == 2)
        {
            method = parts[0] == "*" ? null : parts[0].ToUpperInvariant();
            if (method is not (null or "GET" or "POST" or "PUT" or "DELETE"))
                throw new ArgumentException($"pattern '{pattern}': method must be GET, POST, PUT, DELETE or *", nameof(pattern));
            path = parts[1];
        }
        path = path.Trim('/');
        if (path.StartsWith("api2/json", StringComparison.Ordinal)) path = path["api2/json".Length..].Trim('/');
        var segments = path.Length == 0 ? [] : path.Split('/');
        return new RoutePattern(text, method, segments);
    }

    public bool Matches(string method, IReadOnlyList<string> segments) =>
        (Method is null || Method == method) && Match(0, segments, 0);

    private bool Match(int p, IReadOnlyList<string> segments, int s)
    {
        while (true)
        {
            if (p == _segments.Length) return s == segments.Count;
            if (_segments[p] == "**")
            {
                for (var k = s; k <= segments.Count; k++)
                    if (Match(p + 1, segments, k)) return true;
                return false;
            }
            if (s == segments.Count) return false;
            if (_segments[p] != "*" && !string.Equals(_segments[p], segments[s], StringComparison.Ordinal)) return false;
            p++;
            s++;
        }
    }

    public override string ToString() => Text;
}
