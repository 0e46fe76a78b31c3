using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Bulk;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Bulk;

/// <summary>Moxxie on PostgreSQL with its bulk worker off: the test claims and runs the task itself, as the instance
/// restarting after a crash would.</summary>
public sealed class BulkNoWorkerFixture : IAsyncLifetime
{
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions
    {
        Provider = DbProvider.Postgres,
        Settings = new Dictionary<string, string> { ["Moxxie:Bulk:Enabled"] = "false", ["Moxxie:Bulk:FollowInterval"] = "00:00:00.2" },
    }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>Crash safety of a snapshot-delete task (several deletions of one VM in one task): resumed with the "about to
/// POST" marker of its second deletion and no UPID, it adopts the deletion PVE's task list shows since the marker — never the
/// first deletion's task, which also started within the clock-skew window — sends no DELETE twice, and goes on.</summary>
public sealed class BulkSnapshotDeleteResumeTests(BulkNoWorkerFixture fixture) : IClassFixture<BulkNoWorkerFixture>
{
    private const string Cluster = "production-cluster";
    private const string Owner = "resume-test";
    private const int Vm = 105;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;
    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get(Cluster);

    private async Task<PveTask> WaitAsync(string upid) =>
        await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Resumed_after_a_crash_mid_deletion_it_adopts_that_deletion_not_the_earlier_one_and_sends_no_delete_twice()
    {
        var user = MoxxieAppFixture.UniqueUser("resume");
        await AppSession.CreateUserAsync(App, user, "Resume-Pa55word!", MoxxieRoles.Operator);
        using var op = AppSession.BearerClient(App, await AppSession.GetAccessTokenAsync(App, user, "Resume-Pa55word!"));
        await MoxxieAppFactory.EventuallyAsync(async () => (await op.GetFromJsonAsync<JsonElement>("/api/v1/vms", Ct)).GetArrayLength(), n => n > 0);
        var node = App.Services.GetRequiredService<InventoryHub>().Get(Cluster)!.Resources.Guests.Single(g => g.VmId == Vm).Node;
        foreach (var name in new[] { "rs-a", "rs-b", "rs-c" })
        {
            var created = await op.PostAsJsonAsync($"/api/v1/vms/{Vm}/snapshots", new { name }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            Assert.True((await WaitAsync((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!)).Succeeded);
        }
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        var plan = await (await op.PostAsJsonAsync("/api/v1/bulk/snapshots/delete", new { vmIds = new[] { Vm }, snapshotPattern = "rs-*", dryRun = true }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var planId = plan.GetProperty("planId").GetString()!;
        Assert.Equal("rs-a, rs-b, rs-c", plan.GetProperty("affectedVMs")[0].GetProperty("proposedName").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsync($"/api/v1/bulk/operations/{planId}/execute", null, Ct)).StatusCode);

        var store = App.Services.GetRequiredService<IBulkStore>();
        var claim = Assert.Single(await store.ClaimAsync(Owner, 10, TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(planId, claim.Operation.Id);

        // The crashed instance had deleted rs-a (done, committed), then written the marker for rs-b and sent its DELETE, and
        // died before the UPID was written.
        var upidA = await Gateway.DeleteSnapshotAsync(node, Vm, GuestType.Qemu, "rs-a", false, Ct);
        var taskA = await WaitAsync(upidA);
        Assert.True(taskA.Succeeded);
        // The marker as the engine writes it, right after rs-a's deletion ended: rs-a's task lies inside the search window.
        var marker = taskA.StartTime.AddSeconds(1);
        var upidB = await Gateway.DeleteSnapshotAsync(node, Vm, GuestType.Qemu, "rs-b", false, Ct);
        var state = JsonSerializer.Serialize(new BulkSnapshotDeleteTask(["rs-a", "rs-b", "rs-c"]) { Deleted = ["rs-a"], Upids = [upidA] },
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        void Crashed(BulkTask t)
        {
            t.Status = BulkTaskStatus.Running;
            t.Step = 2;
            t.ParametersJson = state;
            t.PostingAt = marker;
            t.Upid = null;
            t.Attempts = 1;
        }
        Assert.True(await store.UpdateTaskAsync(claim.Task.Id, Owner, Crashed, Ct));
        Crashed(claim.Task);

        using (var scope = App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<BulkExecutor>().RunAsync(claim, Owner, Ct);

        BulkTask task;
        await using (var db = await App.Services.GetRequiredService<IMoxxieDbFactory>().CreateAsync(Ct))
            task = await db.BulkTasks.AsNoTracking().SingleAsync(t => t.Id == claim.Task.Id, Ct);
        Assert.True(task.Status == BulkTaskStatus.Succeeded, $"{task.Status}: {task.Message}");
        Assert.Equal("Deleted 3 snapshot(s): rs-a, rs-b, rs-c", task.Message);
        var done = JsonSerializer.Deserialize<BulkSnapshotDeleteTask>(task.ParametersJson!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(upidA, done.Upids[0]);
        Assert.Equal(upidB, done.Upids[1]);   // adopted, not the earlier deletion's task
        Assert.Equal(3, done.Upids.Distinct().Count());

        var deletes = (await Gateway.GetGuestTasksSinceAsync(node, Vm, started, "qmdelsnapshot", Ct)).Where(t => t.Type == "qmdelsnapshot").ToList();
        Assert.Equal(3, deletes.Count);   // one DELETE per snapshot: rs-b was not sent again
        Assert.DoesNotContain((await Gateway.GetSnapshotsAsync(node, Vm, GuestType.Qemu, Ct)).Select(s => s.Name), n => n.StartsWith("rs-", StringComparison.Ordinal));
    }
}
