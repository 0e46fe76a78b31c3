namespace Moxxie.Simulator.Model;

/// <summary>A guest snapshot: the config at that time (raw values), its parent and whether RAM was saved.</summary>
internal sealed class SimSnapshot
{
    public required string Name { get; init; }
    public string? Parent { get; set; }
    public string Description { get; set; } = "";
    public required long SnapTime { get; init; }
    public bool VmState { get; init; }
    public string? SnapState { get; set; }                 // "prepare" / "delete" while a task works on it
    public required SortedDictionary<string, string> Config { get; init; }
}
