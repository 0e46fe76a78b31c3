namespace Moxxie.Simulator.Model;

/// <summary>A storage as seen on one node (shared storages appear once per node, as in PVE).</summary>
internal sealed class SimStorage
{
    public required string Storage { get; init; }
    public required string Node { get; init; }
    public required string PluginType { get; init; }
    public required string Content { get; set; }
    public required bool Shared { get; init; }
    public required long Total { get; set; }

    /// <summary>Usage the preset starts with; the served figure is <c>SimulatedCluster.StorageUsed</c> (content-driven).</summary>
    public required long Used { get; init; }

    /// <summary>Space taken by things that are not listed content (file-system overhead, other data); set when seeding.</summary>
    public long BaseUsed { get; set; }

    /// <summary>Used bytes fixed by the runtime control (POST /_sim/nodes/{node}/storage/{storage}/usage); null: content-driven.</summary>
    public long? UsedOverride { get; set; }
}
