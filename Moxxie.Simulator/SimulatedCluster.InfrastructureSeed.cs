using System.Globalization;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>Seeds the infrastructure state of a preset: deterministic from the seed, linear in the number of guests.</summary>
public sealed partial class SimulatedCluster
{
    private const long GiBytes = 1024L * 1024 * 1024;
    private const long MiBytes = 1024L * 1024;

    private static readonly (string File, long Size)[] Isos =
    [
        ("ubuntu-24.04.1-live-server-amd64.iso", 2_773_874_688),
        ("debian-12.8.0-amd64-netinst.iso", 661_651_456),
        ("virtio-win-0.1.262.iso", 742_445_056),
        ("Win11_24H2_English_x64.iso", 5_819_484_160),
    ];

    private static readonly (string File, long Size)[] Templates =
    [
        ("debian-12-standard_12.7-1_amd64.tar.zst", 126_254_080),
        ("ubuntu-24.04-standard_24.04-2_amd64.tar.zst", 141_557_760),
        ("alpine-3.20-default_20240908_amd64.tar.xz", 3_067_752),
    ];

    private void SeedInfrastructure(Random rng)
    {
        var now = CreatedAt;
        SeedStorageConfig();
        foreach (var n in Nodes) NodeInfra[n.Name] = SeedNode(n, rng, now);

        var storageIds = Storages.Select(s => s.Storage).ToHashSet(StringComparer.Ordinal);
        var nas = storageIds.Contains("backup-nas") ? "backup-nas" : null;
        foreach (var n in Nodes)
        {
            if (FindStorage(n.Name, "local") is null) continue;
            foreach (var (file, size) in Isos.Take(2)) AddVolume(Iso("local", n.Name, file, size, now, rng));
            foreach (var (file, size) in Templates.Take(2)) AddVolume(Template("local", n.Name, file, size, now, rng));
        }
        if (nas is not null)
        {
            foreach (var (file, size) in Isos) AddVolume(Iso(nas, null, file, size, now, rng));
            foreach (var (file, size) in Templates) AddVolume(Template(nas, null, file, size, now, rng));
        }

        // Three nightly backups per guest (01:00 + a few minutes per guest), the oldest of every 7th guest protected.
        var index = 0;
        foreach (var g in GuestMap.Values)
        {
            if (g.Template) continue;
            var storage = nas ?? (FindStorage(g.Node, "local") is not null ? "local" : null);
            if (storage is null) continue;
            var protectOldest = index++ % 7 == 0;
            var day = now.UtcDateTime.Date;
            var source = new BackupSource(g.Type, g.Vmid, g.Name, InitialConfig(g));
            for (var d = 3; d >= 1; d--)
            {
                var at = new DateTimeOffset(day.AddDays(-d), TimeSpan.Zero)
                    + TimeSpan.FromMinutes(60 + (g.Vmid * 3 % 170)) + TimeSpan.FromSeconds(rng.Next(0, 60));
                var v = BackupVolume(storage, storage == nas ? null : g.Node, g, at, source, rng);
                v.Notes = g.Name;
                v.Protected = protectOldest && d == 3;
                AddVolume(v);
            }
        }

        // Base usage: whatever the preset's figure does not explain by content; grow the total if content needs it.
        var usage = StorageUsage();
        foreach (var s in Storages)
        {
            var content = usage[(s.Storage, s.Node)];
            s.BaseUsed = Math.Max((long)(s.Total * 0.01), s.Used - content);
            var needed = s.BaseUsed + UsageWithoutCap(s);
            if (needed > s.Total * 0.9) s.Total = (long)(needed / 0.75);
        }

        SeedBackupJobs(nas ?? "local");
        SeedPools();
        SeedSdn();
    }

    private long UsageWithoutCap(SimStorage s)
    {
        var sum = VolumesOn(s).Sum(v => v.Size);
        foreach (var g in GuestMap.Values)
            if (GuestDiskStorage(g) is { } gs && gs.Storage == s.Storage && (s.Shared || gs.Node == s.Node)) sum += GuestDiskUsed(g);
        return sum;
    }

