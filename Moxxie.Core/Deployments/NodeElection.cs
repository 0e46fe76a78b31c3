using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Deployments;

/// <summary>Where a clone may go and which node gets it when the user leaves the choice to Moxxie.</summary>
public static class NodeElection
{
    /// <summary>Nodes that can take the clone: online, and either the source's node or one that sees the target storages
    /// as shared and available (PVE refuses "can't clone VM to node … (VM uses local storage)" otherwise).</summary>
    public static IReadOnlyList<NodeResource> Candidates(ClusterResources resources, string sourceNode, IReadOnlyCollection<string> storages)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(storages);
        return [.. resources.Nodes.Where(n => n.Status == "online" && (n.Node == sourceNode || storages.Count > 0 && storages.All(s =>
            resources.Storage.Any(st => st.Node == n.Node && st.Storage == s && st.Shared && st.Status == "available"))))];
    }

    /// <summary>The candidate with the most free memory (ties: the name, for a stable answer); null when none.</summary>
    public static NodeResource? Elect(IEnumerable<NodeResource> candidates) =>
        candidates.OrderByDescending(FreeMemory).ThenBy(n => n.Node, StringComparer.Ordinal).FirstOrDefault();

    public static long FreeMemory(NodeResource node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Math.Max(0, node.MaxMem - node.Mem);
    }
}
