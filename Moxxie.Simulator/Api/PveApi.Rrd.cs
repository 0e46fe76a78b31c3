using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>rrddata of nodes, guests and storages (PVE 9 resolutions; see SimulatedCluster.Rrd.cs).</summary>
internal sealed partial class PveApi
{
    private const string RrdDir = "/var/lib/rrdcached/db";

    private IEnumerable<ApiRoute> RrdRoutes() =>
    [
        new ApiRoute("GET", "nodes/{node}/rrddata", r => RrdJson(cluster.NodeRrd(NodeOf(r), r["timeframe"], IsMax(r)))),
        new ApiRoute("GET", "nodes/{node}/qemu/{vmid}/rrddata", GuestRrd),
        new ApiRoute("GET", "nodes/{node}/lxc/{vmid}/rrddata", GuestRrd),
        new ApiRoute("GET", "nodes/{node}/storage/{storage}/rrddata", StorageRrd),
    ];

    private static bool IsMax(ApiRequest r) => r.Get("cf") == "MAX";

    /// <summary>The RRD file of a VMID exists on every node (pmxcfs broadcasts it), whichever node the guest runs on.</summary>
    private ApiResponse GuestRrd(ApiRequest r)
    {
        var vmid = r.Vmid;
        if (!cluster.GuestMap.TryGetValue(vmid, out var g)) throw RrdMissing($"pve-vm-9.0/{vmid}");
        return RrdJson(cluster.GuestRrd(g, r["timeframe"], IsMax(r)));
    }

    private ApiResponse StorageRrd(ApiRequest r)
    {
        var s = cluster.FindStorage(r.Node, r["storage"]) ?? throw RrdMissing($"pve-storage-9.0/{r.Node}/{r["storage"]}");
        return RrdJson(cluster.StorageRrd(s, r["timeframe"]));
    }

    private static PveError RrdMissing(string file) =>
        PveError.Server($"RRD error: opening '{RrdDir}/{file}': No such file or directory");

    private static JsonArray RrdJson(List<RrdRow> rows)
    {
        var list = new JsonArray();
        foreach (var row in rows)
        {
            var o = new JsonObject { ["time"] = row.Time };
            foreach (var (name, value) in row.Values) o[name] = value;
            list.Add(o);
        }
        return list;
    }
}
