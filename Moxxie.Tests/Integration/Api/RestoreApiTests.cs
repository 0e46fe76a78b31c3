using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>App (PostgreSQL) + simulator over HTTPS for the restore API.</summary>
public sealed class RestoreAppFixture : IAsyncLifetime
{
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions { Provider = DbProvider.Postgres }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>POST /api/v1/backups/restore and GET …/restore/plan through Moxxie's PVE client against the simulator: the plan of
/// a backup, a restore to the next free VMID with a NIC moved to another bridge, new MACs and start after, the async
/// shape and the audit row with the UPID; VALIDATION_ERROR per field (VMID taken without overwrite, overwrite without the
/// typed name, storage, bridge, volid); Viewer refused and audited; PVE's own message when the archive is missing.</summary>
public sealed class RestoreApiTests(RestoreAppFixture fixture) : IClassFixture<RestoreAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;
    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get("production-cluster");

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "restore" + role.ToLowerInvariant(), role);

    private async Task<string> NewestBackupAsync(int vmid) =>
        (await Gateway.GetStorageContentAsync("proxmox-01", "backup-nas", "backup", vmid, Ct)).OrderByDescending(b => b.Created).First().VolId;

    private static async Task<JsonElement> ValidationAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("error").GetString());
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        return body.GetProperty("details");
    }

    [Fact]
    public async Task Plan_ListsTheBackupsDisksNicsTargetNodesAndTheNextFreeVmid()
    {
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var volid = await NewestBackupAsync(101);

        var plan = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/backups/restore/plan?volid={Uri.EscapeDataString(volid)}", Ct);

        Assert.Equal((volid, 101, "web-server-01"), (plan.GetProperty("volid").GetString(), plan.GetProperty("vmid").GetInt32(), plan.GetProperty("name").GetString()));
        Assert.Equal(("production-cluster", "proxmox-01"), (plan.GetProperty("connection").GetString(), plan.GetProperty("sourceNode").GetString()));
        Assert.Equal(101, plan.GetProperty("existing").GetProperty("vmid").GetInt32());
        Assert.Equal(await Gateway.GetNextVmIdAsync(null, Ct), plan.GetProperty("nextId").GetInt32());
        var disk = Assert.Single(plan.GetProperty("disks").EnumerateArray());
        Assert.Equal(("scsi0", 50L * 1024 * 1024 * 1024), (disk.GetProperty("key").GetString(), disk.GetProperty("size").GetInt64()));
        var nic = plan.GetProperty("nics").EnumerateArray().First();
        Assert.Equal(("net0", "vmbr0"), (nic.GetProperty("key").GetString(), nic.GetProperty("bridge").GetString()));
        var nodes = plan.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["proxmox-01", "proxmox-02", "proxmox-03"], nodes.Select(n => n.GetProperty("node").GetString()).Order());   // backup-nas is shared
        Assert.All(nodes, n => Assert.Contains("vmbr1", n.GetProperty("bridges").EnumerateArray().Select(b => b.GetString())));
        Assert.All(nodes, n => Assert.DoesNotContain("backup-nas", n.GetProperty("storages").EnumerateArray().Select(s => s.GetString())));
    }

    [Fact]
    public async Task Restore_ToTheNextFreeVmid_OnAnotherBridgeWithNewMacs_StartsTheVm_AnswersTheAsyncShape_AndIsAuditedWithTheUpid()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var volid = await NewestBackupAsync(103);
        var backedUp = await Gateway.GetGuestConfigAsync("proxmox-01", 103, GuestType.Qemu, Ct);

        var response = await op.PostAsJsonAsync("/api/v1/backups/restore",
            new { volid, node = "proxmox-02", storage = "local-zfs", bridges = new Dictionary<string, string> { ["net0"] = "vmbr1" }, uniqueMacs = true, start = true, name = "restored-103" }, Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}");
        var upid = body.GetProperty("task").GetString()!;
        Assert.Matches("^UPID:proxmox-02:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmrestore:(\\d+):", upid);
        Assert.True(body.GetProperty("estimatedDuration").GetInt32() > 0);
        Assert.Contains(volid, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var vmid = int.Parse(upid.Split(':')[6], System.Globalization.CultureInfo.InvariantCulture);

        var task = await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetTaskStatusAsync("proxmox-02", upid, Ct), t => !t.Running, TimeSpan.FromSeconds(60));
        Assert.Equal("OK", task.ExitStatus);
        var config = await Gateway.GetGuestConfigAsync("proxmox-02", vmid, GuestType.Qemu, Ct);
        Assert.Equal("restored-103", config["name"]);
        var net0 = GuestNic.Parse("net0", config["net0"]);
        Assert.Equal("vmbr1", net0.Bridge);
        Assert.NotEqual(GuestNic.Parse("net0", backedUp["net0"]).MacAddress, net0.MacAddress);
        Assert.StartsWith($"local-zfs:vm-{vmid}-disk-0", config["scsi0"], StringComparison.Ordinal);
        var status = await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetGuestStatusAsync("proxmox-02", vmid, GuestType.Qemu, Ct), s => s.Status == "running");
        Assert.Equal("running", status.Status);

        var audit = Assert.Single(await App.AuditEntriesAsync(Ct), a => a.Operation == "BACKUP_RESTORE" && a.Upid == upid);
        Assert.True(audit.Success);
        Assert.Equal(vmid.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.ResourceId);
    }

    [Fact]
    public async Task Restore_RefusesATakenVmidWithoutOverwrite_AnOverwriteWithoutTheTypedName_AndUnknownStorageBridgeOrVolid_PerField()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var volid = await NewestBackupAsync(101);

        var taken = await ValidationAsync(await op.PostAsJsonAsync("/api/v1/backups/restore", new { volid, vmId = 101 }, Ct));
        Assert.Contains("VM 101 (web-server-01) exists", taken.GetProperty("vmId").GetString(), StringComparison.Ordinal);

        // 102 (database-01) is stopped in the demo preset: an overwrite needs its name or VMID typed
        var unconfirmed = await ValidationAsync(await op.PostAsJsonAsync("/api/v1/backups/restore", new { volid, vmId = 102, overwrite = true, confirm = "web-server-01" }, Ct));
        Assert.Contains("database-01", unconfirmed.GetProperty("confirm").GetString(), StringComparison.Ordinal);

        var running = await ValidationAsync(await op.PostAsJsonAsync("/api/v1/backups/restore", new { volid, vmId = 101, overwrite = true, confirm = "101" }, Ct));
        Assert.Contains("stop it", running.GetProperty("vmId").GetString(), StringComparison.Ordinal);

        var targets = await ValidationAsync(await op.PostAsJsonAsync("/api/v1/backups/restore",
            new { volid, storage = "backup-nas", bridges = new Dictionary<string, string> { ["net0"] = "vmbr9", ["net7"] = "vmbr0" } }, Ct));
        Assert.Contains("does not take VM disks", targets.GetProperty("storage").GetString(), StringComparison.Ordinal);
        Assert.Equal("No bridge 'vmbr9' on proxmox-01.", targets.GetProperty("bridges.net0").GetString());
        Assert.Equal("The backup has no NIC net7.", targets.GetProperty("bridges.net7").GetString());

        var badVolid = await ValidationAsync(await op.PostAsJsonAsync("/api/v1/backups/restore", new { volid = "not a volume" }, Ct));
        Assert.True(badVolid.TryGetProperty("volid", out _));

        Assert.DoesNotContain(await App.AuditEntriesAsync(Ct), a => a.Operation == "BACKUP_RESTORE" && a.Success && a.ResourceId is "101" or "102");
    }

    [Fact]
    public async Task Restore_ByAViewer_IsForbiddenAndAudited_AndAMissingArchiveAnswersPvesMessage()
    {
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var volid = await NewestBackupAsync(104);
        var forbidden = await viewer.PostAsJsonAsync("/api/v1/backups/restore", new { volid }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "BACKUP_RESTORE" && !a.Success && a.Error!.StartsWith("Forbidden", StringComparison.Ordinal));

        using var op = await ClientAsync(MoxxieRoles.Operator);
        var missing = await op.PostAsJsonAsync("/api/v1/backups/restore", new { volid = "backup-nas:backup/vzdump-qemu-104-2020_01_01-00_00_00.vma.zst" }, Ct);
        var body = await missing.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.BadGateway, missing.StatusCode);
        Assert.Equal("PROXMOX_ERROR", body.GetProperty("error").GetString());
        Assert.Contains("can't find file 'backup-nas:backup/vzdump-qemu-104-2020_01_01-00_00_00.vma.zst'", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
