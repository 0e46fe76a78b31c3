using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Scheduling;

/// <summary>One Moxxie on PostgreSQL with a clock the test can move forward, over the demo simulator (HTTPS, real client).</summary>
public sealed class SnapshotJobAppFixture : IAsyncLifetime
{
    public ShiftedClock Clock { get; } = new();
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions
    {
        Provider = DbProvider.Postgres,
        Clock = Clock,
        Settings = new Dictionary<string, string>
        {
            ["Moxxie:Bulk:PollInterval"] = "00:00:00.2", ["Moxxie:Bulk:FollowInterval"] = "00:00:00.2", ["Moxxie:Scheduler:TickInterval"] = "00:00:00.5",
        },
    }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>Helpers of the snapshot job tests: users, snapshots made through Moxxie or by hand (straight to PVE through the
/// client), jobs and runs through the API.</summary>
public abstract class SnapshotJobTestBase(SnapshotJobAppFixture fixture)
{
    private const string Password = "Snapshot-Jobs-Pa55!";
    private const string Cluster = "production-cluster";
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    protected SnapshotJobAppFixture Fixture => fixture;
    protected MoxxieAppFactory App => fixture.App;
    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get(Cluster);

    protected async Task<HttpClient> OperatorAsync()
    {
        var user = MoxxieAppFixture.UniqueUser("snapjob");
        await AppSession.CreateUserAsync(App, user, Password, MoxxieRoles.Operator);
        var client = AppSession.BearerClient(App, await AppSession.GetAccessTokenAsync(App, user, Password));
        await MoxxieAppFactory.EventuallyAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms", Ct)).GetArrayLength(), n => n > 0);
        return client;
    }

    protected string NodeOf(int vmid) => App.Services.GetRequiredService<InventoryHub>().Get(Cluster)!.Resources.Guests.Single(g => g.VmId == vmid).Node;

    protected async Task WaitAsync(string upid) =>
        Assert.True((await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30))).Succeeded);

    protected async Task HandSnapshotAsync(int vmid, string name) =>
        await WaitAsync(await Gateway.CreateSnapshotAsync(NodeOf(vmid), vmid, GuestType.Qemu, new SnapshotRequest(name, "made by hand"), Ct));

    protected async Task MoxxieSnapshotAsync(HttpClient client, int vmid, string name)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/vms/{vmid}/snapshots", new { name }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitAsync((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!);
    }

    protected async Task<List<Snapshot>> PveSnapshotsAsync(int vmid) =>
        [.. (await Gateway.GetSnapshotsAsync(NodeOf(vmid), vmid, GuestType.Qemu, Ct)).Where(s => !s.IsCurrent)];

    protected static async Task<string> CreateJobAsync(HttpClient client, string name, string taskType, object parameters, string vmIds)
    {
        var created = await client.PostAsJsonAsync("/api/v1/scheduler/jobs", new
        {
            name, taskType, cronExpression = "0 0 3 1 1 ?", timeZone = "UTC", enabled = true, parameters,
            vmSelectors = new[] { new { type = "VM_IDS", value = vmIds } },
        }, Ct);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.GetRawText());
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Run now, then the run as history shows it once it has ended.</summary>
    protected static async Task<JsonElement> RunAsync(HttpClient client, string jobId)
    {
        var run = await client.PostAsync($"/api/v1/scheduler/jobs/{jobId}/run", null, Ct);
        var started = await run.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(run.StatusCode == HttpStatusCode.Accepted, started.GetRawText());
        var executionId = started.GetProperty("executionId").GetString();
        var ended = await MoxxieAppFactory.EventuallyAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/scheduler/jobs/{jobId}/history?limit=10", Ct)).EnumerateArray()
                .First(h => h.GetProperty("executionId").GetString() == executionId),
            h => h.GetProperty("status").GetString() != "RUNNING", TimeSpan.FromSeconds(120));
        if (ended.GetProperty("status").GetString() == "RUNNING")
        {
            // Say where it hangs: the bulk operations of the run.
            var ops = string.Join(" | ", await Task.WhenAll((ended.GetProperty("operationId").GetString() ?? "").Split('|', ',')
                .Where(id => id.Length > 0).Select(id => client.GetStringAsync($"/api/v1/bulk/operations/{id}", Ct))));
            Assert.Fail($"Run still RUNNING: {ended.GetRawText()} operations: {ops}");
        }
        return ended;
    }

    protected static List<string> Messages(JsonElement run) =>
        [.. run.GetProperty("results").GetProperty("details").EnumerateArray().Select(d => d.GetProperty("message").GetString()!)];

}

