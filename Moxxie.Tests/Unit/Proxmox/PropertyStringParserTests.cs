using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Unit.Proxmox;

/// <summary>PVE property strings of guest configs (scsi0/net0/ipconfig0/boot/agent/cpu/startup/prune-backups) parsed into fields.</summary>
public sealed class PropertyStringParserTests
{
    [Fact]
    public void PropertyString_KeepsOrder_DefaultValue_AndTrims()
    {
        var p = PropertyString.Parse("local-lvm:vm-101-disk-0, iothread=1,size=32G,,discard=on");

        Assert.Equal("local-lvm:vm-101-disk-0", p.DefaultValue);
        Assert.Equal(["iothread", "size", "discard"], p.Pairs.Select(kv => kv.Key));
        Assert.Equal("32G", p["size"]);
        Assert.True(p.Bool("iothread"));
        Assert.Null(p["missing"]);
        Assert.Null(PropertyString.Parse(null).DefaultValue);
        Assert.Empty(PropertyString.Parse("").Pairs);
    }

    [Theory]
    [InlineData("32G", 32L * 1024 * 1024 * 1024)]
    [InlineData("540K", 540L * 1024)]
    [InlineData("1.5T", 1649267441664L)]
    [InlineData("4M", 4194304L)]
    [InlineData("1024", 1024L)]
    [InlineData("", null)]
    [InlineData("lots", null)]
    public void Sizes_AreBytes(string size, long? bytes) => Assert.Equal(bytes, PropertyString.ParseSize(size));

    [Fact]
    public void ScsiDisk_IsParsedIntoFields()
    {
        var d = GuestDisk.Parse("scsi0", "local-lvm:vm-101-disk-0,cache=writeback,discard=on,iothread=1,size=32G,ssd=1");

        Assert.Equal(("scsi", 0, "local-lvm:vm-101-disk-0", "local-lvm"), (d.Bus, d.Index, d.Volume, d.Storage));
        Assert.Equal(32L << 30, d.SizeBytes);
        Assert.Equal("32G", d.Size);
        Assert.Equal("writeback", d.Cache);
        Assert.True(d.IoThread);
        Assert.True(d.Discard);
        Assert.True(d.Ssd);
        Assert.Null(d.Backup);
        Assert.False(d.IsCdrom);
        Assert.False(d.IsUnused);
    }

    [Fact]
    public void RecordedVirtioDisk_WithBackupAndReplicateOff()
    {
        var d = GuestDisk.Parse("virtio0", "local-lvm:vm-101-disk-0,backup=0,replicate=0,size=1G");

        Assert.Equal(("virtio", 0), (d.Bus, d.Index));
        Assert.False(d.Backup);
        Assert.False(d.Replicate);
        Assert.Equal(1L << 30, d.SizeBytes);
    }

    [Theory]
    [InlineData("ide2", "local:iso/ubuntu-24.04-live-server-amd64.iso,media=cdrom,size=2690412K", true, "local")]
    [InlineData("ide2", "none,media=cdrom", true, null)]
    [InlineData("ide0", "cdrom", true, null)]
    public void Cdroms_AreRecognised(string key, string value, bool cdrom, string? storage)
    {
        var d = GuestDisk.Parse(key, value);
        Assert.Equal(cdrom, d.IsCdrom);
        Assert.Equal(storage, d.Storage);
    }

    [Fact]
    public void UnusedDisk_EfiDisk_AndLxcMounts()
    {
        var unused = GuestDisk.Parse("unused0", "local-zfs:vm-101-disk-1");
        var efi = GuestDisk.Parse("efidisk0", "local-lvm:vm-101-disk-2,efitype=4m,pre-enrolled-keys=1,size=4M");
        var root = GuestDisk.Parse("rootfs", "local-lvm:vm-200-disk-0,size=8G");
        var mp = GuestDisk.Parse("mp0", "/mnt/data,mp=/data,backup=1");

        Assert.True(unused.IsUnused);
        Assert.Equal("local-zfs", unused.Storage);
        Assert.Equal(("efidisk", 4L << 20, "4m"), (efi.Bus, efi.SizeBytes!.Value, efi.Options["efitype"]));
        Assert.Equal(("rootfs", 8L << 30), (root.Bus, root.SizeBytes!.Value));
        Assert.Equal(("/mnt/data", null, "/data"), (mp.Volume, mp.Storage, mp.MountPoint));
        Assert.True(GuestDisk.IsDiskKey("scsi12"));
        Assert.True(GuestDisk.IsDiskKey("tpmstate0"));
        Assert.False(GuestDisk.IsDiskKey("net0"));
        Assert.False(GuestDisk.IsDiskKey("scsihw"));
    }

