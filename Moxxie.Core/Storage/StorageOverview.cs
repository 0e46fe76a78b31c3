using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Storage;

/// <summary>How one node sees a storage (from /cluster/resources): status "available" when active there.</summary>
public sealed record StorageNodeUsage(string Node, string Status, long Total, long Used)
{
    public bool Active => Status == "available";

    public long Available => Math.Max(0, Total - Used);
}

/// <summary>
/// One storage of one connection: its datacenter configuration (cached) joined with live usage from the inventory.
/// Shared storage counts once (one node's figures); local storage sums the nodes that have it (each node has its own disk).
/// </summary>
public sealed record StorageOverview(
    string Connection,
    string Storage,
    string Type,
    IReadOnlyList<string> Content,
    bool Enabled,
    bool Active,
    bool Shared,
    long Total,
    long Used,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<StorageNodeUsage> PerNode,
    StorageConfig? Config)
{
    public long Available => Math.Max(0, Total - Used);

    public double UsedFraction => Usage.Fraction(Used, Total);

    /// <summary>Storage-specific settings worth showing (path, pool, server, export, …) from the configuration.</summary>
    public string? Location
    {
        get
        {
            if (Config is null) return null;
            if (Config.Server is { } server && Prop("export") is { } export) return $"{server}:{export}";
            if (Prop("thinpool") is { } thin) return $"{Prop("vgname")}/{thin}";
            return Config.Path ?? Prop("pool") ?? Prop("vgname") ?? Prop("datastore");
        }
    }

    /// <summary>The node to browse content through: the first node where the storage is active, else the first node.</summary>
    public string? DefaultNode => PerNode.FirstOrDefault(n => n.Active)?.Node ?? Nodes.FirstOrDefault();

    public bool Supports(string content) => Content.Contains(content, StringComparer.Ordinal);

    private string? Prop(string key) => Config?.Properties.GetValueOrDefault(key);
}

/// <summary>Every storage of every connection, and the connections whose configuration could not be read (usage still shown).</summary>
public sealed record StorageList(IReadOnlyList<StorageOverview> Items, IReadOnlyList<string> Errors, bool Loading);
