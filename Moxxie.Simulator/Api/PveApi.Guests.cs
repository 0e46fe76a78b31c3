using System.Globalization;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>Guest lifecycle methods: create, clone, config, delete, resize, snapshots, migrate, console tickets, HA.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> GuestRoutes() =>
    [
        new("GET", "cluster/nextid", r => NextId(r)),
        new("POST", "nodes/{node}/qemu", CreateQemu),
        new("GET", "nodes/{node}/qemu/{vmid}", r => Index(Guest(r, "qemu"),
            "config", "pending", "status", "snapshot", "migrate", "clone", "template", "resize", "vncproxy", "vncwebsocket", "agent")),
        new("DELETE", "nodes/{node}/qemu/{vmid}", r => Destroy(r, "qemu")),
        new("DELETE", "nodes/{node}/lxc/{vmid}", r => Destroy(r, "lxc")),

        .. ConfigRoutes("qemu"),
        .. ConfigRoutes("lxc"),
        .. SnapshotRoutes("qemu"),
        .. SnapshotRoutes("lxc"),

        new("POST", "nodes/{node}/qemu/{vmid}/clone", r => Upid(cluster.Clone(NodeOf(r), Guest(r, "qemu"), r.Params, r.Identity.TaskUser))),
        new("POST", "nodes/{node}/qemu/{vmid}/template", r => Upid(cluster.Template(NodeOf(r), Guest(r, "qemu"), r.Identity.TaskUser))),
        // pve-container forks the vztemplate worker but answers undef (returns type null in the schema).
        new("POST", "nodes/{node}/lxc/{vmid}/template", r =>
        {
            cluster.Template(NodeOf(r), Guest(r, "lxc"), r.Identity.TaskUser);
            return new ApiResponse(null);
        }),
        new("PUT", "nodes/{node}/qemu/{vmid}/resize", r => Upid(cluster.Resize(NodeOf(r), Guest(r, "qemu"), r.Params, r.Identity.TaskUser, Skiplock(r)))),
        new("PUT", "nodes/{node}/lxc/{vmid}/resize", r => Upid(cluster.Resize(NodeOf(r), Guest(r, "lxc"), r.Params, r.Identity.TaskUser, false))),

        new("GET", "nodes/{node}/qemu/{vmid}/migrate", r => MigratePrecondition(r)),
        new("POST", "nodes/{node}/qemu/{vmid}/migrate", r => Upid(cluster.Migrate(NodeOf(r), Guest(r, "qemu"), r.Params, r.Identity.TaskUser))),
        new("POST", "nodes/{node}/lxc/{vmid}/migrate", r => Upid(cluster.Migrate(NodeOf(r), Guest(r, "lxc"), r.Params, r.Identity.TaskUser))),

        new("POST", "nodes/{node}/qemu/{vmid}/vncproxy", r => VncProxy(r, "qemu")),
        new("POST", "nodes/{node}/lxc/{vmid}/vncproxy", r => VncProxy(r, "lxc")),
        new("GET", "nodes/{node}/qemu/{vmid}/vncwebsocket", r => VncWebSocket(r, "qemu")),
        new("GET", "nodes/{node}/lxc/{vmid}/vncwebsocket", r => VncWebSocket(r, "lxc")),

        new("GET", "nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", r => AgentNetwork(r)),

        new("GET", "cluster/ha/resources", r => HaResources(r.Get("type"))),
        new("POST", "cluster/ha/resources", CreateHaResource),
        new("GET", "cluster/ha/resources/{sid}", r => HaResource(Ha(r))),
        new("PUT", "cluster/ha/resources/{sid}", UpdateHaResource),
        new("DELETE", "cluster/ha/resources/{sid}", r => { cluster.RemoveHa(Ha(r).Sid); return new ApiResponse(null); }),
        new("GET", "cluster/ha/status/current", _ => HaStatusCurrent()),
    ];

    private IEnumerable<ApiRoute> ConfigRoutes(string type) =>
    [
        new("GET", $"nodes/{{node}}/{type}/{{vmid}}/config", r => GuestConfig(r, type)),
        new("PUT", $"nodes/{{node}}/{type}/{{vmid}}/config", r =>
        {
            var g = Guest(r, type);
            cluster.UpdateConfig(g, r.Params, Skiplock(r));
            return new ApiResponse(null);
        }),
        .. type == "qemu"
            ? [new ApiRoute("POST", "nodes/{node}/qemu/{vmid}/config", r => Upid(cluster.ConfigTask(NodeOf(r), Guest(r, "qemu"), r.Params, r.Identity.TaskUser, Skiplock(r))))]
            : Array.Empty<ApiRoute>(),
        new("GET", $"nodes/{{node}}/{type}/{{vmid}}/pending", r => Pending(Guest(r, type))),
    ];

    private IEnumerable<ApiRoute> SnapshotRoutes(string type) =>
    [
        new("GET", $"nodes/{{node}}/{type}/{{vmid}}/snapshot", r => SnapshotList(Guest(r, type))),
        new("POST", $"nodes/{{node}}/{type}/{{vmid}}/snapshot", r => Upid(cluster.CreateSnapshot(NodeOf(r), Guest(r, type), r.Params, r.Identity.TaskUser))),
        new("GET", $"nodes/{{node}}/{type}/{{vmid}}/snapshot/{{snapname}}", r =>
        {
            Snapshot(Guest(r, type), r["snapname"]);
            return new JsonArray(new JsonObject { ["cmd"] = "rollback" }, new JsonObject { ["cmd"] = "config" });
        }),
        new("DELETE", $"nodes/{{node}}/{type}/{{vmid}}/snapshot/{{snapname}}", r =>
            Upid(cluster.DeleteSnapshot(NodeOf(r), Guest(r, type), r["snapname"], r.Bool("force"), r.Identity.TaskUser))),
        new("POST", $"nodes/{{node}}/{type}/{{vmid}}/snapshot/{{snapname}}/rollback", r =>
            Upid(cluster.Rollback(NodeOf(r), Guest(r, type), r["snapname"], r.Bool("start"), r.Identity.TaskUser))),
        new("GET", $"nodes/{{node}}/{type}/{{vmid}}/snapshot/{{snapname}}/config", r =>
        {
            var g = Guest(r, type);
            var s = Snapshot(g, r["snapname"]);
            return SnapshotConfig(g, s);
        }),
        new("PUT", $"nodes/{{node}}/{type}/{{vmid}}/snapshot/{{snapname}}/config", r =>
        {
            var s = Snapshot(Guest(r, type), r["snapname"]);
            if (r.Get("description") is { } d) s.Description = d;
            return new ApiResponse(null);
        }),
    ];

    // ---- helpers -----------------------------------------------------------------------------------------

    private SimNode NodeOf(ApiRequest r) => cluster.FindNode(r.Node)!;

    private SimGuest Guest(ApiRequest r, string type)
    {
        if (!int.TryParse(r.Get("vmid"), NumberStyles.None, CultureInfo.InvariantCulture, out var vmid))
            throw PveError.Param("vmid", $"type check ('integer') failed - got '{r.Get("vmid")}'");
        if (vmid < 100) throw PveError.Param("vmid", "value must have a minimum value of 100");
        if (vmid > 999_999_999) throw PveError.Param("vmid", "value must have a maximum value of 999999999");
        return RequireGuest(r.Node, vmid, type);
    }

    private static JsonValue Upid(SimTask t) => JsonValue.Create(t.Upid);

    /// <summary>skiplock: "Ignore locks - only root is allowed to use this option." (an API token of root is not root@pam).</summary>
    private static bool Skiplock(ApiRequest r)
    {
        if (!r.Bool("skiplock")) return false;
        if (r.Identity.TaskUser != "root@pam") throw PveError.Param("skiplock", "Only root may use this option.");
        return true;
    }

    private static JsonArray Index(SimGuest _, params string[] subdirs)
    {
        var list = new JsonArray();
        foreach (var s in subdirs) list.Add(new JsonObject { ["subdir"] = s });
        return list;
    }

    private static JsonNode? Typed(SimGuest g, string key, string value) => SimulatedCluster.TypedValue(g, key, value) switch
    {
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        var s => JsonValue.Create((string)s),
    };

    private JsonValue NextId(ApiRequest r)
    {
        if (r.Get("vmid") is { } wanted)
        {
            if (int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && cluster.GuestMap.ContainsKey(id))
                throw PveError.Param("vmid", $"VM {id} already exists");
            return JsonValue.Create(wanted);
        }
        return JsonValue.Create(cluster.NextFreeVmid().ToString(CultureInfo.InvariantCulture));
    }

    // ---- create / destroy --------------------------------------------------------------------------------

    private ApiResponse CreateQemu(ApiRequest r)
    {
        if (r.Params.ContainsKey("archive")) return RestoreQemu(r);
        return Upid(cluster.CreateQemu(NodeOf(r), r.Params, r.Identity.TaskUser));
    }

    private ApiResponse Destroy(ApiRequest r, string type) =>
        Upid(cluster.Destroy(NodeOf(r), Guest(r, type), r.Params, r.Identity.TaskUser, type == "qemu" ? Skiplock(r) : r.Bool("force")));

    // ---- config ------------------------------------------------------------------------------------------

    private JsonObject GuestConfig(ApiRequest r, string type)
    {
        var g = Guest(r, type);
        var o = new JsonObject();
        if (r.Get("snapshot") is { } snapname)
        {
            var s = g.Snapshots.FirstOrDefault(x => x.Name == snapname) ?? throw PveError.Server($"snapshot '{snapname}' does not exist");
            o = SnapshotConfig(g, s);
            o["digest"] = cluster.DigestOf(g);
            return o;
        }
        foreach (var (k, v) in cluster.EffectiveConfig(g, r.Bool("current"))) o[k] = Typed(g, k, v);
        o["digest"] = cluster.DigestOf(g);
        return o;
    }

    private JsonArray Pending(SimGuest g)
    {
        var list = new JsonArray();
        foreach (var (key, value, pending, delete) in cluster.PendingEntries(g))
        {
            var o = new JsonObject { ["key"] = key };
            if (value is not null) o["value"] = value;
            if (pending is not null) o["pending"] = pending;
            if (delete is { } d) o["delete"] = d;
            list.Add(o);
        }
        return list;
    }

    // ---- snapshots ---------------------------------------------------------------------------------------

    private static SimSnapshot Snapshot(SimGuest g, string name) =>
        g.Snapshots.FirstOrDefault(s => s.Name == name) ?? throw PveError.Server($"snapshot '{name}' does not exist");

    private JsonArray SnapshotList(SimGuest g)
    {
        var list = new JsonArray();
        foreach (var s in g.Snapshots)
        {
            var o = new JsonObject
            {
                ["name"] = s.Name, ["snaptime"] = s.SnapTime, ["description"] = s.Description,
            };
            if (g.IsQemu) o["vmstate"] = s.VmState ? 1 : 0;
            if (s.Parent is { } p) o["parent"] = p;
            if (s.SnapState is { } st) o["snapstate"] = st;
            list.Add(o);
        }
        var current = new JsonObject
        {
            ["name"] = "current", ["description"] = "You are here!", ["digest"] = cluster.DigestOf(g),
        };
        if (g.IsQemu) current["running"] = g.IsRunning ? 1 : 0;
        if (g.Parent is { } parent) current["parent"] = parent;
        list.Add(current);
        return list;
    }

    private static JsonObject SnapshotConfig(SimGuest g, SimSnapshot s)
    {
        var o = new JsonObject();
        foreach (var (k, v) in s.Config) o[k] = Typed(g, k, v);
        if (s.Description.Length > 0) o["description"] = s.Description;
        if (s.Parent is { } p) o["parent"] = p;
        if (s.SnapState is { } st) o["snapstate"] = st;
        o["snaptime"] = s.SnapTime;
        return o;
    }

    // ---- migrate -----------------------------------------------------------------------------------------

    /// <summary>GET …/migrate: migrate_vm_precondition (running, local disks/resources, allowed and not allowed nodes).</summary>
    private JsonObject MigratePrecondition(ApiRequest r)
    {
        var g = Guest(r, "qemu");
        var localDisks = new JsonArray();
        foreach (var d in cluster.LocalDisks(g).Where(d => d.Volid != "none"))
        {
            // qemu-server foreach_volid sets cdrom and is_unused to 0 or 1 on every volume (the returns schema requires both).
            localDisks.Add(new JsonObject
            {
                ["volid"] = d.Volid, ["size"] = d.Size, ["drivename"] = d.Key, ["cdrom"] = d.Cdrom ? 1 : 0, ["is_unused"] = d.Unused ? 1 : 0,
            });
        }
        var config = cluster.ConfigOf(g);
        var localResources = new JsonArray();
        foreach (var key in config.Keys.Where(k => k.StartsWith("hostpci", StringComparison.Ordinal) || k.StartsWith("usb", StringComparison.Ordinal)
                     || k.StartsWith("serial", StringComparison.Ordinal) || k.StartsWith("parallel", StringComparison.Ordinal)))
            localResources.Add(key);

        var allowed = new JsonArray();
        var notAllowed = new JsonObject();
        var target = r.Get("target");
        foreach (var n in cluster.Nodes.Where(n => n.Name != g.Node && (target is null || n.Name == target)))
        {
            var missing = cluster.UnavailableStorages(g, n.Name);
            if (missing.Count == 0) allowed.Add(n.Name);
            else notAllowed[n.Name] = new JsonObject { ["unavailable_storages"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]) };
        }
        return new JsonObject
        {
            ["running"] = g.IsRunning ? 1 : 0,
            ["allowed_nodes"] = allowed,
            ["not_allowed_nodes"] = notAllowed,
            ["local_disks"] = localDisks,
            ["local_resources"] = localResources,
            ["mapped-resources"] = new JsonArray(),
            ["mapped-resource-info"] = new JsonObject(),
            ["has-dbus-vmstate"] = 1,
        };
    }

    // ---- console -----------------------------------------------------------------------------------------

    private JsonObject VncProxy(ApiRequest r, string type)
    {
        var g = Guest(r, type);
        var (port, ticket, password, task) = cluster.VncProxy(NodeOf(r), g, r.Identity.TaskUser, type == "qemu" && r.Bool("generate-password"));
        var o = new JsonObject
        {
            ["port"] = port, ["ticket"] = ticket, ["cert"] = ClusterCaPem(), ["user"] = r.Identity.TaskUser, ["upid"] = task.Upid,
        };
        if (password is not null) o["password"] = password;
        return o;
    }

    private JsonObject VncWebSocket(ApiRequest r, string type)
    {
        var g = Guest(r, type);
        var port = r.Get("port") ?? throw PveError.Param("port", "property is missing and it is not optional");
        var ticket = r.Get("vncticket") ?? throw PveError.Param("vncticket", "property is missing and it is not optional");
        if (!cluster.VerifyVncTicket(ticket, r.Identity.TaskUser, g.Vmid, port))
            throw new PveError(401, "permission denied - invalid PVEVNC ticket");
        return new JsonObject { ["port"] = port };
    }

    private string? _caPem;

    /// <summary>A PEM block standing in for /etc/pve/pve-root-ca.pem (stable per seed).</summary>
    private string ClusterCaPem()
    {
        if (_caPem is not null) return _caPem;
        var rng = new Random(cluster.Seed * 31 + 7);
        var bytes = new byte[1400];
        rng.NextBytes(bytes);
        var b64 = Convert.ToBase64String(bytes);
        var lines = Enumerable.Range(0, (b64.Length + 63) / 64).Select(i => b64.Substring(i * 64, Math.Min(64, b64.Length - i * 64)));
        return _caPem = "-----BEGIN CERTIFICATE-----\n" + string.Join('\n', lines) + "\n-----END CERTIFICATE-----\n";
    }

    // ---- guest agent -------------------------------------------------------------------------------------

    private JsonObject AgentNetwork(ApiRequest r)
    {
        var g = Guest(r, "qemu");
        if (!g.IsRunning) throw PveError.Server($"VM {g.Vmid} is not running");
        var agent = cluster.ConfigOf(g).GetValueOrDefault("agent");
        if (agent is null || agent.Split(',')[0] is not ("1" or "enabled=1")) throw PveError.Server("No QEMU guest agent configured");
        if (!g.AgentRunning || g.Paused) throw PveError.Server("QEMU guest agent is not running");
        var m = cluster.Metrics(g);
        var windows = g.OsType.StartsWith("win", StringComparison.Ordinal);
        var mac = g.MacAddress.ToLowerInvariant();
        var macParts = mac.Split(':');
        var ipv4 = $"192.168.{10 + g.Vmid / 250 % 200}.{g.Vmid % 250 + 2}";
        var linkLocal = $"fe80::{Convert.ToInt32(macParts[0], 16) ^ 2:x2}{macParts[1]}:{macParts[2]}ff:fe{macParts[3]}:{macParts[4]}{macParts[5]}";
        static JsonObject Addr(string type, string ip, int prefix) =>
            new() { ["ip-address-type"] = type, ["ip-address"] = ip, ["prefix"] = prefix };
        var lo = new JsonObject
        {
            ["name"] = windows ? "Loopback Pseudo-Interface 1" : "lo",
            ["hardware-address"] = "00:00:00:00:00:00",
            ["ip-addresses"] = new JsonArray(Addr("ipv4", "127.0.0.1", 8), Addr("ipv6", "::1", 128)),
            ["statistics"] = new JsonObject
            {
                ["rx-bytes"] = 12_000 + m.Uptime * 30, ["rx-packets"] = 160 + m.Uptime / 2, ["rx-errs"] = 0, ["rx-dropped"] = 0,
                ["tx-bytes"] = 12_000 + m.Uptime * 30, ["tx-packets"] = 160 + m.Uptime / 2, ["tx-errs"] = 0, ["tx-dropped"] = 0,
            },
        };
        var eth = new JsonObject
        {
            ["name"] = windows ? "Ethernet" : "ens18",
            ["hardware-address"] = mac,
            ["ip-addresses"] = new JsonArray(Addr("ipv4", ipv4, 24), Addr("ipv6", linkLocal, 64)),
            ["statistics"] = new JsonObject
            {
                ["rx-bytes"] = m.NetIn, ["rx-packets"] = m.NetIn / 900, ["rx-errs"] = 0, ["rx-dropped"] = m.NetIn / 9_000_000,
                ["tx-bytes"] = m.NetOut, ["tx-packets"] = m.NetOut / 700, ["tx-errs"] = 0, ["tx-dropped"] = 0,
            },
        };
        return new JsonObject { ["result"] = new JsonArray(lo, eth) };
    }

    // ---- HA ----------------------------------------------------------------------------------------------

    private SimHaResource Ha(ApiRequest r)
    {
        var (sid, g) = cluster.ParseHaSid(r["sid"], null);
        return cluster.FindHa(g) is { } res && res.Sid == sid ? res : throw PveError.Server($"no such resource '{sid}'");
    }

    private JsonObject HaResource(SimHaResource h)
    {
        var o = new JsonObject
        {
            ["sid"] = h.Sid, ["type"] = h.Type, ["state"] = h.State, ["max_restart"] = h.MaxRestart, ["max_relocate"] = h.MaxRelocate,
            ["digest"] = Presets.Digest(string.Join('\n', cluster.HaResources.OrderBy(x => x.Sid, StringComparer.Ordinal)
                .Select(x => $"{x.Sid}:{x.State}:{x.Group}:{x.Comment}:{x.MaxRestart}:{x.MaxRelocate}:{x.Failback}"))),
        };
        if (h.Group is { } grp) o["group"] = grp;
        if (h.Comment is { } c) o["comment"] = c;
        if (h.Failback is { } f) o["failback"] = f ? 1 : 0;
        return o;
    }

    private JsonArray HaResources(string? type)
    {
        var list = new JsonArray();
        foreach (var h in cluster.HaResources.Where(h => type is null || h.Type == type).OrderBy(h => h.Vmid))
            list.Add(HaResource(h));
        return list;
    }

    private ApiResponse CreateHaResource(ApiRequest r)
    {
        var (sid, g) = cluster.ParseHaSid(r.Get("sid") ?? throw PveError.Param("sid", "property is missing and it is not optional"), r.Get("type"));
        var h = new SimHaResource { Sid = sid, Type = sid[..2], Vmid = g.Vmid };
        ApplyHa(h, r);
        cluster.AddHa(h);
        return new ApiResponse(null);
    }

    private ApiResponse UpdateHaResource(ApiRequest r)
    {
        var h = Ha(r);
        foreach (var key in SimulatedCluster.SplitList(r.Get("delete")))
        {
            switch (key)
            {
                case "group": h.Group = null; break;
                case "comment": h.Comment = null; break;
                case "failback": h.Failback = null; break;
                case "max_restart": h.MaxRestart = 1; break;
                case "max_relocate": h.MaxRelocate = 1; break;
            }
        }
        ApplyHa(h, r);
        return new ApiResponse(null);
    }

    private static void ApplyHa(SimHaResource h, ApiRequest r)
    {
        if (r.Get("state") is { } state) h.State = state == "enabled" ? "started" : state == "disabled" ? "stopped" : state;
        if (r.Get("group") is { } group) h.Group = group;
        if (r.Get("comment") is { } comment) h.Comment = comment;
        if (r.Params.ContainsKey("max_restart")) h.MaxRestart = (int)r.Int("max_restart", 1);
        if (r.Params.ContainsKey("max_relocate")) h.MaxRelocate = (int)r.Int("max_relocate", 1);
        if (r.Params.ContainsKey("failback")) h.Failback = r.Bool("failback");
    }

    /// <summary>HA part of status/current: {"managed":0} or {"managed":1,"state":…}.</summary>
    private JsonObject HaStatus(SimGuest g)
    {
        if (cluster.FindHa(g) is not { } h) return new JsonObject { ["managed"] = 0 };
        var o = new JsonObject { ["managed"] = 1, ["state"] = h.State };
        if (h.Group is { } grp) o["group"] = grp;
        return o;
    }

    private JsonArray HaStatusCurrent()
    {
        var now = cluster.Now;
        var stamp = now.ToUnixTimeSeconds();
        var when = now.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture);
        var online = cluster.Nodes.Where(n => n.Online).ToList();
        var quorate = online.Count * 2 > cluster.Nodes.Count;
        var master = online.FirstOrDefault() ?? cluster.Nodes[0];
        var list = new JsonArray
        {
            new JsonObject { ["id"] = "quorum", ["type"] = "quorum", ["node"] = master.Name, ["status"] = quorate ? "OK" : "No quorum on node '" + master.Name + "'!", ["quorate"] = quorate ? 1 : 0 },
        };
        var any = cluster.HaResources.Count > 0;
        if (any)
            list.Add(new JsonObject { ["id"] = "master", ["type"] = "master", ["node"] = master.Name, ["status"] = $"{master.Name} (active, {when})", ["timestamp"] = stamp });
        foreach (var n in cluster.Nodes)
        {
            var active = cluster.HaResources.Any(h => cluster.GuestMap.TryGetValue(h.Vmid, out var g) && g.Node == n.Name);
            var state = !n.Online ? "old timestamp - dead?" : active ? "active" : "idle";
            list.Add(new JsonObject { ["id"] = $"lrm:{n.Name}", ["type"] = "lrm", ["node"] = n.Name, ["status"] = $"{n.Name} ({state}, {when})", ["timestamp"] = n.Online ? stamp : stamp - 300 });
        }
        foreach (var h in cluster.HaResources.OrderBy(h => h.Vmid))
        {
            if (!cluster.GuestMap.TryGetValue(h.Vmid, out var g)) continue;
            var nodeOnline = cluster.FindNode(g.Node)!.Online;
            var state = !nodeOnline ? "fence" : g.Lock == "migrate" ? "migrate" : h.State switch
            {
                "started" => g.IsRunning ? "started" : "starting",
                "stopped" => g.IsRunning ? "request_stop" : "stopped",
                var s => s,
            };
            var o = new JsonObject
            {
                ["id"] = $"service:{h.Sid}", ["type"] = "service", ["sid"] = h.Sid, ["node"] = g.Node, ["state"] = state,
                ["crm_state"] = state, ["request_state"] = h.State, ["status"] = $"{h.Sid} ({g.Node}, {state})",
                ["max_restart"] = h.MaxRestart, ["max_relocate"] = h.MaxRelocate, ["failback"] = h.Failback ?? true ? 1 : 0,
            };
            list.Add(o);
        }
        return list;
    }
}
