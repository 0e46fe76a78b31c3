using System.Text.RegularExpressions;

namespace Moxxie.Core.Proxmox;

/// <summary>A guest disk (qemu <c>scsi0</c>/<c>virtio1</c>/<c>sata0</c>/<c>ide2</c>/<c>efidisk0</c>/<c>tpmstate0</c>/<c>unusedN</c>,
/// lxc <c>rootfs</c>/<c>mpN</c>) parsed from its property string.</summary>
public sealed record GuestDisk(
    string Key,
    string Bus,
    int Index,
    string Volume,
    string? Storage,
    long? SizeBytes,
    string? Size,
    string? Format,
    string? Cache,
    bool? IoThread,
    bool? Discard,
    bool? Ssd,
    bool? Backup,
    bool? Replicate,
    bool IsCdrom,
    bool IsUnused,
    string? MountPoint,
    IReadOnlyDictionary<string, string> Options)
{
    private static readonly Regex KeyPattern = new("^(?<bus>[a-z]+?)(?<index>\\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Config keys that hold disks (qemu and lxc).</summary>
    public static bool IsDiskKey(string key) =>
        KeyPattern.Match(key) is { Success: true } m && m.Groups["bus"].Value is "scsi" or "virtio" or "sata" or "ide" or "efidisk" or "tpmstate" or "unused" or "mp"
        || key == "rootfs";

    public static GuestDisk Parse(string key, string value)
    {
        var p = PropertyString.Parse(value);
        var m = KeyPattern.Match(key);
        var bus = m.Success ? m.Groups["bus"].Value : key;
        var index = m.Success ? int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var volume = p.DefaultValue ?? p["file"] ?? p["volume"] ?? "";
        var colon = volume.IndexOf(':');
        var storage = colon > 0 && !volume.StartsWith('/') ? volume[..colon] : null;
        var media = p["media"];
        var isCdrom = media == "cdrom" || volume is "cdrom" || (volume == "none" && bus == "ide");
        var options = p.Pairs.Where(kv => kv.Key is not "file" and not "volume").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new GuestDisk(key, bus, index, volume, storage, PropertyString.ParseSize(p["size"]), p["size"], p["format"], p["cache"],
            p.Bool("iothread"), p["discard"] is { } d ? d == "on" : null, p.Bool("ssd"), p.Bool("backup"), p.Bool("replicate"),
            isCdrom, bus == "unused", p["mp"], options);
    }
}

/// <summary>A guest NIC (qemu <c>netN: virtio=MAC,bridge=vmbr0,tag=10,firewall=1</c>, lxc <c>netN: name=eth0,bridge=…,hwaddr=…,ip=…</c>).</summary>
public sealed record GuestNic(
    string Key,
    int Index,
    string? Model,
    string? MacAddress,
    string? Bridge,
    int? VlanTag,
    bool? Firewall,
    bool? LinkDown,
    int? Mtu,
    double? RateMbps,
    int? Queues,
    string? Name,
    string? Ip,
    string? Gateway,
    string? Ip6,
    string? Gateway6,
    IReadOnlyDictionary<string, string> Options)
{
    private static readonly HashSet<string> QemuModels =
    [
        "e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e", "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci",
        "pcnet", "rtl8139", "virtio", "vmxnet3",
    ];

    public static GuestNic Parse(string key, string value)
    {
        var p = PropertyString.Parse(value);
        var index = int.TryParse(key.AsSpan(3), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : 0;
        string? model = p["model"];
        string? mac = p["macaddr"] ?? p["hwaddr"];
        foreach (var (k, v) in p.Pairs)
        {
            if (!QemuModels.Contains(k)) continue;
            model = k;
            mac ??= v.Length > 0 ? v : null;
            break;
        }
        if (model is null && p.DefaultValue is { } dv && QemuModels.Contains(dv)) model = dv;
        var options = p.Pairs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        double? rate = double.TryParse(p["rate"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : null;
        return new GuestNic(key, index, model, mac, p["bridge"], p.Int("tag"), p.Bool("firewall"), p.Bool("link_down"), p.Int("mtu"), rate,
            p.Int("queues"), p["name"], p["ip"], p["gw"], p["ip6"], p["gw6"], options);
    }
}

/// <summary>Cloud-init network settings of one NIC (<c>ipconfigN: ip=192.168.1.5/24,gw=192.168.1.1,ip6=auto</c>).</summary>
public sealed record IpConfig(string Key, int Index, string? Ip, string? Gateway, string? Ip6, string? Gateway6)
{
    public bool Dhcp => Ip == "dhcp";

    public static IpConfig Parse(string key, string value)
    {
        var p = PropertyString.Parse(value);
        var index = int.TryParse(key.AsSpan("ipconfig".Length), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : 0;
        return new IpConfig(key, index, p["ip"], p["gw"], p["ip6"], p["gw6"]);
    }
}

/// <summary>Boot order: <c>order=scsi0;ide2;net0</c> (PVE 6.2+), or the legacy <c>boot: cdn</c> + <c>bootdisk</c> form.</summary>
public static class BootOrder
{
    public static IReadOnlyList<string> Parse(string? boot, string? bootDisk = null)
    {
        if (string.IsNullOrWhiteSpace(boot)) return bootDisk is { Length: > 0 } ? [bootDisk] : [];
        var p = PropertyString.Parse(boot);
        if (p["order"] is { } order)
            return order.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Legacy: letters c (disk), d (cdrom), n (network).
        var legacy = p.DefaultValue ?? boot;
        if (!Regex.IsMatch(legacy, "^[acdn]{1,4}$")) return [];
        var result = new List<string>();
        foreach (var c in legacy)
        {
            var item = c switch { 'c' => bootDisk ?? "disk", 'd' => "cdrom", 'n' => "net", 'a' => "floppy", _ => null };
            if (item is not null) result.Add(item);
        }
        return result;
    }
}

/// <summary>QEMU guest agent option (<c>agent: 1</c> or <c>enabled=1,fstrim_cloned_disks=1,type=virtio</c>).</summary>
public sealed record AgentOption(bool Enabled, bool? FsTrimClonedDisks, bool? FreezeFs, string? Type)
{
    public static AgentOption? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var p = PropertyString.Parse(value);
        var enabled = p.Bool("enabled") ?? PropertyString.ParseBool(p.DefaultValue) ?? false;
        return new AgentOption(enabled, p.Bool("fstrim_cloned_disks"), p.Bool("freeze-fs") ?? p.Bool("freeze-fs-on-backup"), p["type"]);
    }
}

/// <summary>CPU type option (<c>cpu: host</c> or <c>cputype=x86-64-v2-AES,flags=+aes;-pcid,hidden=1</c>).</summary>
public sealed record CpuOption(string Type, IReadOnlyList<string> Flags, bool? Hidden)
{
    public static CpuOption? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var p = PropertyString.Parse(value);
        var flags = p["flags"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new CpuOption(p["cputype"] ?? p.DefaultValue ?? "", flags, p.Bool("hidden"));
    }
}

/// <summary>Start-up order option (<c>startup: order=1,up=30,down=60</c>).</summary>
public sealed record StartupOption(int? Order, int? UpSeconds, int? DownSeconds)
{
    public static StartupOption? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var p = PropertyString.Parse(value);
        return new StartupOption(p.Int("order"), p.Int("up"), p.Int("down"));
    }
}
