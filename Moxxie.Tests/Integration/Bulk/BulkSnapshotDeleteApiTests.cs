using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Bulk;

/// <summary>POST /api/v1/bulk/snapshots/delete on PostgreSQL over the simulator (HTTPS, real client): a dry run lists per VM
/// which snapshots would go and which stay and why; executing that plan deletes exactly those at PVE (one after another,
/// each audited with its UPID) and leaves the hand-made one (safe mode); VALIDATION_ERROR per field; Viewers refused.</summary>
public sealed class BulkSnapshotDeleteApiTests(BulkAppFixture fixture) : IClassFixture<BulkAppFixture>
{
    private const string Cluster = "production-cluster";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;
    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get(Cluster);

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "bsd" + role.ToLowerInvariant(), role);

    private string NodeOf(int vmid) => App.Services.GetRequiredService<InventoryHub>().Get(Cluster)!.Resources.Guests.Single(g => g.VmId == vmid).Node;

    private async Task WaitAsync(string upid) =>
        Assert.True((await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30))).Succeeded);

    /// <summary>Through Moxxie's API: audited, so "made by Moxxie".</summary>
    private async Task MoxxieSnapshotAsync(HttpClient client, int vmid, string name)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/vms/{vmid}/snapshots", new { name }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitAsync((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!);
    }

    /// <summary>Straight to PVE through the client, as someone would by hand: Moxxie has no record of it.</summary>
    private async Task HandSnapshotAsync(int vmid, string name) =>
        await WaitAsync(await Gateway.CreateSnapshotAsync(NodeOf(vmid), vmid, GuestType.Qemu, new SnapshotRequest(name, "made by hand"), Ct));

    private async Task<List<string>> PveSnapshotsAsync(int vmid) =>
        [.. (await Gateway.GetSnapshotsAsync(NodeOf(vmid), vmid, GuestType.Qemu, Ct)).Where(s => !s.IsCurrent).Select(s => s.Name)];

    [Fact]
    public async Task Dry_run_lists_what_goes_and_what_stays_and_executing_it_deletes_exactly_those_leaving_the_hand_made_one()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        await MoxxieSnapshotAsync(op, 104, "bsd-a");
        await MoxxieSnapshotAsync(op, 104, "bsd-b");
        await HandSnapshotAsync(104, "bsd-hand");
        await MoxxieSnapshotAsync(op, 105, "other-name");

        var dry = await op.PostAsJsonAsync("/api/v1/bulk/snapshots/delete",
            new { vmIds = new[] { 104, 105 }, snapshotPattern = "bsd-*", safeMode = true, dryRun = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var plan = await dry.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("snapshot-delete:snapshot-delete", plan.GetProperty("operation").GetString());
        var vms = plan.GetProperty("affectedVMs").EnumerateArray().ToDictionary(v => v.GetProperty("vmId").GetInt32());
        Assert.True(vms[104].GetProperty("wouldSucceed").GetBoolean());
        Assert.Equal("bsd-a, bsd-b", vms[104].GetProperty("proposedName").GetString());
        var decided = vms[104].GetProperty("snapshots").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("delete", decided["bsd-a"].GetProperty("action").GetString());
        Assert.Equal("delete", decided["bsd-b"].GetProperty("action").GetString());
        Assert.Equal("keep", decided["bsd-hand"].GetProperty("action").GetString());
        Assert.Equal("not made by Moxxie (safe mode)", decided["bsd-hand"].GetProperty("reason").GetString());
        Assert.DoesNotContain("current", decided.Keys);
        Assert.False(vms[105].GetProperty("wouldSucceed").GetBoolean());
        Assert.Equal("no-change", vms[105].GetProperty("reasonCode").GetString());
        Assert.Equal("name does not match 'bsd-*'", vms[105].GetProperty("snapshots")[0].GetProperty("reason").GetString());
        // A dry run deletes nothing.
        Assert.Contains("bsd-a", await PveSnapshotsAsync(104));

        var planId = plan.GetProperty("planId").GetString();
        var executed = await op.PostAsync($"/api/v1/bulk/operations/{planId}/execute", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, executed.StatusCode);
        var done = await MoxxieAppFactory.EventuallyAsync(async () => await op.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{planId}", Ct),
            o => o.GetProperty("status").GetString() is "completed" or "aborted", TimeSpan.FromSeconds(60));
        var results = done.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("vmId").GetInt32());
        Assert.True(results[104].GetProperty("success").GetBoolean(), results[104].GetRawText());
        Assert.Equal("Deleted 2 snapshot(s): bsd-a, bsd-b", results[104].GetProperty("message").GetString());
        Assert.StartsWith("UPID:", results[104].GetProperty("task").GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", results[105].GetProperty("status").GetString());

        var left = await PveSnapshotsAsync(104);
        Assert.DoesNotContain("bsd-a", left);
        Assert.DoesNotContain("bsd-b", left);
        Assert.Contains("bsd-hand", left);
        Assert.Contains("other-name", await PveSnapshotsAsync(105));

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "BULK_SNAPSHOT_DELETE" && a.ResourceId == planId);
        foreach (var name in new[] { "bsd-a", "bsd-b" })
            Assert.Contains(audit, a => a.Operation == "SNAPSHOT_DELETE" && a.ResourceId == $"104/{name}" && a.Success && a.Upid is not null);
        Assert.DoesNotContain(audit, a => a.Operation == "SNAPSHOT_DELETE" && a.ResourceId == "104/bsd-hand");
    }

    [Fact]
    public async Task Without_safe_mode_named_snapshots_go_whoever_made_them_and_a_direct_run_answers_202()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        await HandSnapshotAsync(101, "hand-1");
        await HandSnapshotAsync(101, "hand-2");
        var submitted = await op.PostAsJsonAsync("/api/v1/bulk/snapshots/delete",
            new { vmIds = new[] { 101 }, snapshotNames = new[] { "hand-1" }, safeMode = false, parallel = false }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("operationId").GetString();
        var done = await MoxxieAppFactory.EventuallyAsync(async () => await op.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct),
            o => o.GetProperty("status").GetString() is "completed" or "aborted", TimeSpan.FromSeconds(60));
        Assert.Equal(1, done.GetProperty("successful").GetInt32());
        var left = await PveSnapshotsAsync(101);
        Assert.DoesNotContain("hand-1", left);
        Assert.Contains("hand-2", left);
    }

    [Fact]
    public async Task Bad_criteria_answer_validation_error_per_field_and_viewers_are_refused()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var none = await op.PostAsJsonAsync("/api/v1/bulk/snapshots/delete", new { vmIds = new[] { 103 }, dryRun = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var error = await none.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        Assert.True(error.GetProperty("details").TryGetProperty("snapshotDelete", out _));

        var bad = await op.PostAsJsonAsync("/api/v1/bulk/snapshots/delete",
            new { vmIds = new[] { 103 }, snapshotNames = new[] { "current" }, ageThresholdHours = 0, keepNewest = -1, dryRun = true }, Ct);
        var details = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("details");
        Assert.Contains("never deleted", details.GetProperty("snapshotNames").GetString(), StringComparison.Ordinal);
        Assert.True(details.TryGetProperty("ageThresholdHours", out _));
        Assert.True(details.TryGetProperty("keepNewest", out _));

        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var refused = await viewer.PostAsJsonAsync("/api/v1/bulk/snapshots/delete", new { vmIds = new[] { 103 }, snapshotPattern = "*", dryRun = true }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