    internal static string BackupFileName(string type, int vmid, DateTimeOffset at) =>
        $"vzdump-{type}-{vmid}-{at.UtcDateTime.ToString("yyyy_MM_dd-HH_mm_ss", CultureInfo.InvariantCulture)}.{(type == "qemu" ? "vma.zst" : "tar.zst")}";

    internal static SimVolume BackupVolume(string storage, string? node, SimGuest g, DateTimeOffset at, BackupSource source, Random rng) => new()
    {
        Storage = storage, Node = node,
        VolId = $"{storage}:backup/{BackupFileName(g.Type, g.Vmid, at)}",
        Content = "backup", Format = g.Type == "qemu" ? "vma.zst" : "tar.zst",
        Size = Math.Max(20 * MiBytes, (long)(GuestDiskUsed(g) * (0.38 + rng.NextDouble() * 0.12))),
        CTime = at.ToUnixTimeSeconds(), Vmid = g.Vmid, Subtype = g.Type, Source = source,
    };

    private static SimVolume Iso(string storage, string? node, string file, long size, DateTimeOffset now, Random rng) => new()
    {
        Storage = storage, Node = node, VolId = $"{storage}:iso/{file}", Content = "iso", Format = "iso", Size = size,
        CTime = (now - TimeSpan.FromDays(20 + rng.Next(0, 300))).ToUnixTimeSeconds(),
    };

    private static SimVolume Template(string storage, string? node, string file, long size, DateTimeOffset now, Random rng) => new()
    {
        Storage = storage, Node = node, VolId = $"{storage}:vztmpl/{file}", Content = "vztmpl",
        Format = file.EndsWith(".zst", StringComparison.Ordinal) ? "tzst" : "txz", Size = size,
        CTime = (now - TimeSpan.FromDays(20 + rng.Next(0, 300))).ToUnixTimeSeconds(),
    };

    private void SeedStorageConfig()
    {
        foreach (var s in Storages)
        {
            if (StorageConfigs.ContainsKey(s.Storage)) continue;
            var cfg = new SimStorageConfig { Storage = s.Storage, Type = s.PluginType };
            cfg.Props["content"] = s.Content;
            switch (s.PluginType)
            {
                case "dir":
                    cfg.Props["path"] = "/var/lib/vz";
                    cfg.Props["prune-backups"] = "keep-all=1";
                    break;
                case "zfspool":
                    cfg.Props["pool"] = "rpool/data";
                    cfg.Props["sparse"] = 1;
                    break;
                case "lvmthin":
                    cfg.Props["thinpool"] = "data";
                    cfg.Props["vgname"] = "pve";
                    break;
                case "nfs":
                    cfg.Props["path"] = $"/mnt/pve/{s.Storage}";
                    cfg.Props["server"] = "192.168.1.50";
                    cfg.Props["export"] = "/mnt/tank/pve-backup";
                    cfg.Props["options"] = "vers=4.2";
                    cfg.Props["prune-backups"] = "keep-daily=7,keep-last=3,keep-weekly=4";
                    break;
            }
            StorageConfigs[s.Storage] = cfg;
        }
    }