/// <summary>Issue 8: a snapshot_create job with maxSnapshots 3 run five times leaves the three newest snapshots it made, and
/// never counts or touches snapshots it did not make (by hand, or through Moxxie's dialog).</summary>
public sealed class SnapshotJobTests(SnapshotJobAppFixture fixture) : SnapshotJobTestBase(fixture), IClassFixture<SnapshotJobAppFixture>
{
    [Fact]
    public async Task Snapshot_create_job_with_max_snapshots_3_run_five_times_leaves_the_three_newest_it_made()
    {
        using var op = await OperatorAsync();
        await HandSnapshotAsync(106, "keep3-by-hand");
        await MoxxieSnapshotAsync(op, 106, "keep3-dialog");
        var job = await CreateJobAsync(op, "keep-three", "snapshot_create",
            new { snapshotNamePattern = "keep3-{vmid}-{datetime}", description = "kept three", maxSnapshots = "3" }, "106");

        var made = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            var run = await RunAsync(op, job);
            Assert.True(run.GetProperty("status").GetString() == "SUCCESS", run.GetRawText());
            var message = Assert.Single(Messages(run));
            Assert.StartsWith("Snapshot created: keep3-106-", message, StringComparison.Ordinal);
            made.Add(message["Snapshot created: ".Length..].Split(';')[0]);
            Assert.Contains($"kept the newest 3", message, StringComparison.Ordinal);
            var jobs = (await PveSnapshotsAsync(106)).Select(s => s.Name).Where(made.Contains).ToList();
            Assert.Equal(Math.Min(i, 3), jobs.Count);
        }

        var left = (await PveSnapshotsAsync(106)).Select(s => s.Name).ToList();
        Assert.Equal(made.TakeLast(3).Order(StringComparer.Ordinal), left.Where(made.Contains).Order(StringComparer.Ordinal));
        // Snapshots the job did not make are neither counted nor touched.
        Assert.Contains("keep3-by-hand", left);
        Assert.Contains("keep3-dialog", left);
        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Equal(2, audit.Count(a => a.Operation == "SNAPSHOT_DELETE" && a.ResourceId!.StartsWith("106/keep3-106-", StringComparison.Ordinal) && a.Success));
    }

}

/// <summary>Issue 8: snapshot_delete in safe mode deletes Moxxie's old snapshots and never a hand-made one; its dry run
/// deletes nothing. Moxxie's clock is moved three hours on (its own app: the clock is never moved back).</summary>
public sealed class SnapshotDeleteJobTests(SnapshotJobAppFixture fixture) : SnapshotJobTestBase(fixture), IClassFixture<SnapshotJobAppFixture>
{
    [Fact]
    public async Task Snapshot_delete_in_safe_mode_deletes_moxxies_old_snapshots_and_never_a_hand_made_one()
    {
        using var early = await OperatorAsync();
        await MoxxieSnapshotAsync(early, 107, "old-moxxie-a");
        await MoxxieSnapshotAsync(early, 107, "old-moxxie-b");
        await HandSnapshotAsync(107, "old-hand");

        // Three hours pass for Moxxie: the snapshots are older than the job's threshold (PVE's snapshot times stay).
        Fixture.Clock.Offset = TimeSpan.FromHours(3);
        using var op = await OperatorAsync();
        await MoxxieSnapshotAsync(op, 107, "old-moxxie-new");   // made "now": younger than the threshold
        var dry = await CreateJobAsync(op, "cleanup-dry", "snapshot_delete",
            new { ageThresholdHours = "2", namePattern = "old-*", checkDescription = "true", safeMode = "true", dryRun = "true" }, "107");
        var plan = await RunAsync(op, dry);
        Assert.Equal("Dry run, would delete: old-moxxie-a, old-moxxie-b", Assert.Single(Messages(plan)));
        Assert.Equal(4, (await PveSnapshotsAsync(107)).Count(s => s.Name.StartsWith("old-", StringComparison.Ordinal)));

        var job = await CreateJobAsync(op, "cleanup", "snapshot_delete",
            new { ageThresholdHours = "2", namePattern = "old-*", checkDescription = "true", safeMode = "true" }, "107");
        var run = await RunAsync(op, job);
        Assert.True(run.GetProperty("status").GetString() == "SUCCESS", run.GetRawText());
        Assert.Equal("Deleted 2 snapshot(s): old-moxxie-a, old-moxxie-b", Assert.Single(Messages(run)));

        var left = (await PveSnapshotsAsync(107)).Select(s => s.Name).ToList();
        Assert.Contains("old-hand", left);
        Assert.Contains("old-moxxie-new", left);
        Assert.DoesNotContain("old-moxxie-a", left);
        Assert.DoesNotContain("old-moxxie-b", left);

        // Run again: nothing left that is due and Moxxie's; the hand-made one still stands.
        var again = await RunAsync(op, job);
        Assert.Equal("SKIPPED", again.GetProperty("results").GetProperty("details")[0].GetProperty("status").GetString());
        Assert.Contains("old-hand", (await PveSnapshotsAsync(107)).Select(s => s.Name));
    }
}
