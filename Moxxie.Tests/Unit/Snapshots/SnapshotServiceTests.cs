using Microsoft.EntityFrameworkCore;
using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Tests.Integration.Proxmox;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Snapshots;

public sealed class SnapshotServiceTests : IDisposable
{
    private const string Upid = "UPID:proxmox-01:00001000:00002000:6744F000:qmsnapshot:101:root@pam!moxxie:";
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], "10.0.0.7");
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], "10.0.0.8");

    private readonly MockedPve _pve = new();
    private readonly ManualClock _clock = new();
    private readonly TestMoxxieDbFactory _db = new();
    private readonly SnapshotService _service;

    public SnapshotServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod",
            Guest(101, "web-server-01", "running"),
            Guest(102, "database-01", "stopped"),
            Guest(200, "ct-dns", "running", type: GuestType.Lxc)));
        var vms = new VmService(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, _clock);
        _service = new SnapshotService(vms, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, _db, _clock);
    }

    public void Dispose() => _db.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Snapshot Snap(string name, string? parent, int minutes, string? description = null, bool vmstate = false) =>
        new(name, parent, description, T0.AddMinutes(minutes), vmstate, false, null);

    private static Snapshot Current(string? parent) => new("current", parent, "You are here!", null, false, true, true);

    private void Existing(int vmid, params Snapshot[] snaps) =>
        _pve.Gateway.Setup(g => g.GetSnapshotsAsync("proxmox-01", vmid, It.IsAny<GuestType>(), It.IsAny<CancellationToken>())).ReturnsAsync(snaps);

    [Fact]
    public async Task Create_WithTtl_SendsTheDescriptionWithTheTtlMarker_StoresTheTtl_TracksAndAuditsTheUpid()
    {
        Existing(101, Snap("base", null, 0), Current("base"));
        SnapshotRequest? sent = null;
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 101, GuestType.Qemu, It.IsAny<SnapshotRequest>(), It.IsAny<CancellationToken>()))
            .Callback<string, int, GuestType, SnapshotRequest, CancellationToken>((_, _, _, r, _) => sent = r).ReturnsAsync(Upid);

        var result = await _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("before-upgrade", "Before the upgrade", true, 24), Ct);

        Assert.Equal(Upid, result.Upid);
        Assert.Equal(new SnapshotRequest("before-upgrade", "Before the upgrade (TTL: 24h)", true), sent);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", Upid, "olivia"), Times.Once);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("SNAPSHOT_CREATE", "SNAPSHOT", "101/before-upgrade", true, Upid), (row.Operation, row.ResourceType, row.ResourceId, row.Success, row.Upid));
        await using var db = await _db.CreateAsync(Ct);
        var ttl = Assert.Single(await db.SnapshotTtls.ToListAsync(Ct));
        Assert.Equal(("prod", 101, "before-upgrade", 24, "olivia", Upid), (ttl.Connection, ttl.VmId, ttl.SnapshotName, ttl.TtlHours, ttl.CreatedBy, ttl.Upid));
        Assert.Equal(_clock.GetUtcNow().AddHours(24), ttl.ExpiresAt);
    }

    [Fact]
    public async Task Create_WithTtl_WritesTheTtlBeforeThePost_SoACrashAfterThePostCannotLoseIt()
    {
        Existing(101, Current(null));
        var rowsWhenPosted = -1;
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 101, GuestType.Qemu, It.IsAny<SnapshotRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, int _, GuestType _, SnapshotRequest _, CancellationToken c) =>
            {
                await using var db = await _db.CreateAsync(c);
                rowsWhenPosted = await db.SnapshotTtls.CountAsync(t => t.SnapshotName == "intent" && t.TtlHours == 6 && t.Upid == null, c);
                return Upid;
            });

        await _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("intent", TtlHours: 6), Ct);

        Assert.Equal(1, rowsWhenPosted);
        await using var after = await _db.CreateAsync(Ct);
        Assert.Equal(Upid, Assert.Single(await after.SnapshotTtls.ToListAsync(Ct)).Upid);
    }

    [Fact]
    public async Task Create_WithTtl_RefusedByPve_DropsTheTtl_ButKeepsItWhenPveWasUnreachable()
    {
        Existing(101, Current(null));
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 101, GuestType.Qemu, It.Is<SnapshotRequest>(r => r.Name == "refused"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "VM is locked (backup)"));
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 101, GuestType.Qemu, It.Is<SnapshotRequest>(r => r.Name == "unknown"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", null, "connection reset"));

        await Assert.ThrowsAsync<ProxmoxException>(() => _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("refused", TtlHours: 6), Ct));
        await Assert.ThrowsAsync<ProxmoxException>(() => _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("unknown", TtlHours: 6), Ct));

        // The POST may have reached PVE: the TTL stays (the reaper drops it at expiry if no snapshot came of it).
        await using var db = await _db.CreateAsync(Ct);
        Assert.Equal(["unknown"], await db.SnapshotTtls.Select(t => t.SnapshotName).ToListAsync(Ct));
    }

    [Fact]
    public async Task Create_WithoutTtl_StoresNoRow_AndLeavesTheDescriptionAlone()
    {
        Existing(102, Current(null));
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 102, GuestType.Qemu, new SnapshotRequest("plain", "Just a note", false), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Upid);

        await _service.CreateAsync(Operator, new VmRef(102), new SnapshotCreate("plain", " Just a note "), Ct);

        await using var db = await _db.CreateAsync(Ct);
        Assert.Empty(await db.SnapshotTtls.ToListAsync(Ct));
    }

    [Theory]
    [InlineData("1abc", "name")]
    [InlineData("a", "name")]
    [InlineData("has space", "name")]
    [InlineData("current", "name")]
    [InlineData("this-name-is-much-too-long-for-pve-rules-x", "name")]
    [InlineData("", "name")]
    public async Task Create_RefusesNamesPveWouldRefuse_WithoutCallingPve(string name, string field)
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate(name), Ct));

        Assert.True(ex.Errors.ContainsKey(field), string.Join(", ", ex.Errors.Keys));
        _pve.Gateway.VerifyNoOtherCalls();
        Assert.Empty(_pve.Audited);
    }

    [Fact]
    public async Task Create_RefusesRamOfAStoppedVm_ABadTtl_AndAnExistingName_PerField()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.CreateAsync(Operator, new VmRef(102), new SnapshotCreate("ok-name", null, true, 0), Ct));
        Assert.Equal(["includeVMState", "ttlHours"], ex.Errors.Keys.Order());
        Assert.Contains("stopped", ex.Errors["includeVMState"]);

        var lxc = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.CreateAsync(Operator, new VmRef(200), new SnapshotCreate("ok-name", null, true), Ct));
        Assert.Contains("QEMU", lxc.Errors["includeVMState"]);

        Existing(101, Snap("base", null, 0), Current("base"));
        var taken = await Assert.ThrowsAsync<ValidationException>(() => _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("base"), Ct));
        Assert.Contains("already exists", taken.Errors["name"]);
        _pve.Gateway.Verify(g => g.CreateSnapshotAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<GuestType>(), It.IsAny<SnapshotRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Viewer_IsRefused_PveIsNotCalled_AndTheAttemptIsAudited()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.CreateAsync(Viewer, new VmRef(101), new SnapshotCreate("x1", TtlHours: 1), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.DeleteAsync(Viewer, new VmRef(101), "base", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.RollbackAsync(Viewer, new VmRef(101), "base", false, Ct));

        _pve.Gateway.VerifyNoOtherCalls();
        Assert.Equal(["SNAPSHOT_CREATE", "SNAPSHOT_DELETE", "SNAPSHOT_ROLLBACK"], _pve.Audited.Select(a => a.Operation));
        Assert.All(_pve.Audited, a => Assert.False(a.Success));
        Assert.All(_pve.Audited, a => Assert.StartsWith("Forbidden", a.Error));
    }

    [Fact]
    public async Task UnknownVm_IsNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _service.CreateAsync(Operator, new VmRef(999), new SnapshotCreate("abc"), Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _service.GetTreeAsync(new VmRef(999), Ct));
    }

    [Fact]
    public async Task Delete_RemovesTheTtlRow_Rollback_PassesStart_BothAuditedWithTheirUpid()
    {
        Existing(101, Current(null));
        _pve.Gateway.Setup(g => g.CreateSnapshotAsync("proxmox-01", 101, GuestType.Qemu, It.IsAny<SnapshotRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Upid);
        await _service.CreateAsync(Operator, new VmRef(101), new SnapshotCreate("short", TtlHours: 1), Ct);
        _pve.Gateway.Setup(g => g.RollbackSnapshotAsync("proxmox-01", 101, GuestType.Qemu, "short", true, It.IsAny<CancellationToken>())).ReturnsAsync("UPID:r");
        _pve.Gateway.Setup(g => g.DeleteSnapshotAsync("proxmox-01", 101, GuestType.Qemu, "short", false, It.IsAny<CancellationToken>())).ReturnsAsync("UPID:d");

        await _service.RollbackAsync(Operator, new VmRef(101), "short", true, Ct);
        await _service.DeleteAsync(Operator, new VmRef(101), "short", Ct);

        Assert.Equal([("SNAPSHOT_CREATE", Upid), ("SNAPSHOT_ROLLBACK", "UPID:r"), ("SNAPSHOT_DELETE", "UPID:d")], _pve.Audited.Select(a => (a.Operation, a.Upid!)));
        await using var db = await _db.CreateAsync(Ct);
        Assert.Empty(await db.SnapshotTtls.ToListAsync(Ct));
    }

    [Fact]
    public async Task PveRefusal_IsAuditedWithPvesMessage_AndRethrown()
    {
        _pve.Gateway.Setup(g => g.DeleteSnapshotAsync("proxmox-01", 101, GuestType.Qemu, "base", false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "VM is locked (backup)"));

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => _service.DeleteAsync(Operator, new VmRef(101), "base", Ct));

        Assert.Equal("VM is locked (backup)", ex.Message);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("SNAPSHOT_DELETE", false, "VM is locked (backup)"), (row.Operation, row.Success, row.Error));
    }

    [Fact]
    public void Tree_NestsChildrenUnderParents_MarksCurrent_AndShowsTtlRemaining()
    {
        var entries = new[]
        {
            Current("b"), Snap("a", null, 0), Snap("b", "a", 10), Snap("c", "a", 5), Snap("d", "b", 20), Snap("orphan", "gone", 30),
        };
        var ttl = new SnapshotTtl { Connection = "prod", VmId = 101, SnapshotName = "d", TtlHours = 2, CreatedBy = "o", CreatedAt = T0, ExpiresAt = T0.AddHours(2) };

        var tree = SnapshotService.BuildTree(entries, [ttl], T0.AddMinutes(30), running: true);

        Assert.Equal(["a", "orphan"], tree.Roots.Select(r => r.Name));
        Assert.Equal([("a", 0), ("c", 1), ("b", 1), ("d", 2), ("orphan", 0)], tree.Flat.Select(n => (n.Name, n.Depth)));
        Assert.Equal("b", tree.CurrentParent);
        Assert.True(tree.Find("b")!.IsCurrentParent);
        Assert.False(tree.Find("a")!.IsCurrentParent);
        Assert.Equal(TimeSpan.FromMinutes(90), tree.Find("d")!.Ttl!.Remaining);
        Assert.Null(tree.Find("a")!.Ttl);
    }

    [Theory]
    [InlineData("Before upgrade", 168, "Before upgrade (TTL: 168h)")]
    [InlineData(null, 1, "(TTL: 1h)")]
    [InlineData("  ", null, null)]
    [InlineData("note", null, "note")]
    public void PveDescription_AppendsTheTtlMarker(string? description, int? ttl, string? expected)
    {
        Assert.Equal(expected, SnapshotRules.PveDescription(description, ttl));
        if (expected is not null) Assert.Equal(description?.Trim() ?? "", SnapshotRules.WithoutTtlSuffix(expected));
    }
}