    private SimNodeInfra SeedNode(SimNode n, Random rng, DateTimeOffset now)
    {
        var infra = new SimNodeInfra { Node = n.Name, NetworkWritten = n.BootTime - TimeSpan.FromDays(rng.Next(3, 200)) };
        var prefix = n.Ip[..(n.Ip.LastIndexOf('.') + 1)];
        var host = n.Ip[(n.Ip.LastIndexOf('.') + 1)..];
        var bond = Nodes.Count > 1 && n.NodeId == 2;     // one node of a cluster has a bonded uplink
        var priority = 3;
        SimNetworkInterface Eth(string name, bool active) => Iface(name, "eth", priority++, ("method", "manual"), ("exists", 1), ("active", active ? 1 : 0));
        var list = new List<SimNetworkInterface> { Eth("eno1", true), Eth("eno2", !bond) };
        if (bond)
        {
            list.Add(Eth("eno3", true));
            list.Add(Eth("eno4", true));
            list.Add(Iface("bond0", "bond", priority++, ("method", "manual"), ("active", 1), ("autostart", 1), ("slaves", "eno3 eno4"),
                ("bond_mode", "802.3ad"), ("bond_xmit_hash_policy", "layer3+4"), ("bond-miimon", "100")));
        }
        list.Add(Iface("vmbr0", "bridge", priority++, ("method", "static"), ("active", 1), ("autostart", 1),
            ("address", n.Ip), ("netmask", "24"), ("cidr", $"{n.Ip}/24"), ("gateway", prefix + "1"), ("bridge_ports", "eno1"),
            ("bridge_stp", "off"), ("bridge_fd", "0"), ("bridge_vlan_aware", 1), ("bridge_vids", "2-4094"), ("comments", "Management and VM traffic\n")));
        list.Add(Iface("vmbr1", "bridge", priority++, ("method", "manual"), ("active", 1), ("autostart", 1),
            ("bridge_ports", bond ? "bond0" : "eno2"), ("bridge_stp", "off"), ("bridge_fd", "0"), ("comments", "Storage and backup network\n")));
        list.Add(Iface("vmbr0.50", "vlan", priority, ("method", "static"), ("active", 1), ("autostart", 1),
            ("address", $"10.50.0.{host}"), ("netmask", "24"), ("cidr", $"10.50.0.{host}/24"), ("vlan-id", 50), ("vlan-raw-device", "vmbr0"),
            ("comments", "Corosync / migration\n")));
        infra.Network = list;

        var clustered = ClusterName is not null;
        foreach (var (service, desc, state) in ServiceTable)
        {
            var s = new SimService { Service = service, Desc = desc };
            switch (state)
            {
                case "not-found": s.State = "dead"; s.ActiveState = "inactive"; s.UnitState = "not-found"; break;
                case "dead": s.State = "dead"; s.ActiveState = "inactive"; break;
            }
            if (service == "corosync" && !clustered) { s.State = "dead"; s.ActiveState = "inactive"; }
            infra.Services.Add(s);
        }
        return infra;
    }

    internal static string ServiceUnitName(string service) => service == "sshd" ? "ssh" : service;

    private static readonly (string Service, string Desc, string State)[] ServiceTable =
    [
        ("chrony", "chrony, an NTP client/server", "running"),
        ("corosync", "Corosync Cluster Engine", "running"),
        ("cron", "Regular background program processing daemon", "running"),
        ("ksmtuned", "Kernel Samepage Merging (KSM) Tuning Daemon", "running"),
        ("lxcfs", "FUSE filesystem for LXC", "running"),
        ("postfix", "Postfix Mail Transport Agent (instance -)", "running"),
        ("proxmox-firewall", "Proxmox nftables firewall", "dead"),
        ("pve-cluster", "The Proxmox VE cluster filesystem", "running"),
        ("pve-firewall", "Proxmox VE firewall", "running"),
        ("pve-ha-crm", "PVE Cluster HA Resource Manager Daemon", "running"),
        ("pve-ha-lrm", "PVE Local HA Resource Manager Daemon", "running"),
        ("pve-lxc-syscalld", "Proxmox VE LXC Syscall Daemon", "running"),
        ("pvedaemon", "PVE API Daemon", "running"),
        ("pvefw-logger", "Proxmox VE firewall logger", "running"),
        ("pveproxy", "PVE API Proxy Server", "running"),
        ("pvescheduler", "Proxmox VE scheduler", "running"),
        ("pvestatd", "PVE Status Daemon", "running"),
        ("qmeventd", "PVE Qemu Event Daemon", "running"),
        ("spiceproxy", "PVE SPICE Proxy Server", "running"),
        ("sshd", "OpenBSD Secure Shell server", "running"),
        ("syslog", "syslog.service", "not-found"),
        ("systemd-journald", "Journal Service", "running"),
        ("systemd-timesyncd", "systemd-timesyncd.service", "not-found"),
    ];

    private static SimNetworkInterface Iface(string name, string type, int priority, params (string Key, object Value)[] props)
    {
        var i = new SimNetworkInterface { Iface = name, Type = type };
        i.Props["priority"] = priority;
        i.Props["families"] = new[] { "inet" };
        i.Props["method6"] = "manual";
        foreach (var (k, v) in props) i.Props[k] = v;
        return i;
    }

