using System.Globalization;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>
/// SDN zones, vnets and subnets (pve-network PVE/API2/Network/SDN): edits go to the config, PUT cluster/sdn applies it
/// ("running"); lists show the config, the running state (running=1) or both with PVE's pending_config view (pending=1:
/// running values, a "pending" object of new values or 'deleted', and state new/changed/deleted).
/// </summary>
internal sealed partial class PveApi
{
    private static readonly HashSet<string> SdnIntKeys = ["mtu", "tag", "vrf-vxlan", "vxlan-port", "dp-id"];
    private static readonly HashSet<string> SdnBoolKeys =
        ["advertise-subnets", "bridge-disable-mac-learning", "disable-arp-nd-suppression", "exitnodes-local-routing", "isolate-ports", "vlanaware", "snat"];
    private static readonly HashSet<string> SdnControlKeys = ["zone", "vnet", "subnet", "type", "digest", "delete", "lock-token", "pending", "running"];

    private IEnumerable<ApiRoute> SdnRoutes() =>
    [
        new ApiRoute("PUT", "cluster/sdn", SdnApply),
        new ApiRoute("GET", "cluster/sdn/zones", r => SdnList(cluster.Sdn.Zones, cluster.Sdn.RunningZones, r, "zone", o => r.Get("type") is not { } t || o.Type == t)),
        new ApiRoute("POST", "cluster/sdn/zones", ZoneCreate),
        new ApiRoute("GET", "cluster/sdn/zones/{zone}", r => SdnRead(cluster.Sdn.Zones, cluster.Sdn.RunningZones, r, "zone", r["zone"])),
        new ApiRoute("PUT", "cluster/sdn/zones/{zone}", r => SdnUpdate(cluster.Sdn.Zones, r, "zone", r["zone"])),
        new ApiRoute("DELETE", "cluster/sdn/zones/{zone}", ZoneDelete),
        new ApiRoute("GET", "cluster/sdn/vnets", r => SdnList(cluster.Sdn.Vnets, cluster.Sdn.RunningVnets, r, "vnet", _ => true)),
        new ApiRoute("POST", "cluster/sdn/vnets", VnetCreate),
        new ApiRoute("GET", "cluster/sdn/vnets/{vnet}", r => SdnRead(cluster.Sdn.Vnets, cluster.Sdn.RunningVnets, r, "vnet", r["vnet"])),
        new ApiRoute("PUT", "cluster/sdn/vnets/{vnet}", r => SdnUpdate(cluster.Sdn.Vnets, r, "vnet", r["vnet"])),
        new ApiRoute("DELETE", "cluster/sdn/vnets/{vnet}", VnetDelete),
        new ApiRoute("GET", "cluster/sdn/vnets/{vnet}/subnets", r =>
            SdnList(cluster.Sdn.Subnets, cluster.Sdn.RunningSubnets, r, "subnet", o => o.Props.GetValueOrDefault("vnet") as string == r["vnet"])),
        new ApiRoute("POST", "cluster/sdn/vnets/{vnet}/subnets", SubnetCreate),
        new ApiRoute("GET", "cluster/sdn/vnets/{vnet}/subnets/{subnet}", r => SdnRead(cluster.Sdn.Subnets, cluster.Sdn.RunningSubnets, r, "subnet", SubnetId(r))),
        new ApiRoute("PUT", "cluster/sdn/vnets/{vnet}/subnets/{subnet}", r => SdnUpdate(cluster.Sdn.Subnets, r, "subnet", SubnetId(r))),
        new ApiRoute("DELETE", "cluster/sdn/vnets/{vnet}/subnets/{subnet}", r =>
        {
            var id = SubnetId(r);
            if (!cluster.Sdn.Subnets.Remove(id)) throw PveError.Server($"sdn subnet '{id}' does not exist");
            return new ApiResponse(null);
        }),
    ];

    private static object SdnValue(string key, string value) =>
        SdnBoolKeys.Contains(key) ? (SimulatedCluster.ParamBool(value) ? 1 : 0)
        : SdnIntKeys.Contains(key) ? int.Parse(value, CultureInfo.InvariantCulture)
        : key == "dhcp-range" ? SplitRanges(value) : value;

