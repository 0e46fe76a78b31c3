using System.Security.Cryptography;
using System.Text;

namespace Moxxie.Simulator.Model;

/// <summary>The built-in clusters. Everything random comes from a Random seeded with the simulator seed.</summary>
internal static partial class Presets
{
    private const long GiB = 1024L * 1024 * 1024;
    private const long MiB = 1024L * 1024;

    public static ClusterPreset Create(string name, int seed, DateTimeOffset now, PresetNaming? naming = null)
    {
        naming ??= PresetNaming.Default;
        var preset = name.ToLowerInvariant() switch
        {
            "small" or "demo" => ProductionCluster(seed, now),
            "large" => Large(seed, now, naming),
            "single" => SingleNode(seed, now),
            "bulk" => Bulk(seed, now, naming),
            _ => throw new ArgumentException($"Unknown simulator preset '{name}' (known: small (alias demo), large, single, bulk).", nameof(name)),
        };
        if (naming.ClusterName is { } clusterName && preset.ClusterName is not null) preset.ClusterName = clusterName;
        return preset;
    }

    private sealed record GuestSpec(
        int Vmid, string Node, string Name, string State, string Tags, int Cores, int MemGiB, int DiskGiB,
        string Type = "qemu", bool Template = false, string OsType = "l26", bool CloudInit = false, double Load = 0.1);

