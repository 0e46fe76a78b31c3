namespace Moxxie.Simulator.Model;

/// <summary>A storage as seen on one node (shared storages appear once per node, as in PVE).</summary>
internal sealed class SimStorage
{
    public required string Storage { get; init; }
    public required string Node { get; init; }
    public required string PluginType { get; init; }
    public required string Content { get; init; }
    public required bool Shared { get; init; }
    public required long Total { get; init; }
    public required long Used { get; init; }
}
