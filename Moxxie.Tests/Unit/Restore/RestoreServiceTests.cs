using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Backups;
using Moxxie.Core.Restore;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Restore;

public sealed class RestoreServiceTests
{
    private const string VolId = "backup-nas:backup/vzdump-qemu-102-2026_11_25-01_00_00.vma.zst";
    private const string RestoreUpid = "UPID:proxmox-02:00001000:00002000:6744F000:qmrestore:102:root@pam!moxxie:";
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], "10.0.0.7");
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], "10.0.0.8");
    private const string ConfigText = "#Database\nname: database-01\ncores: 4\nmemory: 8192\nscsi0: ceph-pool:vm-102-disk-0,size=100G\n" +
        "net0: virtio=BC:24:11:00:00:02,bridge=vmbr0,firewall=1\nnet1: virtio=BC:24:11:00:00:03,bridge=vmbr2\n#qmdump#map:scsi0:drive-scsi0:ceph-pool:raw:\n";

    private readonly MockedPve _pve = new();
    private readonly RestoreService _service;
    private RestoreVmRequest? _sent;
    private string? _sentNode;

    public RestoreServiceTests()
    {
        var clock = new ManualClock();
        NodeResource Node(string name) => new(name, "online", 0.1, 8, 1L << 30, 32L << 30, 0, 0, 3600, null);
        StorageResource Nas(string node) => new("backup-nas", node, "available", 0, 1L << 40, ["backup"], true, "nfs");
        _pve.Hub.Publish(Snapshot("prod",
            [Guest(101, "web-server-01", "running"), Guest(102, "database-01", "stopped", node: "proxmox-02")],
            [Node("proxmox-01"), Node("proxmox-02")], [Nas("proxmox-01"), Nas("proxmox-02")]));
        _pve.Gateway.Setup(g => g.ExtractBackupConfigAsync("proxmox-02", VolId, It.IsAny<CancellationToken>())).ReturnsAsync(ConfigText);
        _pve.Gateway.Setup(g => g.GetNodeStorageAsync(It.IsAny<string>(), It.IsAny<StorageQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new NodeStorage("local-zfs", "zfspool", ["images", "rootdir"], true, true, false, 1L << 40, 0, 1L << 40, 0)]);
        _pve.Gateway.Setup(g => g.GetNetworkAsync(It.IsAny<string>(), "any_bridge", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new NetworkConfig([Bridge("vmbr0"), Bridge("vmbr1")], null));
        _pve.Gateway.Setup(g => g.GetNextVmIdAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync(150);
        _pve.Gateway.Setup(g => g.RestoreVmAsync(It.IsAny<string>(), It.IsAny<RestoreVmRequest>(), It.IsAny<CancellationToken>()))
            .Callback<string, RestoreVmRequest, CancellationToken>((n, r, _) => (_sentNode, _sent) = (n, r)).ReturnsAsync(RestoreUpid);
        var vms = new VmService(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, clock);
        _service = new RestoreService(vms, _pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, clock);
    }

    private static NetworkInterface Bridge(string name) =>
        new(name, "bridge", true, true, true, "manual", null, null, null, null, null, null, null, null, [], false, null, [], null, null, null, null, null, null, []);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RestoreRequest Valid => new(VolId)
    {
        Storage = "local-zfs",
        Bridges = new Dictionary<string, string> { ["net0"] = "vmbr0", ["net1"] = "vmbr1" },
    };

    [Fact]
    public async Task Plan_ReadsTheArchiveOnTheBackedUpVmsNode_WithDisksNicsAndTheNodesOfTheSharedStorage()
    {
        var plan = await _service.PlanAsync(BackupRef.FromVolId(VolId), Ct);

        Assert.Equal(("prod", "proxmox-02", 102, "database-01", 150), (plan.Connection, plan.SourceNode, plan.BackupVmId, plan.Name, plan.NextFreeVmId));
        Assert.Equal("Database", plan.Config.Description);
        var disk = Assert.Single(plan.Disks);
        Assert.Equal(("scsi0", "ceph-pool", 100L << 30), (disk.Key, disk.Storage, disk.SizeBytes));
        Assert.Equal(["net0", "net1"], plan.Nics.Select(n => n.Key));
        Assert.Equal(["proxmox-01", "proxmox-02"], plan.Nodes.Select(n => n.Node));
        Assert.Equal(102, plan.ExistingVm?.VmId);
    }

    [Fact]
    public async Task Overwrite_OfTheStoppedVm_WithItsVmidTyped_ForcesOnItsNode_MovesTheUnknownBridge_AndIsTrackedAndAudited()
    {
        var result = await _service.RestoreAsync(Operator, Valid with { VmId = 102, Overwrite = true, Confirm = "102", UniqueMacs = false, Start = true }, Ct);

        Assert.Equal(("proxmox-02", 102, true, true, "local-zfs"), (_sentNode, _sent!.VmId, _sent.Force, _sent.Start, _sent.Storage));
        Assert.Null(_sent.Unique);
        Assert.Equal(new Dictionary<string, string> { ["net1"] = "virtio=BC:24:11:00:00:03,bridge=vmbr1" }, _sent.Other);   // net0 unchanged: not sent
        Assert.Equal((RestoreUpid, 102), (result.Upid, result.VmId));
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-02", RestoreUpid, "olivia"), Times.Once);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("BACKUP_RESTORE", "VM", "102", true, RestoreUpid), (row.Operation, row.ResourceType, row.ResourceId, row.Success, row.Upid));
    }

    [Fact]
    public async Task Restore_KeepingEachDisksStorage_WhenTheTargetNodeLacksIt_AndANicLeftOnAMissingBridge_AreFieldErrors()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => _service.RestoreAsync(Operator, new RestoreRequest(VolId), Ct));

        Assert.Equal("scsi0 (ceph-pool): not available on proxmox-02; choose a target storage.", ex.Errors["storage"]);
        Assert.Equal("net1 was on vmbr2, which proxmox-02 does not have; choose a bridge.", ex.Errors["bridges.net1"]);
        Assert.False(ex.Errors.ContainsKey("bridges.net0"));
        _pve.Gateway.Verify(g => g.RestoreVmAsync(It.IsAny<string>(), It.IsAny<RestoreVmRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Restore_ToTheNextFreeVmid_SendsNoForce_AndNewMacsDropTheMacsOfMovedNics()
    {
        await _service.RestoreAsync(Operator, Valid with { Node = "proxmox-01", UniqueMacs = true, Name = "db-restored" }, Ct);

        Assert.Equal(("proxmox-01", 150, (bool?)null, (bool?)true), (_sentNode, _sent!.VmId, _sent.Force, _sent.Unique));
        Assert.Equal("virtio,bridge=vmbr1", _sent.Other["net1"]);
        Assert.Equal("db-restored", _sent.Other["name"]);
    }

    [Fact]
    public async Task Restore_ByAViewer_IsRefusedAndAudited_WithoutAskingPve()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.RestoreAsync(Viewer, Valid, Ct));

        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("BACKUP_RESTORE", false), (row.Operation, row.Success));
        _pve.Gateway.Verify(g => g.ExtractBackupConfigAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Restore_WhenPveRefuses_AuditsPvesMessage_AndRethrowsIt()
    {
        _pve.Gateway.Setup(g => g.RestoreVmAsync(It.IsAny<string>(), It.IsAny<RestoreVmRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "unable to restore VM 150 - storage 'local-zfs' is not online"));

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => _service.RestoreAsync(Operator, Valid, Ct));

        Assert.Equal("unable to restore VM 150 - storage 'local-zfs' is not online", ex.Message);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal((false, "unable to restore VM 150 - storage 'local-zfs' is not online"), (row.Success, row.Error));
    }
}