    /// <summary>"small" (alias "demo"): the UI guide's 3-node production-cluster with ~30 guests.</summary>
    private static ClusterPreset ProductionCluster(int seed, DateTimeOffset now)
    {
        var rng = new Random(seed);
        var p = new ClusterPreset { ClusterName = "production-cluster", ConfigVersion = 8 };
        p.Nodes.Add(Node(rng, now, "proxmox-01", "192.168.1.10", 1, false, 32, 2, "AMD EPYC 7313P 16-Core Processor", 256 * GiB));
        p.Nodes.Add(Node(rng, now, "proxmox-02", "192.168.1.11", 2, false, 32, 2, "AMD EPYC 7313P 16-Core Processor", 256 * GiB));
        p.Nodes.Add(Node(rng, now, "proxmox-03", "192.168.1.12", 3, true, 24, 1, "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz", 128 * GiB));

        GuestSpec[] guests =
        [
            new(101, "proxmox-01", "web-server-01", "running", "env-prod;client-acme;web-tier", 4, 4, 50, Load: 0.05),
            new(102, "proxmox-01", "database-01", "stopped", "env-prod;client-acme;db-tier", 8, 16, 100),
            new(103, "proxmox-01", "web-server-03", "running", "env-staging;client-globex;web-tier", 2, 4, 40, Load: 0.03),
            new(106, "proxmox-01", "db-replica-01", "running", "env-prod;client-acme;db-tier;always-on", 8, 16, 200, Load: 0.22),
            new(107, "proxmox-01", "mail-gateway-01", "running", "env-prod;always-on", 2, 4, 32, Load: 0.04),
            new(108, "proxmox-01", "k8s-master-01", "running", "env-prod;k8s-master", 4, 8, 64, CloudInit: true, Load: 0.12),
            new(109, "proxmox-01", "k8s-worker-01", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.35),
            new(110, "proxmox-01", "k8s-worker-02", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.31),
            new(120, "proxmox-01", "dev-sandbox-01", "stopped", "env-dev", 2, 4, 32),
            new(121, "proxmox-01", "ci-runner-01", "running", "env-dev;ci", 4, 8, 80, Load: 0.18),
            new(200, "proxmox-01", "dns-01", "running", "env-prod;always-on;infra", 1, 1, 8, Type: "lxc", Load: 0.01),
            new(9000, "proxmox-01", "ubuntu-24.04-template", "stopped", "template", 2, 2, 32, Template: true, CloudInit: true),

            new(104, "proxmox-02", "web-server-02", "running", "env-prod;client-acme;web-tier;always-on", 4, 4, 50, Load: 0.08),
            new(105, "proxmox-02", "app-server-01", "running", "env-prod;client-acme;app-tier", 4, 8, 60, Load: 0.15),
            new(111, "proxmox-02", "k8s-worker-03", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.28),
            new(112, "proxmox-02", "k8s-worker-04", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.33),
            new(113, "proxmox-02", "monitoring-01", "running", "env-prod;always-on;monitoring", 4, 8, 200, Load: 0.09),
            new(114, "proxmox-02", "app-server-02", "running", "env-staging;client-globex;app-tier", 4, 8, 60, Load: 0.06),
            new(115, "proxmox-02", "staging-db-01", "running", "env-staging;client-globex;db-tier", 4, 8, 100, Load: 0.07),
            new(122, "proxmox-02", "dev-web-01", "paused", "env-dev;web-tier", 2, 2, 32),
            new(123, "proxmox-02", "dev-api-01", "stopped", "env-dev;client-globex", 2, 4, 32),
            new(201, "proxmox-02", "reverse-proxy-01", "running", "env-prod;web-tier", 2, 1, 8, Type: "lxc", Load: 0.02),
            new(9001, "proxmox-02", "debian-12-template", "stopped", "template", 2, 2, 20, Template: true, CloudInit: true),

            new(116, "proxmox-03", "k8s-worker-05", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.29),
            new(117, "proxmox-03", "k8s-worker-06", "running", "env-prod;k8s-worker", 8, 16, 100, CloudInit: true, Load: 0.26),
            new(118, "proxmox-03", "backup-server-01", "running", "env-prod;always-on;backup", 4, 8, 500, Load: 0.05),
            new(119, "proxmox-03", "app-server-03", "stopped", "env-staging;client-acme;app-tier", 4, 8, 60),
            new(124, "proxmox-03", "dev-db-01", "stopped", "env-dev;db-tier", 4, 8, 80),
            new(125, "proxmox-03", "windows-build-01", "stopped", "env-dev;ci", 8, 16, 120, OsType: "win11"),
            new(126, "proxmox-03", "legacy-erp-01", "running", "env-prod;client-globex;app-tier", 4, 12, 250, OsType: "win10", Load: 0.11),
            new(202, "proxmox-03", "grafana-01", "stopped", "env-dev;monitoring", 1, 1, 8, Type: "lxc"),
        ];
        foreach (var spec in guests) p.Guests.Add(Guest(rng, now, spec));

        foreach (var n in p.Nodes)
        {
            p.Storages.Add(new SimStorage { Storage = "local", Node = n.Name, PluginType = "dir", Content = "backup,iso,vztmpl", Shared = false, Total = 100 * GiB, Used = (long)(100 * GiB * (0.35 + rng.NextDouble() * 0.3)) });
            p.Storages.Add(new SimStorage { Storage = "local-zfs", Node = n.Name, PluginType = "zfspool", Content = "images,rootdir", Shared = false, Total = 1800 * GiB, Used = (long)(1800 * GiB * (0.4 + rng.NextDouble() * 0.25)) });
        }
        var nasUsed = (long)(10240 * GiB * 0.6);
        foreach (var n in p.Nodes)
            p.Storages.Add(new SimStorage { Storage = "backup-nas", Node = n.Name, PluginType = "nfs", Content = "backup,iso,vztmpl", Shared = true, Total = 10240 * GiB, Used = nasUsed });

        AddHistory(p, rng);
        return p;
    }