    private void SeedBackupJobs(string storage)
    {
        var daily = new SimBackupJob { Id = "backup-7c1e93d2-5a1f" };
        daily.Props["type"] = "vzdump";
        daily.Props["schedule"] = "01:00";
        daily.Props["all"] = 1;
        daily.Props["storage"] = storage;
        daily.Props["mode"] = "snapshot";
        daily.Props["compress"] = "zstd";
        daily.Props["enabled"] = 1;
        daily.Props["notes-template"] = "{{guestname}}";
        daily.Props["mailnotification"] = "failure";
        daily.Props["prune-backups"] = "keep-daily=7,keep-last=3,keep-weekly=4";
        daily.Props["comment"] = "Nightly backup of all guests";
        BackupJobs[daily.Id] = daily;

        var vmids = GuestMap.Values.Where(g => !g.Template && g.Tags.Contains("db-tier", StringComparison.Ordinal)).Take(4).Select(g => g.Vmid).ToList();
        if (vmids.Count == 0) return;
        var weekly = new SimBackupJob { Id = "backup-2f94b0c8-e4d7" };
        weekly.Props["type"] = "vzdump";
        weekly.Props["schedule"] = "sat 03:30";
        weekly.Props["vmid"] = string.Join(',', vmids);
        weekly.Props["storage"] = storage;
        weekly.Props["mode"] = "stop";
        weekly.Props["compress"] = "zstd";
        weekly.Props["enabled"] = 0;
        weekly.Props["notes-template"] = "{{guestname}} weekly";
        weekly.Props["protected"] = 1;
        weekly.Props["comment"] = "Databases, consistent copy";
        BackupJobs[weekly.Id] = weekly;
    }

    private void SeedPools()
    {
        (string Id, string Tag, string Comment)[] pools =
        [
            ("production", "env-prod", "Production workloads"),
            ("staging", "env-staging", "Staging environment"),
            ("development", "env-dev", "Developer sandboxes and CI"),
        ];
        foreach (var (id, tag, comment) in pools)
        {
            var pool = new SimPool { PoolId = id, Comment = comment };
            foreach (var g in GuestMap.Values)
                if (g.Tags.Split(';').Contains(tag)) pool.Vmids.Add(g.Vmid);
            if (pool.Vmids.Count == 0) continue;
            if (id == "production" && StorageConfigs.ContainsKey("backup-nas")) pool.Storages.Add("backup-nas");
            Pools[id] = pool;
        }
    }

    private void SeedSdn()
    {
        static SimSdnObject Obj(string id, string type, params (string, object)[] props)
        {
            var o = new SimSdnObject { Id = id, Type = type };
            foreach (var (k, v) in props) o.Props[k] = v;
            return o;
        }
        Sdn.Zones["prodzone"] = Obj("prodzone", "vlan", ("bridge", "vmbr0"), ("ipam", "pve"), ("mtu", 1500));
        Sdn.Zones["labzone"] = Obj("labzone", "simple", ("ipam", "pve"), ("dhcp", "dnsmasq"));
        Sdn.Vnets["prodweb"] = Obj("prodweb", "vnet", ("zone", "prodzone"), ("tag", 100), ("alias", "Production web tier"));
        Sdn.Vnets["proddb"] = Obj("proddb", "vnet", ("zone", "prodzone"), ("tag", 200), ("alias", "Production databases"));
        Sdn.Vnets["labnet"] = Obj("labnet", "vnet", ("zone", "labzone"), ("alias", "Lab (SNAT)"));
        Sdn.Subnets["prodzone-10.100.0.0-24"] = Obj("prodzone-10.100.0.0-24", "subnet", ("vnet", "prodweb"), ("gateway", "10.100.0.1"));
        Sdn.Subnets["prodzone-10.200.0.0-24"] = Obj("prodzone-10.200.0.0-24", "subnet", ("vnet", "proddb"), ("gateway", "10.200.0.1"));
        Sdn.Subnets["labzone-10.10.0.0-24"] = Obj("labzone-10.10.0.0-24", "subnet", ("vnet", "labnet"), ("gateway", "10.10.0.1"), ("snat", 1),
            ("dhcp-range", new[] { "start-address=10.10.0.100,end-address=10.10.0.200" }));
        Sdn.Apply();
    }
}
