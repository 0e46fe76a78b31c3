using System.Globalization;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>
/// POST /nodes/{node}/qemu with "archive" (qmrestore; the route is registered with qemu create in PveApi.Guests.cs),
/// vzdump, extractconfig and prune-backups.
/// </summary>
internal sealed partial class PveApi
{
    private ApiResponse RestoreQemu(ApiRequest r) => Upid(cluster.Restore(NodeOf(r), r.Params, r.Identity.TaskUser));

    private IEnumerable<ApiRoute> VzdumpRoutes() =>
    [
        new ApiRoute("POST", "nodes/{node}/vzdump", r => Upid(cluster.Vzdump(NodeOf(r), r.Params, r.Identity.TaskUser))),
        new ApiRoute("GET", "nodes/{node}/vzdump/extractconfig", r =>
            JsonValue.Create(cluster.BackupConfigText(cluster.RequireBackupVolume(r.Node, Uri.UnescapeDataString(r["volume"]))))),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}/prunebackups", PruneList),
        new ApiRoute("DELETE", "nodes/{node}/storage/{storage}/prunebackups", r =>
        {
            var (s, keep, vmid, type) = PruneArgs(r);
            return Upid(cluster.PruneTask(s, keep, vmid, type, r.Identity.TaskUser));
        }),
    ];

    private (SimStorage Storage, Dictionary<string, int> Keep, int? Vmid, string? Type) PruneArgs(ApiRequest r)
    {
        var s = RequireActiveStorage(r.Node, r["storage"]);
        if (!s.Content.Split(',').Contains("backup")) throw PveError.Server($"storage '{s.Storage}' does not support backups");
        var vmid = r.Get("vmid") is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : (int?)null;
        return (s, cluster.PruneKeep(s.Storage, r.Get("prune-backups")), vmid, r.Get("type"));
    }

    private ApiResponse PruneList(ApiRequest r)
    {
        var (s, keep, vmid, type) = PruneArgs(r);
        var list = new JsonArray();
        foreach (var m in cluster.PruneMarks(s, keep, vmid, type))
        {
            var o = new JsonObject { ["volid"] = m.Volume.VolId, ["type"] = m.Type, ["ctime"] = m.CTime, ["mark"] = m.Mark };
            if (m.Vmid is { } id) o["vmid"] = id;
            list.Add(o);
        }
        return list;
    }
}
