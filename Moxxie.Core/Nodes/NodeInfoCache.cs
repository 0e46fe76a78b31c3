using System.Collections.Concurrent;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Nodes;

/// <summary>Singleton: the last GET /nodes/{node}/status per node, kept for <see cref="Ttl"/> so the node cards show PVE
/// versions without asking PVE on every page view (versions change only with upgrades).</summary>
public sealed class NodeInfoCache(TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string Connection, string Node), (NodeStatusDetail Status, DateTimeOffset At)> _entries = new();

    public void Remember(string connection, string node, NodeStatusDetail status) => _entries[(connection, node)] = (status, time.GetUtcNow());

    /// <summary>The remembered status when younger than <see cref="Ttl"/>, else null.</summary>
    public NodeStatusDetail? Get(string connection, string node) =>
        _entries.TryGetValue((connection, node), out var e) && time.GetUtcNow() - e.At < Ttl ? e.Status : null;
}
