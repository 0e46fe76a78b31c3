using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>A disk (or CD-ROM / unused volume) of a guest, parsed from its config.</summary>
/// <param name="Key">Config key: scsi0, virtio1, ide2, efidisk0, rootfs, mp0, unused0 …</param>
/// <param name="Volid">"local-zfs:vm-101-disk-0"; "none" for an empty CD-ROM drive.</param>
internal sealed record GuestDisk(string Key, string Volid, string? Storage, long Size, bool Cdrom, bool Unused, bool CloudInit);

/// <summary>
/// Guest configs as PVE keeps them: raw key/value pairs (the .conf file), a [PENDING] section, snapshots, the config
/// lock; creating guests from a config (qemu create, clone, restore) and the lock API other features use.
/// </summary>
public sealed partial class SimulatedCluster
{
    private const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    /// <summary>Keys whose values are JSON numbers in GET …/config (integer, number and boolean in the schema).</summary>
    private static readonly HashSet<string> QemuNumericKeys =
    [
        "acpi", "allow-ksm", "autostart", "balloon", "ciupgrade", "cores", "cpulimit", "cpuunits", "freeze", "keephugepages", "kvm",
        "localtime", "migrate_downtime", "migrate_speed", "numa", "onboot", "protection", "reboot", "shares", "smp", "snaptime",
        "sockets", "tablet", "tdf", "template", "vcpus",
    ];

    private static readonly HashSet<string> LxcNumericKeys =
        ["console", "cores", "cpulimit", "cpuunits", "debug", "memory", "onboot", "protection", "swap", "template", "tty", "unprivileged"];

    private readonly Dictionary<string, SimHaResource> _ha = new(StringComparer.Ordinal);

    // ---- public helpers for tests ------------------------------------------------------------------------

    /// <summary>The guest's current config values (raw, as in the .conf file), without pending changes.</summary>
    public IReadOnlyDictionary<string, string> GuestConfig(int vmid)
    {
        lock (Gate) return new Dictionary<string, string>(ConfigOf(RequireGuest(vmid)), StringComparer.Ordinal);
    }

    /// <summary>Whether the qemu guest agent answers inside a running VM (default true).</summary>
    public void SetGuestAgentRunning(int vmid, bool running)
    {
        lock (Gate) RequireGuest(vmid).AgentRunning = running;
    }

    // ---- config store ------------------------------------------------------------------------------------

    /// <summary>The raw config of a guest (built from the preset's typed values on first use).</summary>
    internal SortedDictionary<string, string> ConfigOf(SimGuest g) => g.ConfigStore ??= InitialConfig(g);

