using System.Globalization;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>Node, service, network, storage, backup, SDN and pool methods.</summary>
internal sealed partial class PveApi
{
    private static readonly string[] ServiceActions = ["start", "stop", "restart", "reload"];

    private IEnumerable<ApiRoute> InfrastructureRoutes() =>
    [
        // services
        new ApiRoute("GET", "nodes/{node}/services", r => Services(r.Node)),
        new ApiRoute("GET", "nodes/{node}/services/{service}", r => ServiceIndex(r.Node, r["service"])),
        new ApiRoute("GET", "nodes/{node}/services/{service}/state", r => ServiceEntry(RequireService(r.Node, r["service"]))),
        .. ServiceActions.Select(a => new ApiRoute("POST", $"nodes/{{node}}/services/{{service}}/{a}", r => ServiceAction(r, a))),

        // network
        new ApiRoute("GET", "nodes/{node}/network", NetworkList),
        new ApiRoute("POST", "nodes/{node}/network", NetworkCreate),
        new ApiRoute("PUT", "nodes/{node}/network", NetworkApply),
        new ApiRoute("DELETE", "nodes/{node}/network", NetworkRevert),
        new ApiRoute("GET", "nodes/{node}/network/{iface}", NetworkRead),
        new ApiRoute("PUT", "nodes/{node}/network/{iface}", NetworkUpdate),
        new ApiRoute("DELETE", "nodes/{node}/network/{iface}", NetworkDelete),

        // storage
        new ApiRoute("GET", "storage", StorageConfigList),
        new ApiRoute("GET", "storage/{storage}", r => StorageConfigRead(r["storage"])),
        new ApiRoute("PUT", "storage/{storage}", StorageConfigUpdate),
        new ApiRoute("GET", "nodes/{node}/storage", NodeStorageList),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}", r => StorageIndex(r.Node, r["storage"])),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}/status", r => NodeStorageStatus(r.Node, r["storage"])),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}/content", StorageContentList),
        new ApiRoute("POST", "nodes/{node}/storage/{storage}/content", StorageContentAllocate),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}/content/{volume}", StorageVolumeRead),
        new ApiRoute("PUT", "nodes/{node}/storage/{storage}/content/{volume}", StorageVolumeUpdate),
        new ApiRoute("DELETE", "nodes/{node}/storage/{storage}/content/{volume}", StorageVolumeDelete),
        new ApiRoute("POST", "nodes/{node}/storage/{storage}/upload", StorageUpload),
        new ApiRoute("POST", "nodes/{node}/storage/{storage}/download-url", StorageDownloadUrl),
        .. BackupRoutes(),
        .. ClusterInfraRoutes(),
    ];

    // ---- helpers ------------------------------------------------------------------------------------------

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string[] a => new JsonArray(a.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    private static JsonObject PropsToJson(IEnumerable<KeyValuePair<string, object>> props, JsonObject? into = null)
    {
        var o = into ?? new JsonObject();
        foreach (var (k, v) in props) o[k] = ToJson(v);
        return o;
    }

    /// <summary>An integer parameter, checked as PVE's type check would (the schema validator checks first, once it exists).</summary>
    private static int? IntParam(ApiRequest r, string name)
    {
        if (r.Get(name) is not { } v) return null;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw PveError.Param(name, $"type check ('integer') failed - got '{v}'");
    }

    private static bool? BoolParam(ApiRequest r, string name) => r.Get(name) is { } v ? SimulatedCluster.ParamBool(v) : null;

    private static IEnumerable<string> SplitList(string? value) =>
        (value ?? "").Split([',', ';', ' ', '\0'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private SimNodeInfra Infra(string node) => cluster.NodeInfra[node];

    // ---- node status ---------------------------------------------------------------------------------------

    private static string CpuMhz(string model) =>
        model.Contains("EPYC", StringComparison.Ordinal) ? "3000.000"
        : model.Contains("Silver 4310", StringComparison.Ordinal) ? "2100.000"
        : model.Contains("i7-6700", StringComparison.Ordinal) ? "3400.000" : "2994.375";

    // ---- services ------------------------------------------------------------------------------------------

    private JsonArray Services(string node)
    {
        var list = new JsonArray();
        foreach (var s in Infra(node).Services) list.Add(ServiceEntry(s));
        return list;
    }

    private static JsonObject ServiceEntry(SimService s) => new()
    {
        ["service"] = s.Service, ["name"] = SimulatedCluster.ServiceUnitName(s.Service), ["desc"] = s.Desc,
        ["state"] = s.State, ["active-state"] = s.ActiveState, ["unit-state"] = s.UnitState,
    };

    private SimService RequireService(string node, string service) =>
        Infra(node).Services.FirstOrDefault(s => s.Service == service)
        ?? throw PveError.Param("service", $"value '{service}' does not have a value in the enumeration '{string.Join(", ", Infra(node).Services.Select(s => s.Service))}'");

    private JsonArray ServiceIndex(string node, string service)
    {
        RequireService(node, service);
        return new JsonArray(new[] { "state", "start", "stop", "restart", "reload" }.Select(s => (JsonNode?)new JsonObject { ["subdir"] = s }).ToArray());
    }

    private ApiResponse ServiceAction(ApiRequest r, string action)
    {
        var s = RequireService(r.Node, r["service"]);
        return JsonValue.Create(cluster.ServiceAction(r.Node, s, action, r.Identity.TaskUser).Upid);
    }

    // ---- network -------------------------------------------------------------------------------------------

    private static readonly string[] BridgeTypes = ["bridge", "OVSBridge"];

    private ApiResponse NetworkList(ApiRequest r)
    {
        var infra = Infra(r.Node);
        var type = r.Get("type");
        var list = new JsonArray();
        foreach (var i in cluster.CurrentNetwork(infra).OrderBy(i => i.Iface, StringComparer.Ordinal))
        {
            var match = type switch
            {
                null or "include_sdn" => true,
                "any_bridge" or "any_local_bridge" => BridgeTypes.Contains(i.Type),
                _ => i.Type == type,
            };
            if (!match) continue;
            var o = new JsonObject { ["iface"] = i.Iface, ["type"] = i.Type };
            list.Add(PropsToJson(i.Props, o));
        }
        var response = new ApiResponse(list);
        return cluster.NetworkChanges(infra) is { } diff ? response with { Extra = new JsonObject { ["changes"] = diff } } : response;
    }

    private static SimNetworkInterface RequireIface(IEnumerable<SimNetworkInterface> list, string iface) =>
        list.FirstOrDefault(i => i.Iface == iface) ?? throw PveError.Param("iface", "interface does not exist");

    private ApiResponse NetworkRead(ApiRequest r)
    {
        var i = RequireIface(cluster.CurrentNetwork(Infra(r.Node)), r["iface"]);
        return PropsToJson(i.Props, new JsonObject { ["type"] = i.Type });
    }

    private ApiResponse NetworkCreate(ApiRequest r)
    {
        var infra = Infra(r.Node);
        var name = r["iface"];
        if (cluster.CurrentNetwork(infra).Any(i => i.Iface == name)) throw PveError.Param("iface", "interface already exists");
        var type = r.Get("type") ?? throw PveError.Param("type", "property is missing and it is not optional");
        var iface = new SimNetworkInterface { Iface = name, Type = type };
        iface.Props["families"] = new[] { "inet" };
        iface.Props["method6"] = "manual";
        ApplyIfaceParams(cluster.CurrentNetwork(infra), iface, r);
        var pending = cluster.EditNetwork(infra);
        iface.Props["priority"] = pending.Count == 0 ? 3 : pending.Max(i => i.Props.GetValueOrDefault("priority") as int? ?? 0) + 1;
        pending.Add(iface);
        return new ApiResponse(null);
    }

    private ApiResponse NetworkUpdate(ApiRequest r)
    {
        var infra = Infra(r.Node);
        RequireIface(cluster.CurrentNetwork(infra), r["iface"]);
        var pending = cluster.EditNetwork(infra);
        var iface = RequireIface(pending, r["iface"]);
        if (r.Get("type") is { } type && type != iface.Type) throw PveError.Param("type", "interface type mismatch");
        foreach (var key in SplitList(r.Get("delete")))
        {
            iface.Props.Remove(key);
            if (key == "cidr") { iface.Props.Remove("address"); iface.Props.Remove("netmask"); }
        }
        ApplyIfaceParams(pending, iface, r);
        return new ApiResponse(null);
    }

    private ApiResponse NetworkDelete(ApiRequest r)
    {
        var infra = Infra(r.Node);
        RequireIface(cluster.CurrentNetwork(infra), r["iface"]);
        var pending = cluster.EditNetwork(infra);
        pending.RemoveAll(i => i.Iface == r["iface"]);
        return new ApiResponse(null);
    }

    private ApiResponse NetworkApply(ApiRequest r) =>
        JsonValue.Create(cluster.ApplyNetwork(Infra(r.Node), r.Identity.TaskUser).Upid);

    private ApiResponse NetworkRevert(ApiRequest r)
    {
        cluster.RevertNetwork(Infra(r.Node));
        return new ApiResponse(null);
    }

    /// <summary>Copies the create/update parameters onto an interface (cidr and address/netmask kept in sync, as PVE does).</summary>
    private static void ApplyIfaceParams(IEnumerable<SimNetworkInterface> all, SimNetworkInterface iface, ApiRequest r)
    {
        var p = iface.Props;
        foreach (var key in new[] { "bridge_ports", "bridge_vids", "slaves", "bond_mode", "bond_xmit_hash_policy", "bond-primary", "vlan-raw-device", "ovs_bridge", "ovs_ports", "ovs_options", "ovs_bonds" })
            if (r.Get(key) is { } v) p[key] = key is "bridge_ports" or "slaves" ? string.Join(' ', SplitList(v)) : v;
        foreach (var key in new[] { "mtu", "vlan-id", "ovs_tag", "netmask6" })
            if (IntParam(r, key) is { } n) p[key] = n;
        foreach (var key in new[] { "autostart", "bridge_vlan_aware" })
            if (BoolParam(r, key) is { } b) { if (b) p[key] = 1; else p.Remove(key); }
        if (r.Get("comments") is { } comments) p["comments"] = comments.EndsWith('\n') ? comments : comments + "\n";
        if (r.Get("comments6") is { } comments6) p["comments6"] = comments6.EndsWith('\n') ? comments6 : comments6 + "\n";

        string? cidr = r.Get("cidr");
        if (cidr is null && r.Get("address") is { } address)
        {
            var mask = r.Get("netmask") ?? throw PveError.Param("netmask", "address and netmask are required together");
            cidr = $"{address}/{MaskToPrefix(mask)}";
        }
        if (cidr is not null)
        {
            var slash = cidr.IndexOf('/');
            if (slash < 0) throw PveError.Param("cidr", $"value does not look like a valid CIDR network");
            p["cidr"] = cidr;
            p["address"] = cidr[..slash];
            p["netmask"] = cidr[(slash + 1)..];
        }
        if (r.Get("cidr6") is { } cidr6)
        {
            p["cidr6"] = cidr6;
            p["address6"] = cidr6.Split('/')[0];
            if (int.TryParse(cidr6.Split('/').ElementAtOrDefault(1), CultureInfo.InvariantCulture, out var prefix6)) p["netmask6"] = prefix6;
            p["families"] = new[] { "inet", "inet6" };
            p["method6"] = "static";
        }
        if (r.Get("gateway") is { } gateway)
        {
            var other = all.FirstOrDefault(i => i.Iface != iface.Iface && i.Props.ContainsKey("gateway"));
            if (other is not null) throw PveError.Param("gateway", $"Default gateway already exists on interface '{other.Iface}'.");
            p["gateway"] = gateway;
        }
        if (r.Get("gateway6") is { } gateway6) p["gateway6"] = gateway6;
        p["method"] = p.ContainsKey("cidr") ? "static" : "manual";
        if (iface.Type == "vlan" && iface.Iface.Contains('.') && !p.ContainsKey("vlan-id"))
        {
            var dot = iface.Iface.LastIndexOf('.');
            if (int.TryParse(iface.Iface[(dot + 1)..], CultureInfo.InvariantCulture, out var tag))
            {
                p["vlan-id"] = tag;
                p["vlan-raw-device"] = iface.Iface[..dot];
            }
        }
        if (iface.Type == "vlan" && !p.ContainsKey("vlan-raw-device"))
            throw PveError.Param("vlan-raw-device", "vlan-raw-device is not defined");
        if (iface.Type == "bond" && !p.ContainsKey("bond_mode")) p["bond_mode"] = "balance-rr";
    }

    private static int MaskToPrefix(string mask)
    {
        if (int.TryParse(mask, CultureInfo.InvariantCulture, out var prefix)) return prefix;
        var bits = 0;
        foreach (var part in mask.Split('.'))
            if (int.TryParse(part, CultureInfo.InvariantCulture, out var b)) bits += System.Numerics.BitOperations.PopCount((uint)b);
        return bits;
    }

    // ---- storage -------------------------------------------------------------------------------------------

    private SimStorageConfig RequireStorageConfig(string storage) =>
        cluster.StorageConfigs.GetValueOrDefault(storage) ?? throw PveError.Server($"storage '{storage}' does not exist");

    private SimStorage RequireNodeStorage(string node, string storage)
    {
        RequireStorageConfig(storage);
        return cluster.FindStorage(node, storage) ?? throw PveError.Server($"storage '{storage}' is not available on node '{node}'");
    }

    private static string StorageDigest(SimStorageConfig cfg) =>
        Presets.Digest(string.Join('\n', cfg.Props.Select(p => $"{p.Key} {p.Value}")) + cfg.Type + cfg.Storage);

    private JsonObject StorageConfigJson(SimStorageConfig cfg)
    {
        var o = new JsonObject { ["storage"] = cfg.Storage, ["type"] = cfg.Type };
        PropsToJson(cfg.Props, o);
        if (cfg.Type is "nfs" or "cifs" or "cephfs" or "rbd" or "pbs") o["shared"] = 1;
        o["digest"] = StorageDigest(cfg);
        return o;
    }

    private ApiResponse StorageConfigList(ApiRequest r)
    {
        var type = r.Get("type");
        var list = new JsonArray();
        foreach (var cfg in cluster.StorageConfigs.Values)
            if (type is null || cfg.Type == type) list.Add(StorageConfigJson(cfg));
        return list;
    }

    private JsonObject StorageConfigRead(string storage) => StorageConfigJson(RequireStorageConfig(storage));

    private ApiResponse StorageConfigUpdate(ApiRequest r)
    {
        var cfg = RequireStorageConfig(r["storage"]);
        if (r.Get("digest") is { } digest && digest != StorageDigest(cfg))
            throw PveError.Server("detected modified configuration - file changed by other user? Try again.");
        foreach (var key in SplitList(r.Get("delete"))) cfg.Props.Remove(key);
        foreach (var (key, value) in r.Params)
        {
            if (key is "storage" or "delete" or "digest") continue;
            cfg.Props[key] = key is "disable" or "shared" or "sparse" or "mkdir" or "krbd" or "nocow"
                ? (SimulatedCluster.ParamBool(value) ? 1 : 0)
                : key is "max-protected-backups" or "port" ? int.Parse(value, CultureInfo.InvariantCulture) : value;
            if (key == "disable" && cfg.Props["disable"] is 0) cfg.Props.Remove("disable");
        }
        if (r.Get("content") is { } content)
            foreach (var s in cluster.Storages.Where(s => s.Storage == cfg.Storage)) s.Content = string.Join(',', SplitList(content));
        return new JsonObject { ["storage"] = cfg.Storage, ["type"] = cfg.Type };
    }

    private JsonObject StorageStatusJson(SimStorage s, IReadOnlyDictionary<(string, string), long> usage, bool withName)
    {
        var cfg = cluster.StorageConfigs[s.Storage];
        var enabled = !cfg.Disabled;
        var o = new JsonObject();
        if (withName) o["storage"] = s.Storage;
        o["type"] = s.PluginType;
        o["content"] = s.Content;
        o["shared"] = s.Shared ? 1 : 0;
        o["enabled"] = enabled ? 1 : 0;
        o["active"] = enabled ? 1 : 0;
        if (enabled)
        {
            var used = usage[(s.Storage, s.Node)];
            o["total"] = s.Total;
            o["used"] = used;
            o["avail"] = s.Total - used;
            if (withName) o["used_fraction"] = s.Total == 0 ? 0 : Math.Round((double)used / s.Total, 15);
        }
        return o;
    }

    private ApiResponse NodeStorageList(ApiRequest r)
    {
        var usage = cluster.StorageUsage();
        var content = r.Get("content") is { } c ? SplitList(c).ToHashSet(StringComparer.Ordinal) : null;
        var enabledOnly = r.Bool("enabled");
        var only = r.Get("storage");
        var list = new JsonArray();
        foreach (var s in cluster.Storages.Where(s => s.Node == r.Node).OrderBy(s => s.Storage, StringComparer.Ordinal))
        {
            if (only is not null && s.Storage != only) continue;
            if (content is not null && !s.Content.Split(',').Any(content.Contains)) continue;
            if (enabledOnly && cluster.StorageConfigs[s.Storage].Disabled) continue;
            list.Add(StorageStatusJson(s, usage, withName: true));
        }
        return list;
    }

    private JsonArray StorageIndex(string node, string storage)
    {
        RequireNodeStorage(node, storage);
        return new JsonArray(new[] { "content", "download-url", "file-restore", "import-metadata", "prunebackups", "rrd", "rrddata", "status", "upload" }
            .Select(s => (JsonNode?)new JsonObject { ["subdir"] = s }).ToArray());
    }

    private JsonObject NodeStorageStatus(string node, string storage)
    {
        var s = cluster.FindStorage(node, storage) ?? throw PveError.Param("storage", "No such storage.");
        return StorageStatusJson(s, cluster.StorageUsage(), withName: false);
    }

    private SimStorage RequireActiveStorage(string node, string storage)
    {
        var s = RequireNodeStorage(node, storage);
        if (cluster.StorageConfigs[storage].Disabled) throw PveError.Server($"storage '{storage}' is disabled");
        return s;
    }

    /// <summary>Guest disks on a storage, derived from the guests (images for VMs, rootdir for containers).</summary>
    private IEnumerable<(JsonObject Entry, int Vmid, string Content)> GuestVolumes(SimStorage s)
    {
        foreach (var g in cluster.GuestMap.Values)
        {
            if (cluster.GuestDiskStorage(g) is not { } gs || gs.Storage != s.Storage || (!s.Shared && gs.Node != s.Node)) continue;
            var zfs = s.PluginType is "zfspool" or "zfs";
            var lxc = g.Type == "lxc";
            var name = lxc && zfs ? $"subvol-{g.Vmid}-disk-0" : g.Template ? $"base-{g.Vmid}-disk-0" : $"vm-{g.Vmid}-disk-0";
            var entry = new JsonObject
            {
                ["volid"] = $"{s.Storage}:{name}", ["content"] = lxc ? "rootdir" : "images", ["format"] = lxc && zfs ? "subvol" : "raw",
                ["size"] = g.MaxDisk, ["used"] = SimulatedCluster.GuestDiskUsed(g), ["vmid"] = g.Vmid, ["ctime"] = g.CreatedAt,
            };
            yield return (entry, g.Vmid, lxc ? "rootdir" : "images");
            if (g.CloudInit && !lxc)
            {
                yield return (new JsonObject
                {
                    ["volid"] = $"{s.Storage}:vm-{g.Vmid}-cloudinit", ["content"] = "images", ["format"] = "raw",
                    ["size"] = 4L * 1024 * 1024, ["used"] = 73728, ["vmid"] = g.Vmid, ["ctime"] = g.CreatedAt,
                }, g.Vmid, "images");
            }
            // RAM state of snapshots taken with vmstate=1 (PVE names it vm-{vmid}-state-{snapname}; size: 2 × memory + 500 MiB).
            foreach (var snap in g.Snapshots)
            {
                if (lxc || !snap.Config.TryGetValue("vmstate", out var state) || !state.StartsWith(s.Storage + ":", StringComparison.Ordinal)) continue;
                var memoryMiB = snap.Config.TryGetValue("memory", out var m) && long.TryParse(m, out var mem) ? mem : 512;
                var size = (memoryMiB * 2 + 500) * 1024 * 1024;
                yield return (new JsonObject
                {
                    ["volid"] = state, ["content"] = "images", ["format"] = "raw", ["size"] = size, ["used"] = size, ["vmid"] = g.Vmid, ["ctime"] = snap.SnapTime,
                }, g.Vmid, "images");
            }
        }
    }

    private static JsonObject VolumeJson(SimVolume v)
    {
        var o = new JsonObject
        {
            ["volid"] = v.VolId, ["content"] = v.Content, ["format"] = v.Format, ["size"] = v.Size, ["ctime"] = v.CTime,
        };
        if (v.Vmid is { } vmid) o["vmid"] = vmid;
        if (v.Subtype is { } subtype) o["subtype"] = subtype;
        if (v.Notes is { } notes) o["notes"] = notes;
        if (v.Protected) o["protected"] = 1;
        return o;
    }

    private ApiResponse StorageContentList(ApiRequest r)
    {
        var s = RequireActiveStorage(r.Node, r["storage"]);
        var content = r.Get("content");
        var vmid = IntParam(r, "vmid");
        var entries = new List<JsonObject>();
        var allowed = s.Content.Split(',');
        foreach (var v in cluster.VolumesOn(s))
        {
            if (!allowed.Contains(v.Content)) continue;
            if (content is not null && v.Content != content) continue;
            if (vmid is not null && v.Vmid != vmid) continue;
            entries.Add(VolumeJson(v));
        }
        foreach (var (entry, owner, kind) in GuestVolumes(s))
        {
            if (!allowed.Contains(kind)) continue;
            if (content is not null && kind != content) continue;
            if (vmid is not null && owner != vmid) continue;
            entries.Add(entry);
        }
        var list = new JsonArray();
        foreach (var e in entries.OrderBy(e => e["volid"]!.GetValue<string>(), StringComparer.Ordinal)) list.Add(e);
        return list;
    }

    /// <summary>The volume path parameter: a full volid ("local:iso/x.iso") or a volume name on the path's storage.</summary>
    private static string VolId(string storage, string volume)
    {
        volume = Uri.UnescapeDataString(volume);   // "%2F" stays encoded in the request path
        return volume.Contains(':') ? volume : $"{storage}:{volume}";
    }

    private SimVolume RequireVolume(ApiRequest r)
    {
        RequireActiveStorage(r.Node, r["storage"]);
        var volid = VolId(r["storage"], r["volume"]);
        var v = cluster.FindVolume(volid);
        var s = cluster.FindStorage(r.Node, v?.Storage ?? "");
        if (v is null || s is null || (!s.Shared && v.Node != r.Node))
        {
            var owned = cluster.FindStorage(r.Node, r["storage"]) is { } st ? GuestVolumes(st).FirstOrDefault(g => g.Entry["volid"]!.GetValue<string>() == volid) : default;
            if (owned.Entry is not null) throw PveError.Server($"volume '{volid}' is in use by guest {owned.Vmid}");
            throw PveError.Server($"volume '{volid}' does not exist");
        }
        return v;
    }

    private ApiResponse StorageVolumeRead(ApiRequest r)
    {
        var volid = VolId(r["storage"], r["volume"]);
        if (cluster.FindStorage(r.Node, r["storage"]) is { } st && GuestVolumes(st).FirstOrDefault(g => g.Entry["volid"]!.GetValue<string>() == volid) is { Entry: { } disk })
        {
            var zfsPath = st.PluginType is "zfspool" ? $"/dev/zvol/rpool/data/{volid[(volid.IndexOf(':') + 1)..]}" : $"/dev/pve/{volid[(volid.IndexOf(':') + 1)..]}";
            return new JsonObject { ["path"] = zfsPath, ["size"] = disk["size"]!.GetValue<long>(), ["used"] = disk["used"]!.GetValue<long>(), ["format"] = disk["format"]!.GetValue<string>() };
        }
        var v = RequireVolume(r);
        var o = new JsonObject { ["path"] = cluster.VolumePath(v), ["size"] = v.Size, ["used"] = v.Size, ["format"] = v.Format };
        if (v.Content == "backup")
        {
            if (v.Notes is { } notes) o["notes"] = notes;
            o["protected"] = v.Protected ? 1 : 0;
        }
        return o;
    }

    private ApiResponse StorageVolumeUpdate(ApiRequest r)
    {
        var v = RequireVolume(r);
        if (r.Get("notes") is { } notes)
        {
            if (v.Content != "backup") throw PveError.Server($"volume notes are not supported for {v.Content}");
            v.Notes = notes.Length == 0 ? null : notes;
        }
        if (BoolParam(r, "protected") is { } prot)
        {
            if (v.Content != "backup") throw PveError.Server($"protection status not supported for {v.Content}");
            v.Protected = prot;
        }
        return new ApiResponse(null);
    }

    private ApiResponse StorageVolumeDelete(ApiRequest r)
    {
        var v = RequireVolume(r);
        var id = v.Vmid is { } owner ? $"{owner}@{v.Storage}" : v.Storage;
        string? error = v.Protected ? $"cannot remove protected volume '{v.VolName}' on '{v.Storage}'" : null;
        var task = cluster.InfraTask(r.Node, "imgdel", id, r.Identity.TaskUser, 0.3, 0.8, () =>
        {
            if (v.Protected) return $"cannot remove protected volume '{v.VolName}' on '{v.Storage}'";
            cluster.Volumes.Remove(v);
            return null;
        }, error is null ? [$"Removed volume '{v.VolId}'"] : [], error);
        return JsonValue.Create(task.Upid);
    }

    private static (string Content, string Format) ClassifyFile(string content, string filename) => content switch
    {
        "iso" when filename.EndsWith(".iso", StringComparison.OrdinalIgnoreCase) || filename.EndsWith(".img", StringComparison.OrdinalIgnoreCase) => ("iso", "iso"),
        "iso" => throw PveError.Param("filename", "wrong file extension"),
        "vztmpl" when filename.EndsWith(".tar.zst", StringComparison.Ordinal) => ("vztmpl", "tzst"),
        "vztmpl" when filename.EndsWith(".tar.xz", StringComparison.Ordinal) => ("vztmpl", "txz"),
        "vztmpl" when filename.EndsWith(".tar.gz", StringComparison.Ordinal) => ("vztmpl", "tgz"),
        "vztmpl" => throw PveError.Param("filename", "wrong file extension"),
        "import" => ("import", Path.GetExtension(filename).TrimStart('.')),
        _ => throw PveError.Param("content", "upload content type not allowed"),
    };

    private static string ContentDir(string content) => content switch { "vztmpl" => "vztmpl", "iso" => "iso", _ => content };

    /// <summary>POST upload: the file arrives in the multipart body; an imgcopy task moves it into place.</summary>
    private ApiResponse StorageUpload(ApiRequest r)
    {
        var s = RequireActiveStorage(r.Node, r["storage"]);
        var content = r.Get("content") ?? throw PveError.Param("content", "property is missing and it is not optional");
        var filename = Path.GetFileName(r.Get("filename") ?? throw PveError.Param("filename", "property is missing and it is not optional"));
        var size = r.Get("tmpfilename") is { } tmp ? UploadedFiles.Take(tmp) ?? 0 : 0;
        return JsonValue.Create(AddFileTask(r, s, content, filename, size, "imgcopy", null).Upid);
    }

    /// <summary>POST download-url: a download task fetching the URL (simulated size from the file name).</summary>
    private ApiResponse StorageDownloadUrl(ApiRequest r)
    {
        var s = RequireActiveStorage(r.Node, r["storage"]);
        var content = r.Get("content") ?? throw PveError.Param("content", "property is missing and it is not optional");
        var filename = r.Get("filename") ?? throw PveError.Param("filename", "property is missing and it is not optional");
        var url = r.Get("url") ?? throw PveError.Param("url", "property is missing and it is not optional");
        var size = 300L * 1024 * 1024 + cluster.NextInfraRandom(0, 900) * 1024L * 1024;
        return JsonValue.Create(AddFileTask(r, s, content, filename, size, "download", url).Upid);
    }

    private SimTask AddFileTask(ApiRequest r, SimStorage s, string content, string filename, long size, string taskType, string? url)
    {
        if (!s.Content.Split(',').Contains(content)) throw PveError.Server($"storage '{s.Storage}' does not support content type '{content}'");
        var (kind, format) = ClassifyFile(content, filename);
        var volid = $"{s.Storage}:{ContentDir(kind)}/{filename}";
        if (cluster.FindVolume(volid) is { } existing && (s.Shared || existing.Node == s.Node))
            throw PveError.Server($"refusing to override existing file '{filename}'");
        var target = $"{(cluster.StorageConfigs[s.Storage].Props.GetValueOrDefault("path") as string ?? "/var/lib/vz")}/template/{(kind == "iso" ? "iso" : "cache")}/{filename}";
        var lines = url is null
            ? new[] { $"starting file import from: {r.Get("tmpfilename") ?? "/var/tmp/pveupload"}", $"target node: {s.Node}", $"target file: {target}", $"file size is: {size}", $"command: cp -- {r.Get("tmpfilename")} {target}", "finished file import successfully" }
            : new[] { $"downloading {url} to {target}", $"--{cluster.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss}--  {url}", $"Length: {size} ({Formats(size)})", $"Saving to: '{target}.tmp'", "download of '" + url + "' to '" + target + "' finished" };
        return cluster.InfraTask(s.Node, taskType, s.Storage, r.Identity.TaskUser, url is null ? 0.5 : 2.0, url is null ? 1.2 : 5.0, () =>
        {
            cluster.AddVolume(new SimVolume
            {
                Storage = s.Storage, Node = s.Shared ? null : s.Node, VolId = volid, Content = kind, Format = format, Size = size,
                CTime = cluster.Now.ToUnixTimeSeconds(),
            });
            return null;
        }, lines);
    }

    private static string Formats(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + "G"
        : (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + "M";

    private ApiResponse StorageContentAllocate(ApiRequest r) =>
        throw PveError.Server("allocating volumes directly is not supported by the simulator - create or resize a guest disk instead");
}
