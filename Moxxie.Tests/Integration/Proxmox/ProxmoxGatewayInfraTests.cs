using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>
/// Moxxie's typed client against the simulator over HTTPS for rrd, backups, restore, prune, backup jobs, pools and SDN:
/// every gateway method of these areas sends schema-valid calls (the simulator validates each one) and reads the answer.
/// </summary>
public sealed class ProxmoxGatewayInfraTests : IAsyncLifetime
{
    private PveTestHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PveTestHost.StartAsync(taskSpeed: 50);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private IProxmoxGateway Gateway() => _host.Gateway(_host.TokenSettings());

    [Theory]
    [InlineData(RrdTimeframe.Hour, 60)]
    [InlineData(RrdTimeframe.Day, 1440)]
    [InlineData(RrdTimeframe.Week, 336)]
    [InlineData(RrdTimeframe.Month, 1440)]
    [InlineData(RrdTimeframe.Year, 1440)]
    public async Task Rrd_NodeAndGuests_ReadEveryTimeframe(RrdTimeframe timeframe, int rows)
    {
        var gw = Gateway();
        var node = await gw.GetNodeRrdAsync("proxmox-01", timeframe, RrdConsolidation.Average, Ct);
        var vm = await gw.GetGuestRrdAsync("proxmox-01", 101, GuestType.Qemu, timeframe, RrdConsolidation.Max, Ct);
        var ct = await gw.GetGuestRrdAsync("proxmox-01", 200, GuestType.Lxc, timeframe, RrdConsolidation.Average, Ct);

        Assert.Equal(rows, node.Count);
        Assert.Equal(rows, vm.Count);
        Assert.Equal(rows, ct.Count);
        Assert.True(node[^1]["loadavg"] > 0 && node[^1]["memtotal"] > node[^1]["memused"]);
        Assert.Equal(4, vm[^1]["maxcpu"]);
        Assert.InRange(vm[^1]["cpu"] ?? -1, 0.0005, 1.0);
        Assert.True(ct[^1]["disk"] > 0);
        Assert.True(vm[0].Time < vm[^1].Time);
    }

    private static Task<PveTask> DoneAsync(IProxmoxGateway gw, string node, string upid) =>
        Eventually.HoldsAsync(() => gw.GetTaskStatusAsync(node, upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30), $"task {upid} to end");

    [Fact]
    public async Task Backup_VzdumpExtractRestorePruneAndVolumeFlags_RoundTrip()
    {
        var gw = Gateway();
        var upid = await gw.VzdumpAsync("proxmox-01", new VzdumpRequest([101])
        {
            Storage = "backup-nas", Mode = "snapshot", Compress = "zstd", NotesTemplate = "{{guestname}}", Protected = true, Remove = false,
        }, Ct);
        Assert.Equal("backup", _host.Cluster.FindGuest(101)!.Lock);
        var done = await DoneAsync(gw, "proxmox-01", upid);
        Assert.True(done.Succeeded, done.ExitStatus);
        Assert.Null(_host.Cluster.FindGuest(101)!.Lock);

        var backups = await gw.GetStorageContentAsync("proxmox-01", "backup-nas", "backup", 101, Ct);
        Assert.Equal(4, backups.Count);
        var newest = backups[0];   // newest first
        Assert.True(newest.Protected);
        Assert.Equal(("web-server-01", "vma.zst", 101), (newest.Notes, newest.Format, newest.VmId));

        var config = await gw.ExtractBackupConfigAsync("proxmox-01", newest.VolId, Ct);
        Assert.Contains("name: web-server-01", config);

        var restore = await gw.RestoreVmAsync("proxmox-01", new RestoreVmRequest(160, newest.VolId)
        {
            Storage = "local-zfs", Unique = true, Start = false, Pool = "staging",
            Other = new Dictionary<string, string> { ["name"] = "web-server-restored" },
        }, Ct);
        Assert.True((await DoneAsync(gw, "proxmox-01", restore)).Succeeded);
        Assert.Equal("web-server-restored", _host.Cluster.FindGuest(160)!.Name);

        var dryRun = await gw.PruneBackupsDryRunAsync("proxmox-01", "backup-nas", new PruneRequest(new RetentionPolicy(KeepLast: 1), 101, GuestType.Qemu), Ct);
        Assert.Equal(4, dryRun.Count);
        Assert.Equal(2, dryRun.Count(e => e.Mark == "protected"));
        Assert.Equal(1, dryRun.Count(e => e.Removed));
        var byPolicy = await gw.PruneBackupsDryRunAsync("proxmox-01", "backup-nas", new PruneRequest(), Ct);
        Assert.NotEmpty(byPolicy);
        var prune = await gw.PruneBackupsAsync("proxmox-01", "backup-nas", new PruneRequest(new RetentionPolicy(KeepLast: 1), 101, GuestType.Qemu), Ct);
        Assert.True((await DoneAsync(gw, "proxmox-01", prune)).Succeeded);
        Assert.Equal(3, (await gw.GetStorageContentAsync("proxmox-01", "backup-nas", "backup", 101, Ct)).Count);

        await gw.UpdateVolumeAsync("proxmox-01", "backup-nas", newest.VolId, "kept for audit", false, Ct);
        var volume = await gw.GetVolumeAsync("proxmox-01", "backup-nas", newest.VolId, Ct);
        Assert.Equal("kept for audit", volume.Notes);
        var delete = await gw.DeleteVolumeAsync("proxmox-01", "backup-nas", newest.VolId, Ct);
        Assert.True((await DoneAsync(gw, "proxmox-01", delete!)).Succeeded);
    }

