using System.Globalization;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>Cluster-wide infrastructure: pools, SDN, backup jobs; helpers for cluster/resources and node status.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> ClusterInfraRoutes() =>
    [
        new ApiRoute("GET", "cluster/backup", _ => BackupJobList()),
        new ApiRoute("POST", "cluster/backup", BackupJobCreate),
        new ApiRoute("GET", "cluster/backup/{id}", r => BackupJobJson(RequireJob(r["id"]), withNextRun: false)),
        new ApiRoute("PUT", "cluster/backup/{id}", BackupJobUpdate),
        new ApiRoute("DELETE", "cluster/backup/{id}", r => { cluster.BackupJobs.Remove(RequireJob(r["id"]).Id); return new ApiResponse(null); }),
        new ApiRoute("GET", "cluster/backup-info/not-backed-up", _ => NotBackedUp()),

        new ApiRoute("GET", "pools", PoolList),
        new ApiRoute("POST", "pools", PoolCreate),
        new ApiRoute("PUT", "pools", r => PoolUpdate(r, r["poolid"])),
        new ApiRoute("DELETE", "pools", r => PoolDelete(r["poolid"])),
        new ApiRoute("GET", "pools/{poolid}", r =>
        {
            var o = PoolJson(RequirePool(r["poolid"]), r.Get("type"));
            o.Remove("poolid");
            return o;
        }),
        new ApiRoute("PUT", "pools/{poolid}", r => PoolUpdate(r, r["poolid"])),
        new ApiRoute("DELETE", "pools/{poolid}", r => PoolDelete(r["poolid"])),
        .. SdnRoutes(),
    ];

    // ---- backup jobs (jobs.cfg) -------------------------------------------------------------------------

    private static readonly HashSet<string> JobIntKeys =
        ["all", "bwlimit", "enabled", "ionice", "lockwait", "maxfiles", "pigz", "protected", "quiet", "remove", "repeat-missed", "stdexcludes",
         "stop", "stopwait", "zstd"];
    private static readonly HashSet<string> JobBoolKeys =
        ["all", "enabled", "protected", "quiet", "remove", "repeat-missed", "stdexcludes", "stop"];

    private SimBackupJob RequireJob(string id) =>
        cluster.BackupJobs.GetValueOrDefault(id) ?? throw PveError.Param("id", $"No such job '{id}'");

    private JsonArray BackupJobList()
    {
        var list = new JsonArray();
        foreach (var job in cluster.BackupJobs.Values) list.Add(BackupJobJson(job, withNextRun: true));
        return list;
    }

    private JsonObject BackupJobJson(SimBackupJob job, bool withNextRun)
    {
        var o = new JsonObject { ["id"] = job.Id };
        PropsToJson(job.Props, o);
        // jobs.cfg keeps prune-backups as a property string; the API answers it parsed (an object of keep-* numbers)
        if (job.Props.GetValueOrDefault("prune-backups") is string keep)
        {
            var parsed = new JsonObject();
            foreach (var (k, v) in SimulatedCluster.ParseKeep(keep)) parsed[k] = v;
            o["prune-backups"] = parsed;
        }
        if (withNextRun && job.Props.GetValueOrDefault("enabled") is not 0 && job.Props.GetValueOrDefault("schedule") is string schedule
            && CalendarEvent.Next(schedule, cluster.Now) is { } next)
            o["next-run"] = next.ToUnixTimeSeconds();
        return o;
    }

    private static object JobValue(string key, string value) =>
        JobBoolKeys.Contains(key) ? (SimulatedCluster.ParamBool(value) ? 1 : 0)
        : JobIntKeys.Contains(key) ? int.Parse(value, CultureInfo.InvariantCulture) : value;

    /// <summary>verify_vzdump_parameters of a job (conflicts, selection) and a schedule from starttime/dow (convert_from_starttime).</summary>
    private static void CheckJob(SortedDictionary<string, object> props, string user)
    {
        var asText = props.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
        SimulatedCluster.CheckVzdumpParams(asText, "root@pam");
        _ = user;
        if (!props.ContainsKey("schedule")) throw PveError.Param("schedule", "either schedule or starttime must be set");
    }

    private static void ApplyJobParams(SimBackupJob job, ApiRequest r)
    {
        foreach (var (k, v) in r.Params)
        {
            if (k is "id" or "delete" or "starttime" or "dow" or "digest") continue;
            job.Props[k] = JobValue(k, v);
        }
        if (r.Get("starttime") is { } start)
            job.Props["schedule"] = (r.Get("dow") is { } dow && dow != "mon,tue,wed,thu,fri,sat,sun" ? dow + " " : "") + start;
    }

    private ApiResponse BackupJobCreate(ApiRequest r)
    {
        var id = r.Get("id") ?? $"backup-{Guid.NewGuid().ToString("N")[..8]}-{Guid.NewGuid().ToString("N")[..4]}";
        if (cluster.BackupJobs.ContainsKey(id)) throw PveError.Server($"Job '{id}' already exists");
        var job = new SimBackupJob { Id = id };
        job.Props["type"] = "vzdump";
        job.Props["enabled"] = 1;
        ApplyJobParams(job, r);
        if (job.Props.GetValueOrDefault("storage") is string storage && !cluster.StorageConfigs.ContainsKey(storage))
            throw PveError.Server($"storage '{storage}' does not exist");
        CheckJob(job.Props, r.Identity.TaskUser);
        cluster.BackupJobs[id] = job;
        return new ApiResponse(null);
    }

    private ApiResponse BackupJobUpdate(ApiRequest r)
    {
        var job = RequireJob(r["id"]);
        var props = new SortedDictionary<string, object>(job.Props, StringComparer.Ordinal);
        var probe = new SimBackupJob { Id = job.Id, Props = props };
        foreach (var key in SplitList(r.Get("delete"))) props.Remove(key);
        ApplyJobParams(probe, r);
        // a new selection replaces the old one (update_job)
        if (r.Get("vmid") is not null) { props.Remove("all"); props.Remove("exclude"); props.Remove("pool"); }
        else if (r.Bool("all")) { props.Remove("vmid"); props.Remove("pool"); }
        else if (r.Get("pool") is not null) { props.Remove("vmid"); props.Remove("all"); props.Remove("exclude"); }
        if (props.GetValueOrDefault("all") is 0) props.Remove("all");
        CheckJob(props, r.Identity.TaskUser);
        job.Props.Clear();
        foreach (var (k, v) in props) job.Props[k] = v;
        return new ApiResponse(null);
    }

    /// <summary>Guests no backup job covers (by VMID list, all with exclude, or pool), by VMID.</summary>
    private JsonArray NotBackedUp()
    {
        var covered = new HashSet<int>();
        foreach (var job in cluster.BackupJobs.Values)
        {
            var p = job.Props;
            if (p.GetValueOrDefault("vmid") is string vmids) foreach (var v in SplitList(vmids)) covered.Add(int.Parse(v, CultureInfo.InvariantCulture));
            else if (p.GetValueOrDefault("pool") is string pool && cluster.Pools.TryGetValue(pool, out var members)) covered.UnionWith(members.Vmids);
            else if (p.GetValueOrDefault("all") is 1)
            {
                var exclude = SplitList(p.GetValueOrDefault("exclude") as string).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToHashSet();
                var node = p.GetValueOrDefault("node") as string;
                covered.UnionWith(cluster.GuestMap.Values.Where(g => !exclude.Contains(g.Vmid) && (node is null || g.Node == node)).Select(g => g.Vmid));
            }
        }
        var list = new JsonArray();
        foreach (var g in cluster.GuestMap.Values.Where(g => !covered.Contains(g.Vmid)))
            list.Add(new JsonObject { ["vmid"] = g.Vmid, ["type"] = g.Type, ["name"] = g.Name });
        return list;
    }

    // ---- pools (user.cfg) -------------------------------------------------------------------------------

    private SimPool RequirePool(string poolId) =>
        cluster.Pools.GetValueOrDefault(poolId) ?? throw PveError.Server($"pool '{poolId}' does not exist");

    private ApiResponse PoolList(ApiRequest r)
    {
        var list = new JsonArray();
        if (r.Get("poolid") is { } poolId)
        {
            list.Add(PoolJson(RequirePool(poolId), r.Get("type")));
            return list;
        }
        foreach (var p in cluster.Pools.Values)
        {
            var o = new JsonObject { ["poolid"] = p.PoolId };
            if (p.Comment is { } c) o["comment"] = c;
            list.Add(o);
        }
        return list;
    }

    /// <summary>A pool with its members as extract_vm_stats / extract_storage_stats describe them (the local node's view of a storage).</summary>
    private JsonObject PoolJson(SimPool p, string? type)
    {
        var members = new JsonArray();
        if (type is null or "qemu" or "lxc")
            foreach (var vmid in p.Vmids)
                if (cluster.GuestMap.TryGetValue(vmid, out var g) && (type is null || g.Type == type)) members.Add(GuestResource(g));
        if (type is null or "storage")
        {
            var usage = cluster.StorageUsage();
            var local = cluster.Nodes.FirstOrDefault(n => n.Local)?.Name ?? cluster.Nodes[0].Name;
            foreach (var id in p.Storages)
            {
                var s = cluster.FindStorage(local, id) ?? cluster.Storages.FirstOrDefault(x => x.Storage == id);
                if (s is not null) members.Add(StorageResource(s, usage));
            }
        }
        var o = new JsonObject { ["poolid"] = p.PoolId, ["members"] = members };
        if (p.Comment is { } c) o["comment"] = c;
        return o;
    }

    private ApiResponse PoolCreate(ApiRequest r)
    {
        var id = r["poolid"];
        if (cluster.Pools.ContainsKey(id)) throw PveError.Server($"pool '{id}' already exists");
        cluster.Pools[id] = new SimPool { PoolId = id, Comment = r.Get("comment") };
        return new ApiResponse(null);
    }

    private ApiResponse PoolUpdate(ApiRequest r, string poolId)
    {
        var pool = RequirePool(poolId);
        var remove = r.Bool("delete");
        if (r.Get("comment") is { } comment) pool.Comment = comment;
        foreach (var text in SplitList(r.Get("vms")))
        {
            var vmid = int.Parse(text, CultureInfo.InvariantCulture);
            if (remove)
            {
                if (!pool.Vmids.Remove(vmid)) throw PveError.Server($"VM {vmid} is not a pool member");
                continue;
            }
            if (!cluster.GuestMap.ContainsKey(vmid)) throw PveError.Server($"VM {vmid} does not exist");
            if (cluster.Pools.Values.FirstOrDefault(x => x.Vmids.Contains(vmid)) is { } other && other != pool)
            {
                if (!r.Bool("allow-move")) throw PveError.Server($"VM {vmid} belongs already to pool '{other.PoolId}' and 'allow-move' is not set");
                other.Vmids.Remove(vmid);
            }
            pool.Vmids.Add(vmid);
        }
        foreach (var storage in SplitList(r.Get("storage")))
        {
            if (remove)
            {
                if (!pool.Storages.Remove(storage)) throw PveError.Server($"Storage '{storage}' is not a pool member");
                continue;
            }
            if (!pool.Storages.Add(storage)) throw PveError.Server($"Storage '{storage}' is already a pool member");
        }
        return new ApiResponse(null);
    }

    private ApiResponse PoolDelete(string poolId)
    {
        var pool = RequirePool(poolId);
        if (pool.Vmids.FirstOrDefault(cluster.GuestMap.ContainsKey) is var vmid and > 0)
            throw PveError.Server($"pool '{poolId}' is not empty (contains VM {vmid})");
        if (pool.Storages.FirstOrDefault(cluster.StorageConfigs.ContainsKey) is { } storage)
            throw PveError.Server($"pool '{poolId}' is not empty (contains storage '{storage}')");
        cluster.Pools.Remove(poolId);
        return new ApiResponse(null);
    }

    private (Dictionary<int, string> Guests, Dictionary<string, string> Storages) PoolMembership()
    {
        var guests = new Dictionary<int, string>();
        var storages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in cluster.Pools.Values)
        {
            foreach (var v in p.Vmids) guests[v] = p.PoolId;
            foreach (var s in p.Storages) storages[s] = p.PoolId;
        }
        return (guests, storages);
    }

    /// <summary>SDN entries of cluster/resources: one per applied zone and node (plus localnetwork), as pvestatd reports them.</summary>
    private IEnumerable<JsonObject> SdnResources()
    {
        foreach (var n in cluster.Nodes)
        {
            var status = n.Online ? "ok" : "unknown";
            yield return new JsonObject
            {
                ["id"] = $"sdn/{n.Name}/localnetwork", ["sdn"] = "localnetwork", ["node"] = n.Name, ["type"] = "sdn", ["status"] = status,
            };
            foreach (var z in cluster.Sdn.RunningZones.Values)
            {
                yield return new JsonObject
                {
                    ["id"] = $"sdn/{n.Name}/{z.Id}", ["sdn"] = z.Id, ["node"] = n.Name, ["type"] = "sdn", ["status"] = status,
                    ["network"] = z.Id, ["network-type"] = "zone", ["zone-type"] = z.Type,
                };
            }
        }
    }

    private static long SwapUsed(SimNode n) => SimulatedCluster.NodeSwapUsed(n);

    private static long KsmShared(SimNode n, long memUsed) => memUsed > n.MaxMem * 0.8 ? (long)(memUsed * 0.05) : 0;
}
