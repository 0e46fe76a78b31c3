namespace Moxxie.Simulator.Model;

/// <summary>An entry of storage.cfg (cluster-wide configuration of one storage).</summary>
internal sealed class SimStorageConfig
{
    public required string Storage { get; init; }
    public required string Type { get; init; }
    public SortedDictionary<string, object> Props { get; init; } = new(StringComparer.Ordinal);
    public bool Disabled => Props.TryGetValue("disable", out var d) && d is 1;
}

/// <summary>A vzdump job in jobs.cfg (GET /cluster/backup).</summary>
internal sealed class SimBackupJob
{
    public required string Id { get; init; }
    public SortedDictionary<string, object> Props { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A resource pool: comment and members (guests by VMID, storages by id).</summary>
internal sealed class SimPool
{
    public required string PoolId { get; init; }
    public string? Comment { get; set; }
    public SortedSet<int> Vmids { get; } = [];
    public SortedSet<string> Storages { get; } = new(StringComparer.Ordinal);
}

/// <summary>An SDN object (zone, vnet or subnet): its id, type and properties. Edited config vs applied ("running").</summary>
internal sealed class SimSdnObject
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public SortedDictionary<string, object> Props { get; init; } = new(StringComparer.Ordinal);

    public SimSdnObject Clone() => new() { Id = Id, Type = Type, Props = new(Props, StringComparer.Ordinal) };
}
