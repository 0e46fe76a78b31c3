using System.Globalization;
using System.Text.RegularExpressions;

namespace Moxxie.Core.Proxmox;

/// <summary>One pending change (GET …/pending): the current value, the value waiting for a restart/hotplug, or a pending delete.</summary>
public sealed record PendingChange(string Key, string? Value, string? Pending, bool Delete);

/// <summary>
/// Typed view of a guest config (GET /nodes/{node}/{qemu|lxc}/{vmid}/config): disks and NICs parsed from their property
/// strings, boot order, OS type, CPU, memory/balloon, protection, start at boot, agent, tags and pending changes.
/// <see cref="Raw"/> keeps every key as PVE sent it, so nothing is lost.
/// </summary>
public sealed record GuestConfig(
    int VmId,
    GuestType Type,
    string? Name,
    string? Description,
    string? OsType,
    int? Cores,
    int? Sockets,
    int? Vcpus,
    CpuOption? Cpu,
    double? CpuLimit,
    long? MemoryMb,
    long? BalloonMb,
    long? SwapMb,
    IReadOnlyList<string> BootOrder,
    IReadOnlyList<GuestDisk> Disks,
    IReadOnlyList<GuestNic> Nics,
    IReadOnlyList<IpConfig> IpConfigs,
    bool Protection,
    bool OnBoot,
    AgentOption? Agent,
    IReadOnlyList<string> Tags,
    bool Template,
    string? Lock,
    StartupOption? Startup,
    string? Bios,
    string? Machine,
    string? ScsiHw,
    string? CloudInitUser,
    string? Digest,
    IReadOnlyDictionary<string, string> Raw,
    IReadOnlyList<PendingChange> Pending)
{
    private static readonly Regex NetKey = new("^net\\d+$", RegexOptions.CultureInvariant);
    private static readonly Regex IpConfigKey = new("^ipconfig\\d+$", RegexOptions.CultureInvariant);

    /// <summary>Balloon device disabled (<c>balloon: 0</c>): memory is fixed.</summary>
    public bool BalloonDisabled => BalloonMb == 0;

    public static GuestConfig Parse(int vmId, GuestType type, IReadOnlyDictionary<string, string> raw, IReadOnlyList<PendingChange>? pending = null)
    {
        string? S(string key) => raw.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        int? I(string key) => int.TryParse(S(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
        long? Mem(string key) => S(key) is { } v && long.TryParse(PropertyString.Parse(v) is var p && p.DefaultValue is { } d ? d : p["current"],
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
        bool B(string key) => PropertyString.ParseBool(S(key)) ?? false;

        var disks = raw.Where(kv => GuestDisk.IsDiskKey(kv.Key)).Select(kv => GuestDisk.Parse(kv.Key, kv.Value))
            .OrderBy(d => d.IsUnused).ThenBy(d => d.Key == "rootfs" ? 0 : 1).ThenBy(d => d.Bus, StringComparer.Ordinal).ThenBy(d => d.Index).ToList();
        var nics = raw.Where(kv => NetKey.IsMatch(kv.Key)).Select(kv => GuestNic.Parse(kv.Key, kv.Value)).OrderBy(n => n.Index).ToList();
        var ipConfigs = raw.Where(kv => IpConfigKey.IsMatch(kv.Key)).Select(kv => IpConfig.Parse(kv.Key, kv.Value)).OrderBy(c => c.Index).ToList();
        double? cpuLimit = double.TryParse(S("cpulimit"), NumberStyles.Float, CultureInfo.InvariantCulture, out var cl) ? cl : null;
        var tags = S("tags") is { } t ? t.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return new GuestConfig(
            vmId, type,
            S("name") ?? S("hostname"),
            S("description"),
            S("ostype"),
            I("cores"), I("sockets"), I("vcpus"),
            CpuOption.Parse(S("cpu")),
            cpuLimit,
            Mem("memory"), Mem("balloon"), Mem("swap"),
            Proxmox.BootOrder.Parse(S("boot"), S("bootdisk")),
            disks, nics, ipConfigs,
            B("protection"), B("onboot"),
            AgentOption.Parse(S("agent")),
            tags,
            B("template"),
            S("lock"),
            StartupOption.Parse(S("startup")),
            S("bios"), S("machine"), S("scsihw"), S("ciuser"), S("digest"),
            raw, pending ?? []);
    }
}
