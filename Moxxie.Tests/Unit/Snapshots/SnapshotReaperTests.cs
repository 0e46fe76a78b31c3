using Microsoft.EntityFrameworkCore;
using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Snapshots;
using Moxxie.Tests.Integration.Proxmox;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Snapshots;

public sealed class SnapshotReaperTests : IDisposable
{
    private readonly MockedPve _pve = new();
    private readonly ManualClock _clock = new();
    private readonly TestMoxxieDbFactory _db = new();
    private readonly SnapshotReaper _reaper;

    public SnapshotReaperTests()
    {
        _pve.Hub.Publish(Snapshot("prod", Guest(101, "web-server-01", "running", node: "proxmox-02"), Guest(102, "database-01", "stopped")));
        _reaper = new SnapshotReaper(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, _db, _clock);
    }

    public void Dispose() => _db.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task AddTtlAsync(int vmid, string name, int hours, string connection = "prod")
    {
        await using var db = await _db.CreateAsync(Ct);
        var now = _clock.GetUtcNow();
        db.SnapshotTtls.Add(new SnapshotTtl { Connection = connection, VmId = vmid, SnapshotName = name, TtlHours = hours, CreatedBy = "olivia", CreatedAt = now, ExpiresAt = now.AddHours(hours) });
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<string>> RowsAsync()
    {
        await using var db = await _db.CreateAsync(Ct);
        return await db.SnapshotTtls.OrderBy(t => t.SnapshotName).Select(t => t.SnapshotName).ToListAsync(Ct);
    }

    private void Finishes(string upid, string exit = "OK") =>
        _pve.Gateway.Setup(g => g.GetTaskStatusAsync("proxmox-02", upid, It.IsAny<CancellationToken>())).ReturnsAsync(PveTaskAt(upid, T0, exit: exit));

    private void Lists(int vmid, string node, params string[] names) =>
        _pve.Gateway.Setup(g => g.GetSnapshotsAsync(node, vmid, GuestType.Qemu, It.IsAny<CancellationToken>()))
            .ReturnsAsync([.. names.Select(n => new Snapshot(n, null, null, T0, false, false, null)), new Snapshot("current", null, null, null, false, true, true)]);

    [Fact]
    public async Task NothingExpired_TouchesNothing_ThenPastTheTtl_DeletesAsSystem_AuditedWithTheUpid()
    {
        await AddTtlAsync(101, "short", 1);
        Lists(101, "proxmox-02", "short", "keep-me");

        Assert.Equal(new ReapResult(0, 0, 0, 0), await _reaper.ReapAsync(Ct));
        _pve.Gateway.VerifyNoOtherCalls();

        _clock.Advance(TimeSpan.FromMinutes(61));
        _pve.Gateway.Setup(g => g.DeleteSnapshotAsync("proxmox-02", 101, GuestType.Qemu, "short", false, It.IsAny<CancellationToken>())).ReturnsAsync("UPID:del");
        Finishes("UPID:del");

        Assert.Equal(new ReapResult(1, 1, 0, 0), await _reaper.ReapAsync(Ct));

        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("SNAPSHOT_EXPIRE", "system", "101/short", true, "UPID:del"), (row.Operation, row.Actor.UserName, row.ResourceId, row.Success, row.Upid));
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-02", "UPID:del", "system"));
        Assert.Empty(await RowsAsync());
        // "keep-me" has no TTL row: never deleted.
        _pve.Gateway.Verify(g => g.DeleteSnapshotAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<GuestType>(), "keep-me", It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task FailedDeletion_IsAudited_AndRetriedNextRound()
    {
        await AddTtlAsync(101, "locked", 1);
        Lists(101, "proxmox-02", "locked");
        _clock.Advance(TimeSpan.FromHours(2));
        _pve.Gateway.SetupSequence(g => g.DeleteSnapshotAsync("proxmox-02", 101, GuestType.Qemu, "locked", false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "connection refused"))
            .ReturnsAsync("UPID:second")
            .ReturnsAsync("UPID:third");
        Finishes("UPID:second", "VM is locked (backup)");
        Finishes("UPID:third");

        Assert.Equal(new ReapResult(1, 0, 0, 1), await _reaper.ReapAsync(Ct));   // the call fails
        Assert.Equal(["locked"], await RowsAsync());
        Assert.Equal(new ReapResult(1, 0, 0, 1), await _reaper.ReapAsync(Ct));   // the task fails
        Assert.Equal(["locked"], await RowsAsync());
        Assert.Equal(new ReapResult(1, 1, 0, 0), await _reaper.ReapAsync(Ct));

        Assert.Equal([(false, "connection refused", (string?)null), (false, "VM is locked (backup)", "UPID:second"), (true, null, "UPID:third")],
            _pve.Audited.Select(a => (a.Success, a.Error, a.Upid)));
        Assert.Empty(await RowsAsync());
    }

    [Fact]
    public async Task AlreadyGoneSnapshotOrVm_JustLosesItsRow_WithoutADeleteCall_UnloadedConnectionWaits()
    {
        await AddTtlAsync(101, "gone-already", 1);
        await AddTtlAsync(555, "vm-gone", 1);
        await AddTtlAsync(101, "elsewhere", 1, connection: "lab");
        Lists(101, "proxmox-02", "other");
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new ReapResult(3, 0, 2, 0), await _reaper.ReapAsync(Ct));

        Assert.Empty(_pve.Audited);
        Assert.Equal(["elsewhere"], await RowsAsync());
        _pve.Gateway.Verify(g => g.DeleteSnapshotAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<GuestType>(), It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