    [Fact]
    public void QemuNic_ModelIsTheKeyHoldingTheMac()
    {
        var n = GuestNic.Parse("net0", "virtio=BC:24:11:2E:7A:01,bridge=vmbr0,firewall=1,tag=10,rate=12.5,queues=4,mtu=1500,link_down=1");

        Assert.Equal(0, n.Index);
        Assert.Equal("virtio", n.Model);
        Assert.Equal("BC:24:11:2E:7A:01", n.MacAddress);
        Assert.Equal("vmbr0", n.Bridge);
        Assert.Equal(10, n.VlanTag);
        Assert.True(n.Firewall);
        Assert.True(n.LinkDown);
        Assert.Equal(12.5, n.RateMbps);
        Assert.Equal(4, n.Queues);
        Assert.Equal(1500, n.Mtu);
    }

    [Fact]
    public void QemuNic_WithModelKey_And_E1000WithoutTag()
    {
        var explicitModel = GuestNic.Parse("net1", "model=e1000,macaddr=AA:BB:CC:DD:EE:FF,bridge=vmbr1");
        var e1000 = GuestNic.Parse("net2", "e1000=AA:BB:CC:DD:EE:01,bridge=vmbr0");

        Assert.Equal((1, "e1000", "AA:BB:CC:DD:EE:FF", "vmbr1"), (explicitModel.Index, explicitModel.Model, explicitModel.MacAddress, explicitModel.Bridge));
        Assert.Equal(("e1000", null, (bool?)null), (e1000.Model, e1000.VlanTag, e1000.Firewall));
    }

    [Fact]
    public void LxcNic_CarriesNameAndAddresses()
    {
        var n = GuestNic.Parse("net0", "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=192.168.1.50/24,gw=192.168.1.1,ip6=auto,type=veth");

        Assert.Equal(("eth0", "BC:24:11:00:00:01", "192.168.1.50/24", "192.168.1.1", "auto"), (n.Name, n.MacAddress, n.Ip, n.Gateway, n.Ip6));
        Assert.Null(n.Model);
    }

    [Theory]
    [InlineData("ipconfig0", "ip=192.168.1.5/24,gw=192.168.1.1", 0, "192.168.1.5/24", "192.168.1.1", null, false)]
    [InlineData("ipconfig1", "ip=dhcp,ip6=auto", 1, "dhcp", null, "auto", true)]
    [InlineData("ipconfig2", "ip6=2001:db8::5/64,gw6=2001:db8::1", 2, null, null, "2001:db8::5/64", false)]
    public void IpConfig_IsParsed(string key, string value, int index, string? ip, string? gw, string? ip6, bool dhcp)
    {
        var c = IpConfig.Parse(key, value);
        Assert.Equal((index, ip, gw, ip6, dhcp), (c.Index, c.Ip, c.Gateway, c.Ip6, c.Dhcp));
    }

    [Theory]
    [InlineData("order=scsi0;ide2;net0", null, new[] { "scsi0", "ide2", "net0" })]
    [InlineData("order=scsi0", null, new[] { "scsi0" })]
    [InlineData("cdn", "virtio0", new[] { "virtio0", "cdrom", "net" })]
    [InlineData("", "scsi0", new[] { "scsi0" })]
    [InlineData(null, null, new string[0])]
    public void BootOrder_NewAndLegacy(string? boot, string? bootDisk, string[] expected) =>
        Assert.Equal(expected, BootOrder.Parse(boot, bootDisk));

    [Theory]
    [InlineData("1", true, null)]
    [InlineData("0", false, null)]
    [InlineData("enabled=1,fstrim_cloned_disks=1", true, true)]
    [InlineData("1,type=isa", true, null)]
    public void Agent_IsParsed(string value, bool enabled, bool? fstrim)
    {
        var a = AgentOption.Parse(value)!;
        Assert.Equal((enabled, fstrim), (a.Enabled, a.FsTrimClonedDisks));
        Assert.Null(AgentOption.Parse(null));
    }

