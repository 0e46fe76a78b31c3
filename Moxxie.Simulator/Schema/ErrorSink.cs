namespace Moxxie.Simulator.Schema;

/// <summary>
/// Collected validation errors, path → message, like PVE::JSONSchema add_error: a second message for the same path is
/// appended after a literal backslash-n (pve-common joins with '\n' in single quotes). Allocates only on the first error.
/// </summary>
internal sealed class ErrorSink
{
    private Dictionary<string, string>? _errors;

    /// <summary>
    /// Response checks leave formats alone: real PVE answers break its own returns formats (GET /nodes/{node}/network
    /// sends netmask "24" where the schema says ipv4mask; recorded in fixtures/), and nothing verifies them in production.
    /// </summary>
    public bool SkipFormats { get; init; }

    public bool Any => _errors is { Count: > 0 };

    public IReadOnlyDictionary<string, string> Items => (IReadOnlyDictionary<string, string>?)_errors ?? Empty;

    public void Add(string path, string message)
    {
        if (path.Length == 0) path = "_root";
        _errors ??= new Dictionary<string, string>(StringComparer.Ordinal);
        _errors[path] = _errors.TryGetValue(path, out var existing) ? existing + "\\n" + message : message;
    }

    private static readonly Dictionary<string, string> Empty = [];
}