    /// <summary>Repeated dhcp-range values arrive joined; each range is "start-address=…,end-address=…".</summary>
    private static string[] SplitRanges(string value) =>
        [.. System.Text.RegularExpressions.Regex.Split(value, @"(?<=end-address=[^,]+),(?=start-address=)")];

    private static string Digest(SortedDictionary<string, SimSdnObject> objects) =>
        Presets.Digest(string.Join('\n', objects.Values.Select(o => $"{o.Type}: {o.Id}\n" + string.Join('\n', o.Props.Select(p => $"\t{p.Key} {Text(p.Value)}")))));

    private static string Text(object? v) => v switch
    {
        null => "",
        string[] a => string.Join(',', a),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>An object's JSON as api_sdn_*_config builds it (subnets: cidr, zone, network and mask from the id).</summary>
    private static JsonObject SdnJson(string idKey, string id, IEnumerable<KeyValuePair<string, object>> values)
    {
        var o = new JsonObject { [idKey] = id };
        foreach (var (k, v) in values) o[k] = ToJson(v);
        if (idKey == "subnet" && id.Split('-') is [var zone, var network, var mask])
        {
            o["cidr"] = $"{network}/{mask}";
            o["zone"] = zone;
            o["network"] = network;
            o["mask"] = mask;
        }
        return o;
    }

    private static SortedDictionary<string, object> Flat(SimSdnObject o)
    {
        var d = new SortedDictionary<string, object>(o.Props, StringComparer.Ordinal) { ["type"] = o.Type };
        return d;
    }

    /// <summary>PVE::Network::SDN::pending_config for one object type.</summary>
    private static SortedDictionary<string, JsonObject> PendingView(string idKey, SortedDictionary<string, SimSdnObject> config,
        SortedDictionary<string, SimSdnObject> running)
    {
        var result = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        JsonObject Entry(string id) => result.TryGetValue(id, out var e) ? e : result[id] = new JsonObject();
        JsonObject PendingOf(JsonObject e) => e["pending"] as JsonObject ?? (JsonObject)(e["pending"] = new JsonObject());
        foreach (var (id, ro) in running)
        {
            var e = Entry(id);
            var co = config.TryGetValue(id, out var c) ? Flat(c) : null;
            foreach (var (k, v) in Flat(ro))
            {
                e[k] = ToJson(v);
                if (co is null) e["state"] = "deleted";
                else if (!co.ContainsKey(k)) { PendingOf(e)[k] = "deleted"; e["state"] = "changed"; }
                else if (Text(co[k]) != Text(v)) e["state"] = "changed";
            }
            if (e.ContainsKey("state")) PendingOf(e);
        }
        foreach (var (id, cfg) in config)
        {
            var e = Entry(id);
            var ro = running.TryGetValue(id, out var r) ? Flat(r) : null;
            foreach (var (k, v) in Flat(cfg))
            {
                var rv = ro?.GetValueOrDefault(k);
                if (k is "type" or "vnet") e[k] = ToJson(v);
                else if (rv is null || Text(rv) != Text(v)) PendingOf(e)[k] = ToJson(v);
                if (ro is null) e["state"] = "new";
                else if (rv is null) e["state"] = "changed";
            }
            if (e.ContainsKey("state")) PendingOf(e);
        }
        var view = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (id, e) in result)
        {
            var o = SdnJson(idKey, id, []);
            foreach (var (k, v) in e.ToList()) { e.Remove(k); o[k] = v; }
            view[id] = o;
        }
        return view;
    }

    private ApiResponse SdnList(SortedDictionary<string, SimSdnObject> config, SortedDictionary<string, SimSdnObject> running, ApiRequest r,
        string idKey, Func<SimSdnObject, bool> include)
    {
        var list = new JsonArray();
        if (r.Bool("pending"))
        {
            var view = PendingView(idKey, config, running);
            foreach (var (id, o) in view)
            {
                var source = config.GetValueOrDefault(id) ?? running[id];
                if (include(source)) list.Add(o);
            }
            return list;
        }
        var objects = r.Bool("running") ? running : config;
        var digest = r.Bool("running") ? null : Digest(config);
        foreach (var o in objects.Values.Where(include))
        {
            var json = SdnJson(idKey, o.Id, Flat(o));
            if (digest is not null) json["digest"] = digest;
            list.Add(json);
        }
        return list;
    }