    [Fact]
    public void Cpu_Startup_AndRetention_AreParsed()
    {
        var cpu = CpuOption.Parse("cputype=x86-64-v2-AES,flags=+aes;-pcid,hidden=1")!;
        var host = CpuOption.Parse("host")!;
        var startup = StartupOption.Parse("order=2,up=30,down=60")!;
        var keep = RetentionPolicy.Parse("keep-last=3,keep-daily=7,keep-weekly=4")!;

        Assert.Equal(("x86-64-v2-AES", true), (cpu.Type, cpu.Hidden!.Value));
        Assert.Equal(["+aes", "-pcid"], cpu.Flags);
        Assert.Equal("host", host.Type);
        Assert.Equal((2, 30, 60), (startup.Order!.Value, startup.UpSeconds!.Value, startup.DownSeconds!.Value));
        Assert.Equal(new RetentionPolicy(KeepLast: 3, KeepDaily: 7, KeepWeekly: 4), keep);
        Assert.Equal("keep-last=3,keep-daily=7,keep-weekly=4", keep.ToString());
        Assert.Equal("keep-all=1", RetentionPolicy.Parse("keep-all=1")!.ToString());
    }

    [Fact]
    public void GuestConfig_TypedView_FromARealisticQemuConfig()
    {
        var raw = new Dictionary<string, string>
        {
            ["name"] = "web-server-01", ["ostype"] = "l26", ["cores"] = "4", ["sockets"] = "1", ["cpu"] = "host", ["memory"] = "8192",
            ["balloon"] = "2048", ["boot"] = "order=scsi0;ide2;net0", ["scsi0"] = "local-lvm:vm-101-disk-0,iothread=1,size=32G",
            ["scsi1"] = "backup-nas:101/vm-101-disk-1.qcow2,size=100G", ["ide2"] = "none,media=cdrom", ["unused0"] = "local-lvm:vm-101-disk-9",
            ["net0"] = "virtio=BC:24:11:2E:7A:01,bridge=vmbr0,tag=10", ["net1"] = "virtio=BC:24:11:2E:7A:02,bridge=vmbr1",
            ["ipconfig0"] = "ip=10.0.0.5/24,gw=10.0.0.1", ["protection"] = "1", ["onboot"] = "1", ["agent"] = "enabled=1",
            ["tags"] = "client-acme;env-prod;web-tier", ["scsihw"] = "virtio-scsi-single", ["digest"] = "abc",
        };
        var pending = new List<PendingChange> { new("memory", "8192", "16384", false) };

        var c = GuestConfig.Parse(101, GuestType.Qemu, raw, pending);

        Assert.Equal(("web-server-01", "l26", 4, 1, "host"), (c.Name, c.OsType, c.Cores!.Value, c.Sockets!.Value, c.Cpu!.Type));
        Assert.Equal((8192L, 2048L), (c.MemoryMb!.Value, c.BalloonMb!.Value));
        Assert.Equal(["scsi0", "ide2", "net0"], c.BootOrder);
        Assert.Equal(["ide2", "scsi0", "scsi1", "unused0"], c.Disks.Select(d => d.Key));
        Assert.Equal(["net0", "net1"], c.Nics.Select(n => n.Key));
        Assert.Equal(10, c.Nics[0].VlanTag);
        Assert.Equal("10.0.0.5/24", Assert.Single(c.IpConfigs).Ip);
        Assert.True(c.Protection);
        Assert.True(c.OnBoot);
        Assert.True(c.Agent!.Enabled);
        Assert.Equal(["client-acme", "env-prod", "web-tier"], c.Tags);
        Assert.False(c.Template);
        Assert.Equal("16384", Assert.Single(c.Pending).Pending);
        Assert.Same(raw, c.Raw);
    }

    [Fact]
    public void GuestConfig_Pve9MemoryPropertyString_AndLxcHostname()
    {
        var qemu = GuestConfig.Parse(5, GuestType.Qemu, new Dictionary<string, string> { ["memory"] = "current=4096", ["balloon"] = "0" });
        var lxc = GuestConfig.Parse(200, GuestType.Lxc, new Dictionary<string, string>
        {
            ["hostname"] = "dns-01", ["memory"] = "512", ["swap"] = "256", ["rootfs"] = "local-lvm:vm-200-disk-0,size=8G",
            ["net0"] = "name=eth0,bridge=vmbr0,ip=dhcp", ["unprivileged"] = "1",
        });

        Assert.Equal(4096, qemu.MemoryMb);
        Assert.True(qemu.BalloonDisabled);
        Assert.Equal(("dns-01", 512L, 256L), (lxc.Name, lxc.MemoryMb!.Value, lxc.SwapMb!.Value));
        Assert.Equal("rootfs", Assert.Single(lxc.Disks).Key);
        Assert.Equal("eth0", Assert.Single(lxc.Nics).Name);
    }
}
