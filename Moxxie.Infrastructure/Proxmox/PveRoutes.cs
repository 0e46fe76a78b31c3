namespace Moxxie.Infrastructure.Proxmox;

/// <summary>One /api2/json method Moxxie's client calls: HTTP method + PVE's path template with PVE's placeholder names
/// ("nodes/{node}/qemu/{vmid}/config", relative to /api2/json).</summary>
internal sealed record PveRoute(string Method, string Template)
{
    private readonly string[] _segments = Template.Split('/');

    /// <summary>True when a relative request path (without query) fits this template; placeholders take one non-empty segment.</summary>
    public bool Matches(string method, string[] segments)
    {
        if (!string.Equals(method, Method, StringComparison.Ordinal) || segments.Length != _segments.Length) return false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (_segments[i].StartsWith('{')) { if (segments[i].Length == 0) return false; }
            else if (!string.Equals(_segments[i], segments[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    public override string ToString() => $"{Method} /{Template}";
}

/// <summary>
/// The catalogue of every PVE API method Moxxie's client may call. <see cref="ProxmoxClient"/> refuses to send a request
/// whose method and path fit none of these templates, so the catalogue is complete by construction: the contract suite
/// (Moxxie.Tests/Contract/RouteCoverageTests) checks each entry exists in PVE's schema with that method and is served by
/// the simulator, and that every entry is still used by some gateway method. Adding a gateway call means adding its line here.
/// </summary>
internal static class PveRoutes
{
    private static readonly string[] QemuPower = ["start", "stop", "shutdown", "reboot", "reset", "suspend", "resume"];
    private static readonly string[] LxcPower = ["start", "stop", "shutdown", "reboot", "suspend", "resume"];
    private static readonly string[] ServiceActions = ["start", "stop", "restart", "reload"];

    public static IReadOnlyList<PveRoute> All { get; } = Build();

    /// <summary>The catalogue entry a request fits (path relative to /api2/json, query ignored), or null.</summary>
    public static PveRoute? Find(string method, string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        var segments = (q < 0 ? path : path[..q]).Trim('/').Split('/');
        foreach (var r in All)
            if (r.Matches(method, segments)) return r;
        return null;
    }

    /// <summary>Throws when a request is not in the catalogue (a gateway call added without its line in <see cref="PveRoutes"/>).</summary>
    public static void Require(string method, string path)
    {
        if (Find(method, path) is null)
            throw new InvalidOperationException(
                $"'{method} {path}' is not in PveRoutes: add its template (PVE's placeholder names) to Moxxie.Infrastructure/Proxmox/PveRoutes.cs " +
                "so the contract suite checks it against PVE's schema and the simulator.");
    }

    private static List<PveRoute> Build()
    {
        var r = new List<PveRoute>();
        void Add(string template, params string[] methods)
        {
            foreach (var m in methods) r.Add(new PveRoute(m, template));
        }

        Add("access/ticket", "POST");
        Add("version", "GET");
        Add("cluster/status", "GET");
        Add("cluster/resources", "GET");
        Add("cluster/tasks", "GET");
        Add("cluster/nextid", "GET");
        Add("cluster/sdn/zones", "GET");
        Add("cluster/sdn/vnets", "GET");
        Add("cluster/sdn/vnets/{vnet}/subnets", "GET");
        Add("cluster/ha/resources", "GET");
        Add("cluster/ha/status/current", "GET");
        Add("cluster/backup", "GET", "POST");
        Add("cluster/backup/{id}", "GET", "PUT", "DELETE");
        Add("pools", "GET");
        Add("storage", "GET");
        Add("storage/{storage}", "GET", "PUT");

        Add("nodes", "GET");
        Add("nodes/{node}/status", "GET", "POST");
        Add("nodes/{node}/services", "GET");
        foreach (var a in ServiceActions) Add($"nodes/{{node}}/services/{{service}}/{a}", "POST");
        Add("nodes/{node}/network", "GET", "POST", "PUT", "DELETE");
        Add("nodes/{node}/network/{iface}", "PUT", "DELETE");
        Add("nodes/{node}/rrddata", "GET");
        Add("nodes/{node}/tasks", "GET");
        Add("nodes/{node}/tasks/{upid}", "DELETE");
        Add("nodes/{node}/tasks/{upid}/status", "GET");
        Add("nodes/{node}/tasks/{upid}/log", "GET");
        Add("nodes/{node}/storage", "GET");
        Add("nodes/{node}/storage/{storage}/status", "GET");
        Add("nodes/{node}/storage/{storage}/rrddata", "GET");
        Add("nodes/{node}/storage/{storage}/content", "GET");
        Add("nodes/{node}/storage/{storage}/content/{volume}", "GET", "PUT", "DELETE");
        Add("nodes/{node}/storage/{storage}/upload", "POST");
        Add("nodes/{node}/storage/{storage}/prunebackups", "GET", "DELETE");
        Add("nodes/{node}/vzdump", "POST");
        Add("nodes/{node}/vzdump/extractconfig", "GET");

        Add("nodes/{node}/qemu", "GET", "POST");
        Add("nodes/{node}/lxc", "GET");
        foreach (var (type, power) in new[] { ("qemu", QemuPower), ("lxc", LxcPower) })
        {
            var guest = $"nodes/{{node}}/{type}/{{vmid}}";
            Add(guest, "DELETE");
            Add($"{guest}/status/current", "GET");
            foreach (var a in power) Add($"{guest}/status/{a}", "POST");
            Add($"{guest}/config", type == "qemu" ? ["GET", "PUT", "POST"] : ["GET", "PUT"]);
            Add($"{guest}/pending", "GET");
            Add($"{guest}/rrddata", "GET");
            Add($"{guest}/snapshot", "GET", "POST");
            Add($"{guest}/snapshot/{{snapname}}", "DELETE");
            Add($"{guest}/snapshot/{{snapname}}/config", "GET", "PUT");
            Add($"{guest}/snapshot/{{snapname}}/rollback", "POST");
            Add($"{guest}/vncproxy", "POST");
            Add($"{guest}/vncwebsocket", "GET");
        }
        Add("nodes/{node}/qemu/{vmid}/clone", "POST");
        Add("nodes/{node}/qemu/{vmid}/resize", "PUT");
        Add("nodes/{node}/qemu/{vmid}/migrate", "GET", "POST");
        Add("nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", "GET");
        return r;
    }
}
