namespace Moxxie.Simulator.Model;

/// <summary>An entry of /etc/pve/ha/resources.cfg ("vm:101" or "ct:200").</summary>
internal sealed class SimHaResource
{
    public required string Sid { get; init; }              // "vm:101"
    public required string Type { get; init; }             // "vm" | "ct"
    public required int Vmid { get; init; }
    public string State { get; set; } = "started";
    public string? Group { get; set; }
    public string? Comment { get; set; }
    public int MaxRestart { get; set; } = 1;
    public int MaxRelocate { get; set; } = 1;
    public bool? Failback { get; set; }
}
