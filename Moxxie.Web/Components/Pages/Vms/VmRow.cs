using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>One VM row of the list, flattened so the grid can sort by each column.</summary>
public sealed record VmRow(
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
    long Uptime,
    IReadOnlyList<string> Tags,
    string? Lock)
{
    /// <summary>Unique across connections.</summary>
    public string Key => $"{Connection}/{VmId}";

    public double MemFraction => Usage.Fraction(Mem, MaxMem);

    public double DiskFraction => Usage.Fraction(Disk, MaxDisk);

    /// <summary>Tags joined, so the grid can sort by them.</summary>
    public string TagText => string.Join(' ', Tags);

    /// <summary>
    /// Identity is the VM (<see cref="Key"/>), not its current numbers: the grid keys its rows by item, so value
    /// equality would replace every row's DOM on each inventory refresh and a click landing mid-refresh would be lost.
    /// </summary>
    public bool Equals(VmRow? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public static VmRow From(VmView v)
    {
        var g = v.Guest;
        return new VmRow(v.Connection, g.VmId, g.Name, g.Node, g.Type, g.Status, g.Template, g.Cpu, g.MaxCpu,
            g.Mem, g.MaxMem, g.Disk, g.MaxDisk, g.Uptime, g.Tags, g.Lock);
    }
}

/// <summary>A row action the user asked for.</summary>
public sealed record VmActionRequest(VmRow Vm, PowerAction Action);
