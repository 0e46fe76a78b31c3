using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Vms;

/// <summary>
/// One guest as the VM list shows it: PVE's numbers plus what the inventory learnt across polls (CPU history, I/O rates).
/// Equality is by value over everything displayed (tags and CPU history element by element), so a row whose figures did
/// not change between two polls compares equal; <see cref="VmRowCache"/> then keeps the previous instance and the UI
/// re-renders only the rows whose reference changed.
/// </summary>
public sealed record VmListRow(
    string Connection,
    int VmId,
    string Name,
    string Node,
    GuestType Type,
    string Status,
    bool Template,
    double Cpu,
    int MaxCpu,
    long Mem,
    long MaxMem,
    long Disk,
    long MaxDisk,
    double NetInRate,
    double NetOutRate,
    long Uptime,
    IReadOnlyList<string> Tags,
    string? Lock,
    string? HaState,
    IReadOnlyList<double> CpuHistory)
{
    /// <summary>Unique across connections.</summary>
    public string Key => $"{Connection}/{VmId}";

    public bool Running => Status == "running";

    public double MemFraction => Usage.Fraction(Mem, MaxMem);

    public double DiskFraction => Usage.Fraction(Disk, MaxDisk);

    /// <summary>Bytes per second in and out together (the list sorts the network column by it).</summary>
    public double NetRate => NetInRate + NetOutRate;

    public static VmListRow From(string connection, GuestResource g, GuestMetrics metrics) => new(
        connection, g.VmId, g.Name, g.Node, g.Type, g.Status, g.Template, g.Cpu, g.MaxCpu, g.Mem, g.MaxMem, g.Disk, g.MaxDisk,
        metrics.NetInRate, metrics.NetOutRate, g.Uptime, g.Tags, g.Lock, g.HaState, metrics.CpuHistory);

    public bool Equals(VmListRow? other) =>
        other is not null
        && VmId == other.VmId && Connection == other.Connection && Name == other.Name && Node == other.Node && Type == other.Type
        && Status == other.Status && Template == other.Template && Cpu.Equals(other.Cpu) && MaxCpu == other.MaxCpu
        && Mem == other.Mem && MaxMem == other.MaxMem && Disk == other.Disk && MaxDisk == other.MaxDisk
        && NetInRate.Equals(other.NetInRate) && NetOutRate.Equals(other.NetOutRate) && Uptime == other.Uptime
        && Lock == other.Lock && HaState == other.HaState
        && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal) && CpuHistory.SequenceEqual(other.CpuHistory);

    public override int GetHashCode() => HashCode.Combine(Connection, VmId, Status, Cpu, Mem, Uptime);
}