    private static SortedDictionary<string, string> InitialConfig(SimGuest g)
    {
        var c = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var vmid = g.Vmid;
        var disk = g.Template ? $"base-{vmid}-disk-0" : $"vm-{vmid}-disk-0";
        var inv = CultureInfo.InvariantCulture;
        if (g.IsQemu)
        {
            var windows = g.OsType.StartsWith("win", StringComparison.Ordinal);
            c["name"] = g.Name;
            c["boot"] = "order=scsi0;ide2;net0";
            c["cores"] = g.Cores.ToString(inv);
            c["sockets"] = g.Sockets.ToString(inv);
            c["memory"] = (g.MaxMem / MiB).ToString(inv);
            c["cpu"] = "x86-64-v2-AES";
            c["numa"] = "0";
            c["ostype"] = g.OsType;
            c["scsihw"] = "virtio-scsi-single";
            c["scsi0"] = $"{g.DiskStorage}:{disk},iothread=1,size={FormatSize(g.MaxDisk)}";
            c["ide2"] = g.CloudInit ? $"{g.DiskStorage}:vm-{vmid}-cloudinit,media=cdrom" : "none,media=cdrom";
            c["net0"] = $"virtio={g.MacAddress},bridge=vmbr0,firewall=1{(g.NetTag is { } tag ? $",tag={tag}" : "")}";
            c["smbios1"] = $"uuid={g.SmbiosUuid}";
            c["vmgenid"] = g.VmGenId;
            c["meta"] = $"creation-qemu=8.1.5,ctime={g.CreatedAt}";
            if (!g.Template) c["agent"] = "1";
            if (windows)
            {
                c["bios"] = "ovmf";
                c["machine"] = "pc-q35-8.1";
                c["efidisk0"] = $"{g.DiskStorage}:vm-{vmid}-disk-1,efitype=4m,pre-enrolled-keys=1,size=1M";
                c["tpmstate0"] = $"{g.DiskStorage}:vm-{vmid}-disk-2,size=4M,version=v2.0";
            }
            if (g.CloudInit)
            {
                c["ciuser"] = "ubuntu";
                c["ipconfig0"] = "ip=dhcp";
            }
        }
        else
        {
            c["arch"] = "amd64";
            c["hostname"] = g.Name;
            c["cores"] = g.Cores.ToString(inv);
            c["memory"] = (g.MaxMem / MiB).ToString(inv);
            c["swap"] = (g.MaxSwap / MiB).ToString(inv);
            c["ostype"] = g.OsType;
            c["rootfs"] = $"{g.DiskStorage}:{(g.Template ? "basevol" : "subvol")}-{vmid}-disk-0,size={FormatSize(g.MaxDisk)}";
            c["net0"] = $"name=eth0,bridge=vmbr0,firewall=1,hwaddr={g.MacAddress},ip=dhcp{(g.NetTag is { } tag ? $",tag={tag}" : "")},type=veth";
            c["unprivileged"] = "1";
            c["features"] = "nesting=1";
        }
        if (g.OnBoot) c["onboot"] = "1";
        if (g.Protection) c["protection"] = "1";
        if (g.Description is { } d) c["description"] = d;
        if (g.Tags.Length > 0) c["tags"] = g.Tags;
        if (g.Template) c["template"] = "1";
        return c;
    }