    private ApiResponse SdnRead(SortedDictionary<string, SimSdnObject> config, SortedDictionary<string, SimSdnObject> running, ApiRequest r,
        string idKey, string id)
    {
        if (r.Bool("pending"))
            return PendingView(idKey, config, running).GetValueOrDefault(id) ?? throw PveError.Server($"sdn {idKey} '{id}' does not exist");
        var objects = r.Bool("running") ? running : config;
        var o = objects.GetValueOrDefault(id) ?? throw PveError.Server($"sdn {idKey} '{id}' does not exist");
        var json = SdnJson(idKey, id, Flat(o));
        if (!r.Bool("running")) json["digest"] = Digest(config);
        return json;
    }

    private static void SetSdnProps(SimSdnObject o, ApiRequest r)
    {
        foreach (var (k, v) in r.Params)
            if (!SdnControlKeys.Contains(k) || (k == "zone" && o.Type == "vnet") || (k == "vnet" && o.Type == "subnet"))
                o.Props[k] = SdnValue(k, v);
    }

    private ApiResponse SdnUpdate(SortedDictionary<string, SimSdnObject> config, ApiRequest r, string idKey, string id)
    {
        var o = config.GetValueOrDefault(id) ?? throw PveError.Server($"sdn {idKey} '{id}' does not exist");
        if (r.Get("digest") is { } digest && digest != Digest(config))
            throw PveError.Server("detected modified configuration - file changed by other user? Try again.");
        var updated = o.Clone();
        foreach (var key in SplitList(r.Get("delete"))) updated.Props.Remove(key);
        SetSdnProps(updated, r);
        if (idKey == "zone") CheckZone(updated);
        if (idKey == "vnet") CheckVnet(updated);
        config[id] = updated;
        return new ApiResponse(null);
    }

    /// <summary>Options a zone type requires (section config "optional => 0" of the zone plugins).</summary>
    private static void CheckZone(SimSdnObject z)
    {
        string[] required = z.Type switch
        {
            "vlan" => ["bridge"],
            "qinq" => ["bridge", "tag"],
            "vxlan" => ["peers"],
            "evpn" => ["controller", "vrf-vxlan"],
            _ => [],
        };
        var missing = required.Where(k => !z.Props.ContainsKey(k)).ToDictionary(k => k, _ => "property is missing and it is not optional", StringComparer.Ordinal);
        if (missing.Count > 0) throw PveError.ParameterVerification(missing);
    }

    private ApiResponse ZoneCreate(ApiRequest r)
    {
        var id = r["zone"];
        if (cluster.Sdn.Zones.ContainsKey(id)) throw PveError.Server($"sdn zone object ID '{id}' already defined");
        var z = new SimSdnObject { Id = id, Type = r["type"] };
        SetSdnProps(z, r);
        CheckZone(z);
        cluster.Sdn.Zones[id] = z;
        return new ApiResponse(null);
    }

    private ApiResponse ZoneDelete(ApiRequest r)
    {
        var id = r["zone"];
        if (!cluster.Sdn.Zones.ContainsKey(id)) throw PveError.Server($"sdn zone '{id}' does not exist");
        if (cluster.Sdn.Vnets.Values.FirstOrDefault(v => v.Props.GetValueOrDefault("zone") as string == id) is { } vnet)
            throw PveError.Server($"zone {id} is used by vnet {vnet.Id}");
        cluster.Sdn.Zones.Remove(id);
        return new ApiResponse(null);
    }

