using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>App (PostgreSQL) + simulator with a settable Moxxie clock, for the snapshot API and the reaper.</summary>
public sealed class SnapshotAppFixture : IAsyncLifetime
{
    public SettableClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(
        new MoxxieAppOptions { Provider = DbProvider.Postgres, Clock = Clock, Settings = new Dictionary<string, string> { ["Moxxie:Snapshots:ReapInterval"] = "01:00:00" } },
        TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>The guide's "Snapshot Management" API over the simulator through Moxxie's PVE client: create with a TTL
/// (stored in PostgreSQL, written into the description), list, validation per field, 404, 403, rollback, delete, and the
/// reaper deleting the snapshot once Moxxie's clock passes the TTL, audited as "system" with the UPID.</summary>
public sealed class SnapshotApiTests(SnapshotAppFixture fixture) : IClassFixture<SnapshotAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "snap" + role.ToLowerInvariant(), role);

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, int vmid) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/v1/vms/{vmid}/snapshots", Ct)).EnumerateArray()];

    private static JsonElement? Named(List<JsonElement> list, string name) =>
        list.Where(e => e.GetProperty("name").GetString() == name).Cast<JsonElement?>().FirstOrDefault();

    private static async Task<JsonElement> AcceptedAsync(HttpResponseMessage response, string taskType)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}");
        Assert.Matches($"^UPID:[^:]+:[0-9A-F]{{8}}:[0-9A-F]{{8}}:[0-9A-F]{{8}}:{taskType}:", body.GetProperty("task").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.True(body.GetProperty("estimatedDuration").GetInt32() > 0);
        return body;
    }

    /// <summary>Waits until PVE's task ended (the VM's lock released); returns its exit status.</summary>
    private async Task<string?> TaskEndAsync(string upid)
    {
        var gateway = App.Services.GetRequiredService<Moxxie.Core.Proxmox.IProxmoxConnections>().Get("production-cluster");
        var task = await MoxxieAppFactory.EventuallyAsync(() => gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30));
        Assert.False(task.Running, upid);
        return task.ExitStatus;
    }

    [Fact]
    public async Task Create_WithTtl_ListsIt_StoresIt_AndTheReaperDeletesItOnceMoxxiesClockPassesTheTtl()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);

        var created = await AcceptedAsync(await op.PostAsJsonAsync("/api/v1/vms/101/snapshots",
            new { name = "before-upgrade", description = "Before the upgrade", includeVMState = false, ttlHours = 1 }, Ct), "qmsnapshot");
        Assert.Equal("Snapshot creation started", created.GetProperty("message").GetString());
        var upid = created.GetProperty("task").GetString();

        var list = await ListAsync(op, 101);
        Assert.Equal("current", list[0].GetProperty("name").GetString());
        Assert.True(list[0].GetProperty("running").GetBoolean());
        var snap = Named(list, "before-upgrade")!.Value;
        Assert.Equal("Before the upgrade (TTL: 1h)", snap.GetProperty("description").GetString());
        Assert.Equal(1, snap.GetProperty("ttlHours").GetInt32());
        Assert.Equal(fixture.Clock.Now.AddHours(1).ToUnixTimeSeconds(), snap.GetProperty("expiresAt").GetInt64(), 2.0);
        Assert.True(snap.GetProperty("vmstate").ValueKind is JsonValueKind.False);

        await using (var db = await App.Services.GetRequiredService<IMoxxieDbFactory>().CreateAsync(Ct))
        {
            var row = Assert.Single(await db.SnapshotTtls.AsNoTracking().Where(t => t.VmId == 101).ToListAsync(Ct));
            Assert.Equal(("production-cluster", "before-upgrade", 1, upid), (row.Connection, row.SnapshotName, row.TtlHours, row.Upid));
        }
        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "SNAPSHOT_CREATE" && a.Success && a.Upid == upid && a.ResourceId == "101/before-upgrade");

        Assert.Equal("OK", await TaskEndAsync(upid!));
        // A snapshot without TTL: never touched by the reaper.
        var keep = await AcceptedAsync(await op.PostAsJsonAsync("/api/v1/vms/101/snapshots", new { name = "keep-me" }, Ct), "qmsnapshot");
        Assert.Equal("OK", await TaskEndAsync(keep.GetProperty("task").GetString()!));

        var reaper = App.Services.GetRequiredService<SnapshotReaper>();
        Assert.Equal(0, (await reaper.ReapAsync(Ct)).Expired);

        fixture.Clock.Now = fixture.Clock.Now.AddMinutes(61);
        Assert.Equal(new ReapResult(1, 1, 0, 0), await reaper.ReapAsync(Ct));

        // The operator's bearer token expired with the clock's jump: sign in again.
        using var later = await ClientAsync(MoxxieRoles.Operator);
        list = await ListAsync(later, 101);
        Assert.Null(Named(list, "before-upgrade"));
        Assert.NotNull(Named(list, "keep-me"));
        var expired = (await App.AuditEntriesAsync(Ct)).Where(a => a.Operation == "SNAPSHOT_EXPIRE").ToList();
        var deletion = Assert.Single(expired);
        Assert.True(deletion.Success, deletion.Error);
        Assert.Equal(("system", "101/before-upgrade"), (deletion.User, deletion.ResourceId));
        Assert.Matches("^UPID:.*:qmdelsnapshot:101:", deletion.Upid);
        Assert.Equal(new ReapResult(0, 0, 0, 0), await reaper.ReapAsync(Ct));
    }

    [Fact]
    public async Task Validation_IsPerField_UnknownVmIs404_ViewerIs403()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);

        // VM 102 is stopped: RAM state refused too; every field named in the guide's error shape.
        var bad = await op.PostAsJsonAsync("/api/v1/vms/102/snapshots", new { name = "1-bad name", ttlHours = 0, description = new string('x', 2000), includeVMState = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.True(error.TryGetProperty("timestamp", out _));
        Assert.Equal(["description", "includeVMState", "name", "ttlHours"], error.GetProperty("details").EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("stopped", error.GetProperty("details").GetProperty("includeVMState").GetString());
        Assert.Contains("8760", error.GetProperty("details").GetProperty("ttlHours").GetString());

        // One field at a time: each answer names only that field.
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { name = "x" }, "name"), (new { name = "ok-name", ttlHours = 8761 }, "ttlHours"), (new { name = "ok-name", includeVMState = true }, "includeVMState"),
                 })
        {
            var single = await (await op.PostAsJsonAsync("/api/v1/vms/102/snapshots", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("VALIDATION_ERROR", single.GetProperty("error").GetString());
            Assert.Equal([field], single.GetProperty("details").EnumerateObject().Select(p => p.Name));
        }

        var reserved = await op.PostAsJsonAsync("/api/v1/vms/102/snapshots", new { name = "current" }, Ct);
        Assert.Contains("reserved", (await reserved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("details").GetProperty("name").GetString());

        var missing = await op.PostAsJsonAsync("/api/v1/vms/99999/snapshots", new { name = "fine" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/v1/vms/99999/snapshots", Ct)).StatusCode);

        var forbidden = await viewer.PostAsJsonAsync("/api/v1/vms/102/snapshots", new { name = "fine" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/vms/102/snapshots/fine", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/vms/102/snapshots/fine/rollback", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/vms/102/snapshots", Ct)).StatusCode);
        Assert.Equal(3, (await App.AuditEntriesAsync(Ct)).Count(a => a.Operation.StartsWith("SNAPSHOT_", StringComparison.Ordinal) && !a.Success
            && a.Error!.StartsWith("Forbidden", StringComparison.Ordinal) && a.ResourceId!.StartsWith("102/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Size_IsTheRamStateVolumeTheStorageLists_OrHonestlyNotReported()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var withRam = await AcceptedAsync(await op.PostAsJsonAsync("/api/v1/vms/104/snapshots", new { name = "with-ram", includeVMState = true }, Ct), "qmsnapshot");
        Assert.Equal("OK", await TaskEndAsync(withRam.GetProperty("task").GetString()!));
        var diskOnly = await AcceptedAsync(await op.PostAsJsonAsync("/api/v1/vms/104/snapshots", new { name = "disk-only" }, Ct), "qmsnapshot");
        Assert.Equal("OK", await TaskEndAsync(diskOnly.GetProperty("task").GetString()!));

        using var scope = App.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<SnapshotService>();
        var ram = await service.GetSizeAsync(new Moxxie.Core.Vms.VmRef(104, null), "with-ram", Ct);
        Assert.Matches("^[a-z0-9-]+:vm-104-state-with-ram$", ram.StateVolume);
        Assert.Equal((4096L * 2 + 500) * 1024 * 1024, ram.StateBytes);   // PVE's vmstate size for 4 GiB of RAM, as the storage lists it
        Assert.Contains("no size for disk snapshots", ram.Note);

        var disk = await service.GetSizeAsync(new Moxxie.Core.Vms.VmRef(104, null), "disk-only", Ct);
        Assert.Equal((null, (long?)null), (disk.StateVolume, disk.StateBytes));
        Assert.StartsWith("Not reported by this storage", disk.Note);
    }

    [Fact]
    public async Task Rollback_ThenDelete_AnswerTheAsyncShape_AndTheSnapshotGoes()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var created = await AcceptedAsync(await op.PostAsJsonAsync("/api/v1/vms/103/snapshots", new { name = "point-a", description = "A" }, Ct), "qmsnapshot");
        Assert.Equal("OK", await TaskEndAsync(created.GetProperty("task").GetString()!));

        var rollback = await AcceptedAsync(await op.PostAsync("/api/v1/vms/103/snapshots/point-a/rollback?start=true", null, Ct), "qmrollback");
        Assert.Equal("OK", await TaskEndAsync(rollback.GetProperty("task").GetString()!));
        var rolledBack = Assert.Single(await App.AuditEntriesAsync(Ct), a => a.Operation == "SNAPSHOT_ROLLBACK" && a.Success && a.ResourceId == "103/point-a");
        Assert.Contains("\"start\":true", rolledBack.DetailsJson);

        var delete = await AcceptedAsync(await op.DeleteAsync("/api/v1/vms/103/snapshots/point-a", Ct), "qmdelsnapshot");
        Assert.Equal("Snapshot deletion started", delete.GetProperty("message").GetString());
        Assert.Equal("OK", await TaskEndAsync(delete.GetProperty("task").GetString()!));
        Assert.Null(Named(await ListAsync(op, 103), "point-a"));
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "SNAPSHOT_DELETE" && a.Success && a.Upid!.Contains(":qmdelsnapshot:103:", StringComparison.Ordinal));
    }
}
