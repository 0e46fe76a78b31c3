using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Backups;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Storage;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Backups;

/// <summary>BackupService decisions: which storages and nodes are read, what vzdump gets, refusals before PVE is asked
/// (protected, Viewer, bad input), audit rows with UPIDs, retention policy rules and prune per node.</summary>
public sealed class BackupServiceTests
{
    private const long GiB = 1L << 30;
    private const string VzdumpUpid = "UPID:proxmox-01:00001000:00002000:6744F000:vzdump:101:root@pam!moxxie:";
    private static readonly Actor Admin = new("ada", [MoxxieRoles.Admin], null);
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], null);
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly MockedPve _pve = new();
    private readonly BackupService _service;

    public BackupServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod", [Guest(101, "web-server-01"), Guest(102, "database-01", "stopped", node: "proxmox-02")], null, [.. Usage()]));
        _pve.Gateway.Setup(g => g.GetStorageConfigsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new StorageConfig("local", "dir", ["iso", "vztmpl", "backup"], [], false, false, "/var/lib/vz", null, RetentionPolicy.Parse("keep-all=1"), null, new Dictionary<string, string>()),
            new StorageConfig("backup-nas", "nfs", ["backup", "iso"], [], true, false, null, "10.0.0.5", RetentionPolicy.Parse("keep-last=3,keep-daily=7"), null, new Dictionary<string, string>()),
            new StorageConfig("local-zfs", "zfspool", ["images", "rootdir"], [], false, false, null, null, null, null, new Dictionary<string, string>()),
        ]);
        var clock = new ManualClock(T0);
        var vms = new VmService(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, clock);
        var storage = new StorageService(_pve.Hub, _pve.Connections.Object, new StorageConfigCache(clock), _pve.Tracker.Object, _pve.Audit.Object, clock);
        _service = new BackupService(vms, storage, new StorageConfigCache(clock), _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, clock);
    }

    private static IEnumerable<StorageResource> Usage()
    {
        foreach (var node in new[] { "proxmox-01", "proxmox-02" })
        {
            yield return new StorageResource("local", node, "available", 40 * GiB, 100 * GiB, ["iso", "vztmpl", "backup"], false, "dir");
            yield return new StorageResource("backup-nas", node, "available", 6000 * GiB, 10000 * GiB, ["backup", "iso"], true, "nfs");
            yield return new StorageResource("local-zfs", node, "available", 100 * GiB, 500 * GiB, ["images", "rootdir"], false, "zfspool");
        }
    }

    private static StorageContentItem Backup(string storage, int vmid, int day, bool isProtected = false, string? notes = null) =>
        new($"{storage}:backup/vzdump-qemu-{vmid}-2026_11_{day:00}-01_00_00.vma.zst", "backup", "vma.zst", 5 * GiB, null,
            new DateTimeOffset(2026, 11, day, 1, 0, 0, TimeSpan.Zero), vmid, "qemu", notes, isProtected, null, null, null);

    private void Content(string node, string storage, int? vmid, params StorageContentItem[] items) =>
        _pve.Gateway.Setup(g => g.GetStorageContentAsync(node, storage, "backup", vmid, It.IsAny<CancellationToken>())).ReturnsAsync(items);

    [Fact]
    public async Task List_ReadsSharedStorageOnce_AndLocalStorageOnEveryNode_NewestFirst_WithVmNames()
    {
        Content("proxmox-01", "backup-nas", null, Backup("backup-nas", 101, 20), Backup("backup-nas", 102, 22, isProtected: true));
        Content("proxmox-01", "local", null, Backup("local", 101, 21));
        Content("proxmox-02", "local", null, Backup("local", 102, 23));

        var list = await _service.ListAsync(new BackupQuery(), Ct);

        Assert.Empty(list.Errors);
        Assert.Equal(["backup-nas", "local"], list.Storages.Select(s => s.Storage));
        Assert.Equal([23, 22, 21, 20], list.Items.Select(i => i.Created!.Value.Day));
        Assert.Equal(("proxmox-02", "database-01", false), (list.Items[0].Node, list.Items[0].VmName, list.Items[0].SharedStorage));
        Assert.True(list.Items[1].Protected);
        Assert.Equal("vzdump-qemu-101-2026_11_20-01_00_00.vma.zst", list.Items[3].FileName);
        _pve.Gateway.Verify(g => g.GetStorageContentAsync("proxmox-02", "backup-nas", It.IsAny<string?>(), It.IsAny<int?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task List_ReportsAStoragePveCannotList_AndStillListsTheOthers()
    {
        Content("proxmox-01", "backup-nas", 101, Backup("backup-nas", 101, 20));
        _pve.Gateway.Setup(g => g.GetStorageContentAsync("proxmox-01", "local", "backup", 101, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "storage 'local' is not online"));
        Content("proxmox-02", "local", 101);

        var list = await _service.ListAsync(new BackupQuery(VmId: 101), Ct);

        Assert.Single(list.Items);
        Assert.Equal(["local on proxmox-01: storage 'local' is not online"], list.Errors);
    }

    [Fact]
    public async Task List_UnknownStorage_IsNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _service.ListAsync(new BackupQuery(Storage: "local-zfs"), Ct));
    }

    [Fact]
    public async Task BackupNow_SendsVzdumpOnTheVmsNode_WithEscapedNotes_TracksAndAuditsTheUpid()
    {
        VzdumpRequest? sent = null;
        _pve.Gateway.Setup(g => g.VzdumpAsync("proxmox-01", It.IsAny<VzdumpRequest>(), It.IsAny<CancellationToken>()))
            .Callback<string, VzdumpRequest, CancellationToken>((_, r, _) => sent = r).ReturnsAsync(VzdumpUpid);

        var result = await _service.BackupNowAsync(Operator, new VmRef(101),
            new BackupNowRequest("backup-nas", "suspend", "none", "Before upgrade\nby {{guestname}} C:\\temp", Protected: true), Ct);

        Assert.Equal(VzdumpUpid, result.Upid);
        Assert.NotNull(sent);
        Assert.Equal([101], sent.VmIds);
        Assert.Equal(("backup-nas", "suspend", "0", true), (sent.Storage, sent.Mode, sent.Compress, sent.Protected));
        Assert.Equal("Before upgrade\\nby {{guestname}} C:\\\\temp", sent.NotesTemplate);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", VzdumpUpid, "olivia"), Times.Once);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("BACKUP_CREATE", "BACKUP", "101", true, VzdumpUpid), (row.Operation, row.ResourceType, row.ResourceId, row.Success, row.Upid));
    }

    [Fact]
    public async Task BackupNow_RefusesBadInputPerField_BeforeAskingPve()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => _service.BackupNowAsync(Operator, new VmRef(101),
            new BackupNowRequest("local-zfs", "hibernate", "bzip2", "{{hostname}}"), Ct));

        Assert.Equal(["compress", "mode", "notes", "storage"], ex.Errors.Keys.Order());
        Assert.Contains("{{hostname}}", ex.Errors["notes"]);
        _pve.Gateway.Verify(g => g.VzdumpAsync(It.IsAny<string>(), It.IsAny<VzdumpRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task BackupNow_ByAViewer_IsRefusedAndAudited()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.BackupNowAsync(Viewer, new VmRef(101), new BackupNowRequest("backup-nas"), Ct));

        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("BACKUP_CREATE", false, "victor"), (row.Operation, row.Success, row.Actor.UserName));
        Assert.StartsWith("Forbidden:", row.Error);
    }

    [Fact]
    public async Task BackupNow_PvesRefusal_IsAuditedAndSurfaced()
    {
        _pve.Gateway.Setup(g => g.VzdumpAsync("proxmox-01", It.IsAny<VzdumpRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "VM 101 is locked (snapshot)"));

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => _service.BackupNowAsync(Operator, new VmRef(101), new BackupNowRequest("backup-nas"), Ct));

        Assert.Equal("VM 101 is locked (snapshot)", ex.Message);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal((false, "VM 101 is locked (snapshot)"), (row.Success, row.Error));
    }

    [Fact]
    public async Task Delete_OfAProtectedBackup_IsRefusedUpFrontWithPvesMessage_AndAudited()
    {
        var b = Backup("backup-nas", 101, 20, isProtected: true);
        Content("proxmox-01", "backup-nas", 101, b);

        var ex = await Assert.ThrowsAsync<BackupProtectedException>(() =>
            _service.DeleteAsync(Operator, new BackupRef(null, "backup-nas", "vzdump-qemu-101-2026_11_20-01_00_00.vma.zst"), Ct));

        Assert.Equal("cannot remove protected volume 'backup/vzdump-qemu-101-2026_11_20-01_00_00.vma.zst' on 'backup-nas'", ex.Message);
        _pve.Gateway.Verify(g => g.DeleteVolumeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("BACKUP_DELETE", false, b.VolId), (row.Operation, row.Success, row.ResourceId));
    }

    [Fact]
    public async Task Delete_OnLocalStorage_FindsTheNodeHoldingIt_AndAuditsTheUpid()
    {
        var b = Backup("local", 102, 23);
        Content("proxmox-01", "local", 102);
        Content("proxmox-02", "local", 102, b);
        const string upid = "UPID:proxmox-02:00001001:00002001:6744F001:imgdel:102@local:root@pam!moxxie:";
        _pve.Gateway.Setup(g => g.DeleteVolumeAsync("proxmox-02", "local", b.VolId, It.IsAny<CancellationToken>())).ReturnsAsync(upid);

        var result = await _service.DeleteAsync(Operator, new BackupRef("prod", "local", b.Volume), Ct);

        Assert.Equal((upid, "proxmox-02"), (result.Upid, result.Node));
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-02", upid, "olivia"), Times.Once);
        Assert.Equal(("BACKUP_DELETE", true, upid), (_pve.Audited[0].Operation, _pve.Audited[0].Success, _pve.Audited[0].Upid));
    }

    [Fact]
    public async Task ProtectAndNotes_UpdateTheVolume_AndAreAudited()
    {
        var b = Backup("backup-nas", 101, 20, notes: "old");
        Content("proxmox-01", "backup-nas", 101, b);
        _pve.Gateway.Setup(g => g.UpdateVolumeAsync("proxmox-01", "backup-nas", b.VolId, null, true, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _pve.Gateway.Setup(g => g.UpdateVolumeAsync("proxmox-01", "backup-nas", b.VolId, "line 1\nline 2", null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var protectedItem = await _service.SetProtectedAsync(Operator, new BackupRef(null, "backup-nas", b.VolId), true, Ct);
        var noted = await _service.SetNotesAsync(Operator, new BackupRef(null, "backup-nas", b.VolId), "line 1\r\nline 2\n", Ct);

        Assert.True(protectedItem.Protected);
        Assert.Equal("line 1\nline 2", noted.Notes);
        Assert.Equal(["BACKUP_PROTECT", "BACKUP_NOTES"], _pve.Audited.Select(a => a.Operation));
        Assert.All(_pve.Audited, a => Assert.True(a.Success));
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.SetProtectedAsync(Viewer, new BackupRef(null, "backup-nas", b.VolId), false, Ct));
    }

    [Fact]
    public async Task Details_ParseTheConfigurationPveExtracts_AndKeepThePath()
    {
        var b = Backup("backup-nas", 101, 20);
        Content("proxmox-01", "backup-nas", 101, b);
        _pve.Gateway.Setup(g => g.GetVolumeAsync("proxmox-01", "backup-nas", b.VolId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new StorageVolumeInfo(b.VolId, "/mnt/pve/backup-nas/dump/x.vma.zst", "vma.zst", b.Size, null, null, false));
        _pve.Gateway.Setup(g => g.ExtractBackupConfigAsync("proxmox-01", b.VolId, It.IsAny<CancellationToken>())).ReturnsAsync(
            "#Web front end\n#second line\nboot: order=scsi0\ncores: 4\nmemory: 4096\nname: web-server-01\n#qmdump#map:scsi0:drive-scsi0:local-zfs:raw:\n");

        var d = await _service.GetDetailsAsync(new BackupRef("prod", "backup-nas", BackupItem.FileNameOf(b.VolId)), Ct);

        Assert.Equal("/mnt/pve/backup-nas/dump/x.vma.zst", d.Path);
        Assert.Equal("Web front end\nsecond line", d.Description);
        Assert.Equal(["boot", "cores", "memory", "name"], d.Config.Select(c => c.Key));
        Assert.Equal("web-server-01", d.Config.Single(c => c.Key == "name").Value);
        Assert.Null(d.ConfigError);
    }

    [Fact]
    public async Task Retention_IsAdminOnly_CheckedPerField_AndWrittenAsPvesPropertyString()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.SetRetentionAsync(Operator, null, "backup-nas", new RetentionPolicy(KeepLast: 2), Ct));
        var bad = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.SetRetentionAsync(Admin, null, "backup-nas", new RetentionPolicy(KeepLast: 0, KeepDaily: -1, KeepAll: true), Ct));
        Assert.Equal(["keepAll", "keepDaily", "keepLast"], bad.Errors.Keys.Order());

        RetentionPolicy? written = null;
        _pve.Gateway.Setup(g => g.SetStorageRetentionAsync("backup-nas", It.IsAny<RetentionPolicy?>(), It.IsAny<CancellationToken>()))
            .Callback<string, RetentionPolicy?, CancellationToken>((_, p, _) => written = p).Returns(Task.CompletedTask);
        var saved = await _service.SetRetentionAsync(Admin, null, "backup-nas", new RetentionPolicy(KeepLast: 2, KeepWeekly: 4), Ct);

        Assert.Equal("keep-last=2,keep-weekly=4", written?.ToString());
        Assert.Equal(written, saved.Retention);
        Assert.Equal(("STORAGE_RETENTION", true), (_pve.Audited[^1].Operation, _pve.Audited[^1].Success));
    }

    [Fact]
    public async Task Prune_OnLocalStorage_RunsOnEveryNode_EachUpidAudited()
    {
        _pve.Gateway.Setup(g => g.PruneBackupsAsync(It.IsAny<string>(), "local", It.IsAny<PruneRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string node, string _, PruneRequest _, CancellationToken _) => $"UPID:{node}:00001002:00002002:6744F002:prunebackups:local:root@pam!moxxie:");

        var result = await _service.PruneAsync(Operator, null, "local", new RetentionPolicy(KeepLast: 1), null, Ct);

        Assert.Equal(["proxmox-01", "proxmox-02"], result.Tasks.Select(t => t.Node));
        Assert.Equal(result.Tasks.Select(t => t.Upid), _pve.Audited.Select(a => a.Upid));
        Assert.All(_pve.Audited, a => Assert.Equal(("BACKUP_PRUNE", "STORAGE"), (a.Operation, a.ResourceType)));
    }

    [Fact]
    public async Task PrunePreview_ListsWhatPveMarks_PerNode()
    {
        _pve.Gateway.Setup(g => g.PruneBackupsDryRunAsync("proxmox-01", "backup-nas", new PruneRequest(null, null, null), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new PruneEntry("backup-nas:backup/a", 101, "qemu", T0, "keep"),
            new PruneEntry("backup-nas:backup/b", 101, "qemu", T0.AddDays(-1), "remove"),
            new PruneEntry("backup-nas:backup/c", 101, "qemu", T0.AddDays(-2), "protected"),
        ]);

        var preview = await _service.PreviewPruneAsync(null, "backup-nas", null, null, Ct);

        Assert.Equal((1, 2), (preview.Removed, preview.Kept));
        Assert.Equal("keep-last=3,keep-daily=7", preview.Policy?.ToString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    [InlineData("one\r\ntwo", "one\\ntwo")]
    [InlineData("a\\b", "a\\\\b")]
    public void NotesTemplate_EscapesNewlinesAndBackslashes(string? notes, string? expected) =>
        Assert.Equal(expected, BackupRules.NotesTemplate(notes));

    [Fact]
    public void ParseConfig_StopsAtTheFirstSnapshotSection()
    {
        var (config, description) = BackupRules.ParseConfig("cores: 2\nname: a\n\n[before]\ncores: 1\n");
        Assert.Equal(["cores", "name"], config.Select(c => c.Key));
        Assert.Null(description);
    }
}