    /// <summary>"single": one standalone node "pve" (no cluster) with a few guests.</summary>
    private static ClusterPreset SingleNode(int seed, DateTimeOffset now)
    {
        var rng = new Random(seed);
        var p = new ClusterPreset { ClusterName = null };
        p.Nodes.Add(Node(rng, now, "pve", "192.168.1.20", 0, true, 8, 1, "Intel(R) Core(TM) i7-6700 CPU @ 3.40GHz", 64 * GiB));
        GuestSpec[] guests =
        [
            new(100, "pve", "ubuntu-server", "running", "env-prod", 2, 4, 32, CloudInit: true, Load: 0.06),
            new(101, "pve", "debian-test", "stopped", "env-dev", 1, 2, 20),
            new(102, "pve", "win11-desktop", "stopped", "", 4, 8, 64, OsType: "win11"),
            new(103, "pve", "pihole", "running", "infra", 1, 1, 8, Type: "lxc", Load: 0.01),
            new(9000, "pve", "ubuntu-24.04-template", "stopped", "template", 2, 2, 32, Template: true, CloudInit: true),
        ];
        foreach (var spec in guests) p.Guests.Add(Guest(rng, now, spec));
        p.Storages.Add(new SimStorage { Storage = "local", Node = "pve", PluginType = "dir", Content = "backup,iso,vztmpl", Shared = false, Total = 94 * GiB, Used = 21 * GiB });
        p.Storages.Add(new SimStorage { Storage = "local-lvm", Node = "pve", PluginType = "lvmthin", Content = "images,rootdir", Shared = false, Total = 832 * GiB, Used = 140 * GiB });
        AddHistory(p, rng);
        return p;
    }

    private static SimNode Node(Random rng, DateTimeOffset now, string name, string ip, int nodeId, bool local,
        int threads, int sockets, string model, long mem) => new()
    {
        Name = name, Ip = ip, NodeId = nodeId, Local = local, MaxCpu = threads, Sockets = sockets, CpuModel = model,
        MaxMem = mem, BaseMemUsed = (long)(mem * (0.03 + rng.NextDouble() * 0.02)),
        RootFsTotal = 100 * GiB, RootFsUsed = (long)(100 * GiB * (0.08 + rng.NextDouble() * 0.1)),
        BootTime = now - TimeSpan.FromSeconds(rng.Next(12 * 86400, 60 * 86400)),
        SslFingerprint = Fingerprint(rng),
    };

    private static SimGuest Guest(Random rng, DateTimeOffset now, GuestSpec s)
    {
        var lxc = s.Type == "lxc";
        var running = s.State is "running" or "paused";
        var g = new SimGuest
        {
            Vmid = s.Vmid, Type = s.Type, Node = s.Node, Name = s.Name, Cores = s.Cores,
            MaxMem = s.MemGiB * GiB, MaxDisk = s.DiskGiB * GiB,
            Tags = NormalizeTags(s.Template ? "" : s.Tags), Template = s.Template,
            OnBoot = s.Tags.Contains("always-on", StringComparison.Ordinal) || s.Tags.Contains("env-prod", StringComparison.Ordinal),
            OsType = lxc ? (s.Name.StartsWith("grafana", StringComparison.Ordinal) ? "debian" : "ubuntu") : s.OsType,
            CloudInit = s.CloudInit,
            MacAddress = $"BC:24:11:{rng.Next(256):X2}:{rng.Next(256):X2}:{rng.Next(256):X2}",
            NetTag = s.Template ? null : VlanFor(s.Tags),
            SmbiosUuid = Uuid(rng), VmGenId = Uuid(rng),
            CreatedAt = (now - TimeSpan.FromDays(30 + rng.Next(0, 700))).ToUnixTimeSeconds(),
            CpuBase = s.Load, CpuAmp = Math.Max(0.004, s.Load * 0.6),
            MemFraction = lxc ? 0.08 + rng.NextDouble() * 0.2 : 0.45 + rng.NextDouble() * 0.4,
            NetInRate = 2_000 + rng.NextDouble() * 400_000 * (s.Load + 0.02),
            NetOutRate = 1_000 + rng.NextDouble() * 300_000 * (s.Load + 0.02),
            DiskReadRate = 500 + rng.NextDouble() * 200_000 * (s.Load + 0.02),
            DiskWriteRate = 1_000 + rng.NextDouble() * 350_000 * (s.Load + 0.02),
            BootRead = lxc ? 40 * MiB + rng.Next(0, 200) * MiB : 300 * MiB + rng.Next(0, 900) * MiB,
            DiskUsedFraction = 0.15 + rng.NextDouble() * 0.5,
        };
        if (running)
        {
            g.Status = "running";
            g.StartedAt = now - TimeSpan.FromSeconds(rng.Next(3600, 45 * 86400));
            if (s.State == "paused")
            {
                g.Paused = true;
                g.PausedAt = now - TimeSpan.FromSeconds(rng.Next(600, 7200));
            }
        }
        return g;
    }