    /// <summary>Brings the typed properties (used by lists, status and counters) in line with the config.</summary>
    internal void SyncFields(SimGuest g)
    {
        var c = ConfigOf(g);
        var inv = CultureInfo.InvariantCulture;
        int Int(string key, int fallback) => c.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, inv, out var n) ? n : fallback;
        if (g.IsQemu)
        {
            g.Name = c.GetValueOrDefault("name") ?? $"VM {g.Vmid}";
            g.Sockets = Int("sockets", 1);
            g.MaxMem = ParseMemory(c.GetValueOrDefault("memory")) ?? 2048 * MiB;
            g.OsType = c.GetValueOrDefault("ostype") ?? "other";
        }
        else
        {
            g.Name = c.GetValueOrDefault("hostname") ?? $"CT{g.Vmid}";
            g.MaxMem = Int("memory", 512) * MiB;
            g.MaxSwap = Int("swap", 512) * MiB;
            g.OsType = c.GetValueOrDefault("ostype") ?? "unmanaged";
        }
        g.Cores = Int("cores", 1);
        g.MaxDisk = BootDisk(g)?.Size ?? 0;
        g.Tags = c.GetValueOrDefault("tags") ?? "";
        g.OnBoot = c.TryGetValue("onboot", out var ob) && ParamBool(ob);
        g.Protection = c.TryGetValue("protection", out var p) && ParamBool(p);
        g.Template = c.TryGetValue("template", out var t) && ParamBool(t);
        g.Description = c.GetValueOrDefault("description");
    }

    private static long? ParseMemory(string? value)
    {
        if (value is null) return null;
        var v = value.StartsWith("current=", StringComparison.Ordinal) ? value[8..] : value;
        var comma = v.IndexOf(',');
        if (comma >= 0) v = v[..comma];
        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib * MiB : null;
    }

    /// <summary>The config as JSON-typed values (numbers for integer/boolean keys), as GET …/config answers.</summary>
    internal static object TypedValue(SimGuest g, string key, string value)
    {
        var numeric = g.IsQemu ? QemuNumericKeys : LxcNumericKeys;
        if (!numeric.Contains(key)) return value;
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return value;
    }

    /// <summary>The .conf file text: description as comments, keys, [PENDING], then one section per snapshot.</summary>
    internal string ConfigText(SimGuest g)
    {
        var sb = new StringBuilder();
        void Section(IReadOnlyDictionary<string, string> c, string? lockName, string? parent)
        {
            if (c.TryGetValue("description", out var d))
                foreach (var line in d.Split('\n')) sb.Append('#').Append(line).Append('\n');
            foreach (var (k, v) in c)
                if (k != "description") sb.Append(k).Append(": ").Append(v).Append('\n');
            if (lockName is not null) sb.Append("lock: ").Append(lockName).Append('\n');
            if (parent is not null) sb.Append("parent: ").Append(parent).Append('\n');
        }
        Section(ConfigOf(g), g.Lock, g.Parent);
        if (g.Pending.Count > 0 || g.PendingDelete.Count > 0)
        {
            sb.Append("\n[PENDING]\n");
            foreach (var (k, v) in g.Pending) sb.Append(k).Append(": ").Append(v).Append('\n');
            if (g.PendingDelete.Count > 0)
                sb.Append("delete: ").Append(string.Join(',', g.PendingDelete.Select(kv => kv.Value ? "!" + kv.Key : kv.Key))).Append('\n');
        }
        foreach (var s in g.Snapshots)
        {
            sb.Append('\n').Append('[').Append(s.Name).Append("]\n");
            Section(s.Config, null, s.Parent);
            if (s.SnapState is { } st) sb.Append("snapstate: ").Append(st).Append('\n');
            sb.Append("snaptime: ").Append(s.SnapTime.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>SHA-1 of the .conf file, as PVE returns in "digest" and checks for the "digest" parameter.</summary>
    internal string DigestOf(SimGuest g) => Presets.Digest(ConfigText(g));

    // ---- disks -------------------------------------------------------------------------------------------

    [GeneratedRegex(@"^(?:(?:scsi|virtio|sata|ide)\d+|efidisk0|tpmstate0|unused\d+)$")]
    private static partial Regex QemuDiskKeyRegex();

    [GeneratedRegex(@"^(?:rootfs|mp\d+|unused\d+)$")]
    private static partial Regex LxcDiskKeyRegex();

    internal static bool IsDiskKey(SimGuest g, string key) => (g.IsQemu ? QemuDiskKeyRegex() : LxcDiskKeyRegex()).IsMatch(key);

    /// <summary>Disks, CD-ROMs and unused volumes of a config, in key order.</summary>
    internal static IReadOnlyList<GuestDisk> DisksOf(SimGuest g, IReadOnlyDictionary<string, string> config)
    {
        var list = new List<GuestDisk>();
        foreach (var (key, value) in config)
        {
            if (!IsDiskKey(g, key)) continue;
            var unused = key.StartsWith("unused", StringComparison.Ordinal);
            var parts = value.Split(',');
            var volid = parts[0].StartsWith("volume=", StringComparison.Ordinal) ? parts[0][7..] : parts[0];
            var options = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            var cdrom = options.GetValueOrDefault("media") == "cdrom" || volid is "cdrom";
            var colon = volid.IndexOf(':');
            var storage = colon > 0 && volid != "none" ? volid[..colon] : null;
            var cloudInit = volid.Contains("cloudinit", StringComparison.Ordinal);
            var size = options.TryGetValue("size", out var s) ? ParseSize(s) ?? 0 : cloudInit ? 4 * MiB : 0;
            list.Add(new GuestDisk(key, volid, storage, size, cdrom && !cloudInit, unused, cloudInit));
        }
        return list;
    }

    internal IReadOnlyList<GuestDisk> DisksOf(SimGuest g) => DisksOf(g, ConfigOf(g));

    /// <summary>The disk PVE reports as maxdisk: the first disk in the boot order, else the first disk (rootfs for CTs).</summary>
    private GuestDisk? BootDisk(SimGuest g)
    {
        var disks = DisksOf(g).Where(d => !d.Cdrom && !d.Unused && !d.CloudInit && d.Key is not ("efidisk0" or "tpmstate0")).ToList();
        if (!g.IsQemu) return disks.FirstOrDefault(d => d.Key == "rootfs");
        if (ConfigOf(g).GetValueOrDefault("boot") is { } boot && boot.StartsWith("order=", StringComparison.Ordinal))
            foreach (var key in boot[6..].Split(';'))
                if (disks.FirstOrDefault(d => d.Key == key) is { } hit) return hit;
        return disks.FirstOrDefault();
    }

    /// <summary>"32G", "1M", "1.5T" → bytes (PVE's disk size syntax; plain numbers are bytes).</summary>
    internal static long? ParseSize(string text)
    {
        var m = Regex.Match(text, @"^(\d+(?:\.\d+)?)([KMGT])?$");
        if (!m.Success) return null;
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value switch { "K" => KiB, "M" => MiB, "G" => GiB, "T" => 1024 * GiB, _ => 1L };
        return (long)(n * unit);
    }

    /// <summary>PVE::JSONSchema::format_size: the largest unit that divides the size exactly.</summary>
    internal static string FormatSize(long bytes)
    {
        if (bytes % KiB != 0) return bytes.ToString(CultureInfo.InvariantCulture);
        var kb = bytes / KiB;
        if (kb % 1024 != 0) return $"{kb}K";
        var mb = kb / 1024;
        if (mb % 1024 != 0) return $"{mb}M";
        var gb = mb / 1024;
        if (gb % 1024 != 0) return $"{gb}G";
        return $"{gb / 1024}T";
    }

    /// <summary>Human sizes as PVE's render_bytes prints them in task logs ("1.2 GiB", "512.0 MiB").</summary>
    internal static string HumanBytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var i = 0;
        while (bytes >= 1024 && i < units.Length - 1) { bytes /= 1024; i++; }
        return bytes.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[i];
    }

    internal SimStorage? StorageOn(string node, string storage) =>
        Storages.FirstOrDefault(s => s.Node == node && s.Storage == storage);

    /// <summary>Checks a storage can hold guest disks on that node; returns PVE's message or null.</summary>
    internal string? CheckImageStorage(string node, string storage, string type)
    {
        var s = StorageOn(node, storage);
        if (s is null)
            return Storages.Any(x => x.Storage == storage) ? $"storage '{storage}' is not available on node '{node}'" : $"storage '{storage}' does not exist";
        var content = type == "qemu" ? "images" : "rootdir";
        return s.Content.Split(',').Contains(content) ? null : $"storage '{storage}' does not support content-type '{content}'";
    }

    /// <summary>Next free "vm-&lt;vmid&gt;-disk-N" name on a storage, looking at all configs (incl. snapshots) of that VMID.</summary>
    private string NewVolume(SimGuest g, string storage, string prefix = "vm")
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<IReadOnlyDictionary<string, string>> configs = [ConfigOf(g), g.Pending, .. g.Snapshots.Select(s => s.Config)];
        foreach (var c in configs)
            foreach (var d in DisksOf(g, c))
                used.Add(d.Volid[(d.Volid.IndexOf(':') + 1)..].Split('/').Last());
        var plugin = Storages.FirstOrDefault(s => s.Storage == storage)?.PluginType;
        var kind = g.IsQemu ? "disk" : "disk";
        var basePrefix = !g.IsQemu && plugin is "zfspool" or "dir" ? "subvol" : prefix;
        for (var n = 0; ; n++)
        {
            var name = $"{basePrefix}-{g.Vmid}-{kind}-{n}";
            var file = plugin == "dir" || plugin == "nfs" ? $"{g.Vmid}/{name}.{(g.IsQemu ? "qcow2" : "raw")}" : name;
            if (!used.Contains(file.Split('/').Last())) return $"{storage}:{file}";
        }
    }

    /// <summary>
    /// "local-lvm:32" (new disk of 32 GiB, PVE's create syntax) → "local-lvm:vm-105-disk-0,size=32G" plus the given options.
    /// Other values are returned unchanged. Throws PveError with PVE's message when the storage cannot hold the disk.
    /// </summary>
    private string AllocateIfNew(SimGuest g, string key, string value, List<string>? log)
    {
        if (!IsDiskKey(g, key) || key.StartsWith("unused", StringComparison.Ordinal)) return value;
        var parts = value.Split(',');
        var first = parts[0].StartsWith("volume=", StringComparison.Ordinal) ? parts[0][7..] : parts[0];
        var m = Regex.Match(first, @"^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$", RegexOptions.IgnoreCase);
        if (!m.Success) return value;
        var storage = m.Groups[1].Value;
        if (CheckImageStorage(g.Node, storage, g.Type) is { } error) throw PveError.Server(error);
        var gib = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var size = key switch
        {
            "efidisk0" => 1 * MiB,
            "tpmstate0" => 4 * MiB,
            _ => (long)(gib * GiB),
        };
        var volid = NewVolume(g, storage);
        var options = parts.Skip(1).Where(p => !p.StartsWith("size=", StringComparison.Ordinal) && !p.StartsWith("import-from=", StringComparison.Ordinal));
        var result = string.Join(',', [volid, .. options, $"size={FormatSize(size)}"]);
        if (log is not null)
        {
            if (StorageOn(g.Node, storage)?.PluginType is "lvmthin" or "lvm")
                log.Add($"  Logical volume \"{volid[(volid.IndexOf(':') + 1)..]}\" created.");
            log.Add($"{key}: successfully created disk '{result}'");
        }
        return result;
    }

    // ---- creating guests ---------------------------------------------------------------------------------

    /// <summary>
    /// Creates a guest from a PVE config (raw key → value as in a .conf file or a vzdump's qemu-server.conf / pct.conf) on
    /// a node. Disks in create syntax ("local-lvm:32") are allocated; existing volumes that name another VMID
    /// ("local-zfs:vm-101-disk-0,size=50G" when restoring into 120) get a new volume of the same size, on
    /// <paramref name="storage"/> when given. smbios1/vmgenid/meta are generated when missing. The guest is stopped and
    /// carries <paramref name="lockName"/> (e.g. "create") until <see cref="Unlock"/>. Used by qemu create, clone and
    /// restore (siminfra). Throws <see cref="PveError"/> when the VMID is taken or a storage cannot hold the disks.
    /// </summary>
    internal SimGuest CreateGuest(string node, int vmid, string type, IReadOnlyDictionary<string, string> config,
        string? lockName = null, string? storage = null, List<string>? log = null)
    {
        var target = FindNode(node) ?? throw PveError.Server($"no such cluster node '{node}'");
        if (GuestMap.TryGetValue(vmid, out var existing))
            throw PveError.Server($"unable to create {(type == "qemu" ? "VM" : "CT")} {vmid} - {existing.Kind} {vmid} already exists on node '{existing.Node}'");
        var mac = RandomMac();
        var g = new SimGuest
        {
            Vmid = vmid, Type = type, Node = target.Name, Name = "", Cores = 1, MaxMem = 0, MaxDisk = 0,
            MacAddress = mac, SmbiosUuid = RandomUuid(), VmGenId = RandomUuid(), CreatedAt = Now.ToUnixTimeSeconds(),
            CpuBase = 0.02 + _rng.NextDouble() * 0.2, CpuAmp = 0.01 + _rng.NextDouble() * 0.05,
            MemFraction = type == "lxc" ? 0.08 + _rng.NextDouble() * 0.2 : 0.35 + _rng.NextDouble() * 0.4,
            NetInRate = 2_000 + _rng.NextDouble() * 60_000, NetOutRate = 1_000 + _rng.NextDouble() * 40_000,
            DiskReadRate = 500 + _rng.NextDouble() * 40_000, DiskWriteRate = 1_000 + _rng.NextDouble() * 60_000,
            BootRead = (type == "lxc" ? 40 : 300) * MiB + _rng.Next(0, 400) * MiB,
            DiskUsedFraction = 0.1 + _rng.NextDouble() * 0.3,
            ConfigStore = new SortedDictionary<string, string>(StringComparer.Ordinal),
            Lock = lockName,
        };
        var c = g.ConfigStore;
        foreach (var (k, v) in config)
        {
            if (k is "digest" or "lock" or "parent" or "snaptime" or "vmstate" or "snapstate") continue;
            c[k] = v;
        }
        foreach (var key in c.Keys.ToList())
        {
            c[key] = CompleteValue(g, key, c[key]);
            var value = AllocateIfNew(g, key, c[key], log);
            if (value == c[key] && IsDiskKey(g, key))
            {
                var disk = DisksOf(g, new Dictionary<string, string> { [key] = value })[0];
                if (!disk.Cdrom && !disk.CloudInit && disk.Storage is { } st && !OwnsVolume(disk.Volid, vmid))
                {
                    var newVolid = NewVolume(g, storage ?? st);
                    value = newVolid + value[value.IndexOf(',') is var i and >= 0 ? i.. : value.Length..];
                }
                else if (disk.CloudInit && disk.Storage is { } cst)
                    value = $"{storage ?? cst}:vm-{vmid}-cloudinit,media=cdrom";
            }
            c[key] = value;
        }
        if (type == "qemu")
        {
            if (!c.ContainsKey("smbios1")) c["smbios1"] = $"uuid={g.SmbiosUuid}";
            else c["smbios1"] = Regex.Replace(c["smbios1"], "uuid=[0-9a-f-]+", $"uuid={g.SmbiosUuid}");
            c["vmgenid"] = g.VmGenId;
            if (!c.ContainsKey("meta")) c["meta"] = $"creation-qemu=9.2.0,ctime={g.CreatedAt}";
            if (!c.ContainsKey("boot"))
            {
                var order = DisksOf(g, c).Where(d => !d.Unused && d.Key is not ("efidisk0" or "tpmstate0") && !d.CloudInit).Select(d => d.Key)
                    .Concat(c.Keys.Where(k => Regex.IsMatch(k, @"^net\d+$")));
                var text = string.Join(';', order);
                if (text.Length > 0) c["boot"] = "order=" + text;
            }
        }
        if (c.TryGetValue("tags", out var tags)) c["tags"] = Presets.NormalizeTags(tags);
        SyncFields(g);
        GuestMap[vmid] = g;
        return g;
    }

    /// <summary>PVE fills in what a value leaves to it: a MAC address for "virtio,bridge=vmbr0" (net) or a CT NIC without hwaddr.</summary>
    private string CompleteValue(SimGuest g, string key, string value)
    {
        if (!Regex.IsMatch(key, @"^net\d+$")) return value;
        var parts = value.Split(',').ToList();
        if (g.IsQemu)
        {
            if (Regex.IsMatch(parts[0], @"^(?:virtio|e1000|e1000e|rtl8139|vmxnet3|ne2k_pci|pcnet|i82551|i82557b|i82559er|ne2k_isa)$"))
                parts[0] += "=" + RandomMac();
        }
        else if (!parts.Any(p => p.StartsWith("hwaddr=", StringComparison.Ordinal)))
            parts.Insert(Math.Min(parts.Count, 2), "hwaddr=" + RandomMac());
        return string.Join(',', parts);
    }

    private static bool OwnsVolume(string volid, int vmid) =>
        Regex.IsMatch(volid, $@"(?:^|[:/])(?:vm|base|subvol|basevol)-{vmid}-") || volid.Contains($":{vmid}/", StringComparison.Ordinal);

    private string RandomMac() => $"BC:24:11:{_rng.Next(256):X2}:{_rng.Next(256):X2}:{_rng.Next(256):X2}";

    private string RandomUuid()
    {
        Span<byte> b = stackalloc byte[16];
        _rng.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>The lowest free VMID ≥ 100 (GET /cluster/nextid).</summary>
    internal int NextFreeVmid()
    {
        var id = 100;
        while (GuestMap.ContainsKey(id)) id++;
        return id;
    }

    // ---- locks -------------------------------------------------------------------------------------------

    /// <summary>PVE's check_lock message: "VM is locked (backup)" / "CT is locked (snapshot)".</summary>
    internal static string LockedMessage(SimGuest g) => $"{g.Kind} is locked ({g.Lock})";

    /// <summary>
    /// Sets the config lock when the guest has none and returns null; otherwise returns PVE's message
    /// ("VM is locked (backup)") and changes nothing. vzdump uses "backup", migrate "migrate", clone "clone" …
    /// </summary>
    internal string? TryLock(SimGuest g, string lockName)
    {
        if (g.Lock is not null) return LockedMessage(g);
        g.Lock = lockName;
        return null;
    }

    /// <summary>Clears the lock if (and only if) it is <paramref name="lockName"/>.</summary>
    internal void Unlock(SimGuest g, string lockName)
    {
        if (g.Lock == lockName) g.Lock = null;
    }

    /// <summary>Throws PVE's 500 "VM is locked (x)" unless unlocked or skiplock.</summary>
    internal static void CheckLock(SimGuest g, bool skiplock = false)
    {
        if (g.Lock is not null && !skiplock) throw PveError.Server(LockedMessage(g));
    }
}