    [Fact]
    public async Task BackupJobs_CreateReadUpdateDelete_WithRetentionAndNextRun()
    {
        var gw = Gateway();
        var nightly = Assert.Single(await gw.GetBackupJobsAsync(Ct), j => j.All);
        Assert.Equal(new RetentionPolicy(KeepLast: 3, KeepDaily: 7, KeepWeekly: 4), nightly.Retention);
        Assert.NotNull(nightly.NextRun);

        await gw.CreateBackupJobAsync(new BackupJobSpec
        {
            Id = "backup-gw000001", Schedule = "sat 02:00", Storage = "backup-nas", VmIds = [101, 104], Enabled = true, Mode = "snapshot",
            Compress = "zstd", Comment = "Web tier", NotesTemplate = "{{guestname}}", MailNotification = "failure", Retention = new RetentionPolicy(KeepLast: 5),
        }, Ct);
        var job = await gw.GetBackupJobAsync("backup-gw000001", Ct);
        Assert.Equal(("101,104", "sat 02:00", "Web tier"), (job.VmIds, job.Schedule, job.Comment));
        Assert.Equal(new RetentionPolicy(KeepLast: 5), job.Retention);

        await gw.UpdateBackupJobAsync("backup-gw000001", new BackupJobSpec { Pool = "production", Enabled = false, Delete = ["comment"] }, Ct);
        job = await gw.GetBackupJobAsync("backup-gw000001", Ct);
        Assert.Equal(("production", false, null, null), (job.Pool, job.Enabled, job.VmIds, job.Comment));

        await gw.DeleteBackupJobAsync("backup-gw000001", Ct);
        Assert.DoesNotContain(await gw.GetBackupJobsAsync(Ct), j => j.Id == "backup-gw000001");
    }

    [Fact]
    public async Task PoolsSdnAndResources_ReadThroughTheGateway()
    {
        var gw = Gateway();
        var pools = await gw.GetPoolsAsync(Ct);
        Assert.Equal(["development", "production", "staging"], pools.Select(p => p.PoolId));
        Assert.Contains(pools.Single(p => p.PoolId == "production").Members, m => m.VmId == 101);

        var zones = await gw.GetSdnZonesAsync(Ct);
        Assert.Equal(["labzone", "prodzone"], zones.Select(z => z.Zone));
        var vnets = await gw.GetSdnVnetsAsync(Ct);
        Assert.Equal(100, vnets.Single(v => v.Vnet == "prodweb").Tag);
        var subnets = await gw.GetSdnSubnetsAsync("labnet", Ct);
        var lab = Assert.Single(subnets);
        Assert.Equal(("labzone-10.10.0.0-24", "10.10.0.0/24", "10.10.0.1", true), (lab.Id, lab.Subnet, lab.Gateway, lab.Snat));
        Assert.NotEmpty(lab.DhcpRanges);

        foreach (var type in new string?[] { null, "vm", "node", "storage", "sdn" })
            Assert.NotNull(await gw.GetResourcesAsync(type, Ct));
    }
}