    private static void AddHistory(ClusterPreset p, Random rng)
    {
        var local = p.Nodes.First(n => n.Local).Name;
        foreach (var g in p.Guests.Where(g => g.IsRunning && !g.Template).Take(8))
        {
            var ago = TimeSpan.FromHours(3 + rng.Next(0, 20)) + TimeSpan.FromMinutes(rng.Next(0, 59));
            var size = 2 + rng.Next(0, 30);
            p.History.Add(new HistoricTask(g.Node, "vzdump", g.Vmid.ToString(), "root@pam", ago, TimeSpan.FromSeconds(40 + rng.Next(0, 400)), null,
            [
                $"INFO: starting new backup job: vzdump {g.Vmid} --mode snapshot --compress zstd --storage {(p.ClusterName is null ? "local" : "backup-nas")} --node {g.Node}",
                $"INFO: Starting Backup of VM {g.Vmid} ({g.Type})",
                "INFO: status = running",
                $"INFO: VM Name: {g.Name}",
                $"INFO: transferred {size}.{rng.Next(0, 99):D2} GiB in {40 + rng.Next(0, 400)} seconds",
                $"INFO: Finished Backup of VM {g.Vmid}",
                "INFO: Backup job finished successfully",
            ]));
        }
        var first = p.Guests.First(g => !g.Template);
        p.History.Add(new HistoricTask(first.Node, "qmsnapshot", first.Vmid.ToString(), "root@pam", TimeSpan.FromHours(26), TimeSpan.FromSeconds(3), null,
            ["saving VM state and RAM using storage 'local-zfs'", "completed saving the VM state in 2s, saved 1.21 GiB", "snapshotting 'drive-scsi0' (local-zfs:vm-" + first.Vmid + "-disk-0)"]));
        p.History.Add(new HistoricTask(local, "aptupdate", "", "root@pam", TimeSpan.FromHours(30), TimeSpan.FromSeconds(9), null,
            ["starting apt-get update", "Hit:1 http://deb.debian.org/debian bookworm InRelease", "Reading package lists...", "update successful"]));
        p.History.Add(new HistoricTask(local, "srvreload", "networking", "root@pam", TimeSpan.FromHours(50), TimeSpan.FromSeconds(1),
            "command 'ifreload -a' failed: exit code 1", ["error: vmbr1: bridge port eno3 does not exist"]));
    }

    /// <summary>
    /// The VLAN a guest's net0 is tagged with on the VLAN-aware vmbr0, by its tier tag as an operator would segment an
    /// estate: web 10, app 20, databases 30, Kubernetes 40, development 60 (VLAN 50 is the nodes' corosync/migration
    /// network, vmbr0.50). Infrastructure guests (DNS, mail, monitoring, backup, …) stay untagged on the native VLAN.
    /// </summary>
    private static int? VlanFor(string tags)
    {
        var set = tags.Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (set.Contains("web-tier")) return 10;
        if (set.Contains("app-tier")) return 20;
        if (set.Contains("db-tier")) return 30;
        if (set.Any(t => t.StartsWith("k8s-", StringComparison.Ordinal))) return 40;
        if (set.Contains("env-dev")) return 60;
        return null;
    }

    /// <summary>PVE normalises tags: split on ';', ',' or whitespace, lower case, de-duplicated, sorted, stored ';'-separated.</summary>
    public static string NormalizeTags(string tags) =>
        string.Join(';', tags.Split([';', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));

    private static string Uuid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static string Fingerprint(Random rng)
    {
        Span<byte> b = stackalloc byte[32];
        rng.NextBytes(b);
        return string.Join(':', Convert.ToHexString(b).Chunk(2).Select(c => new string(c)));
    }

    /// <summary>A stable SHA-1 digest of a config text, as PVE returns in "digest".</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}
