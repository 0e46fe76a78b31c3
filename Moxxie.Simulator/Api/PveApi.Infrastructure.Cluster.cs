using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>Cluster-wide infrastructure: pools, SDN, backup jobs; helpers for cluster/resources and node status.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> ClusterInfraRoutes() => [];

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