    /// <summary>The vnet_update_hook of its zone type: VLAN tags required (unique per zone) on vlan zones, refused on simple zones.</summary>
    private void CheckVnet(SimSdnObject v)
    {
        var zoneId = v.Props.GetValueOrDefault("zone") as string ?? "";
        var zone = cluster.Sdn.Zones.GetValueOrDefault(zoneId) ?? throw PveError.Server($"zone '{zoneId}' does not exist");
        var tag = v.Props.GetValueOrDefault("tag") as int?;
        if (zone.Type == "simple" && tag is not null) throw PveError.Param("tag", "vlan tag is not allowed on simple zone");
        if (zone.Type is "vlan" or "qinq")
        {
            if (tag is null) throw PveError.Param("tag", "missing vlan tag");
            if (tag > 4096) throw PveError.Param("tag", "vlan tag max value is 4096");
            if (cluster.Sdn.Vnets.Values.FirstOrDefault(o => o.Id != v.Id && o.Props.GetValueOrDefault("zone") as string == zoneId
                    && o.Props.GetValueOrDefault("tag") as int? == tag) is { } other)
                throw PveError.Param("tag", $"tag {tag} already exist in vnet {other.Id}");
        }
    }

    private ApiResponse VnetCreate(ApiRequest r)
    {
        var id = r["vnet"];
        if (cluster.Sdn.Vnets.ContainsKey(id)) throw PveError.Server($"sdn vnet object ID '{id}' already defined");
        var v = new SimSdnObject { Id = id, Type = "vnet" };
        SetSdnProps(v, r);
        CheckVnet(v);
        cluster.Sdn.Vnets[id] = v;
        return new ApiResponse(null);
    }

    private ApiResponse VnetDelete(ApiRequest r)
    {
        var id = r["vnet"];
        if (!cluster.Sdn.Vnets.ContainsKey(id)) throw PveError.Server($"sdn vnet '{id}' does not exist");
        if (cluster.Sdn.Subnets.Values.Any(s => s.Props.GetValueOrDefault("vnet") as string == id))
            throw PveError.Server("Can't delete vnet if subnets exists");
        cluster.Sdn.Vnets.Remove(id);
        return new ApiResponse(null);
    }

    /// <summary>The subnet id of the path: "zone-10.0.0.0-24", or a CIDR turned into that id with the vnet's zone.</summary>
    private string SubnetId(ApiRequest r)
    {
        var subnet = Uri.UnescapeDataString(r["subnet"]);
        if (!subnet.Contains('/', StringComparison.Ordinal)) return subnet;
        var zone = cluster.Sdn.Vnets.GetValueOrDefault(r["vnet"])?.Props.GetValueOrDefault("zone") as string ?? "";
        return $"{zone}-{subnet.Replace('/', '-')}";
    }

    private ApiResponse SubnetCreate(ApiRequest r)
    {
        var vnet = cluster.Sdn.Vnets.GetValueOrDefault(r["vnet"]) ?? throw PveError.Server($"vnet '{r["vnet"]}' does not exist");
        var zone = vnet.Props.GetValueOrDefault("zone") as string ?? "";
        var cidr = r["subnet"];
        var id = cidr.Contains('/', StringComparison.Ordinal) ? $"{zone}-{cidr.Replace('/', '-')}" : cidr;
        if (cluster.Sdn.Subnets.ContainsKey(id)) throw PveError.Server($"sdn subnet object ID '{id}' already defined");
        var s = new SimSdnObject { Id = id, Type = "subnet" };
        s.Props["vnet"] = vnet.Id;
        SetSdnProps(s, r);
        cluster.Sdn.Subnets[id] = s;
        return new ApiResponse(null);
    }

    /// <summary>PUT cluster/sdn: commits the config as the running config and reloads the network on every node ("reloadnetworkall").</summary>
    private ApiResponse SdnApply(ApiRequest r)
    {
        cluster.Sdn.Apply();
        var node = cluster.Nodes.FirstOrDefault(n => n.Local && n.Online) ?? cluster.Nodes.First(n => n.Online);
        var task = cluster.InfraTask(node.Name, "reloadnetworkall", "", r.Identity.TaskUser, 1.0, 2.5, () => null,
            cluster.Nodes.Where(n => n.Online).Select(n => $"{n.Name}: reloading network config"));
        return JsonValue.Create(task.Upid);
    }
}
