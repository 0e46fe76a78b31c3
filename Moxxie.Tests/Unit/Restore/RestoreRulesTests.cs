using Moxxie.Core.Proxmox;
using Moxxie.Core.Restore;
using Xunit;

namespace Moxxie.Tests.Unit.Restore;

public sealed class RestoreRulesTests
{
    [Fact]
    public void ArchiveName_ReadsStorageTypeVmidAndTime_FromVzdumpAndPbsVolumeIds()
    {
        var vma = BackupArchiveName.Parse("backup-nas:backup/vzdump-qemu-101-2024_06_21-02_00_00.vma.zst")!;
        Assert.Equal(("backup-nas", GuestType.Qemu, 101, "vma.zst"), (vma.Storage, vma.Type, vma.VmId, vma.Format));
        Assert.Equal(new DateTimeOffset(2024, 6, 21, 2, 0, 0, TimeSpan.Zero), vma.Time);
        var ct = BackupArchiveName.Parse("local:backup/vzdump-lxc-200-2024_06_21-02_00_00.tar.zst")!;
        Assert.Equal((GuestType.Lxc, 200), (ct.Type, ct.VmId));
        var pbs = BackupArchiveName.Parse("pbs:backup/vm/105/2024-06-21T02:00:00Z")!;
        Assert.Equal((GuestType.Qemu, 105), (pbs.Type, pbs.VmId));
        Assert.Null(BackupArchiveName.Parse("not a volume"));
        Assert.Null(BackupArchiveName.Parse(""));
    }

    [Fact]
    public void ConfigText_ReadsKeysAndTheCommentDescription_AndSkipsQmdumpMapLinesAndSnapshotSections()
    {
        var config = BackupArchiveName.ParseConfigText(
            "#Web server\n#second line\nname: web-01\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\nscsi0: local-zfs:vm-101-disk-0,size=50G\n" +
            "#qmdump#map:scsi0:drive-scsi0:local-zfs:raw:\n[before-upgrade]\nname: old\n");
        Assert.Equal("web-01", config["name"]);
        Assert.Equal("Web server\nsecond line", config["description"]);
        Assert.Equal("local-zfs:vm-101-disk-0,size=50G", config["scsi0"]);
        Assert.Equal(4, config.Count);
    }

    [Theory]
    [InlineData("virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1", false, "virtio=BC:24:11:00:00:01,bridge=vmbr1,firewall=1")]
    [InlineData("virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1", true, "virtio,bridge=vmbr1,firewall=1")]
    [InlineData("model=e1000,macaddr=BC:24:11:00:00:01,bridge=vmbr0,tag=10", true, "model=e1000,bridge=vmbr1,tag=10")]
    [InlineData("virtio=BC:24:11:00:00:01", false, "virtio=BC:24:11:00:00:01,bridge=vmbr1")]
    public void NicWithBridge_ReplacesTheBridge_AndDropsTheMacOnlyForNewMacs(string raw, bool newMac, string expected) =>
        Assert.Equal(expected, RestoreService.NicWithBridge(raw, "vmbr1", newMac));
}
