using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Simulator;
using Moxxie.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Moxxie.Tests.Integration.Bulk;

/// <summary>
/// Issue 7's durability: Moxxie.Web as real processes on one PostgreSQL over the "bulk" simulator (10 nodes, 1,000 running
/// VMs, stop tasks of 0.3 s, the answer to each stop POST held back 300 ms so a kill catches tasks PVE started but Moxxie
/// never heard of). Killed with SIGKILL in the middle of a 1,000-VM stop and started again, every VM ends with exactly one
/// result and the simulator counts exactly 1,000 stop POSTs; two instances sharing the database never run the same task.
/// Opt-in (MOXXIE_BULK_PROCESS_TESTS=1): they start Moxxie.Web processes and need an unloaded machine; not yet seen green.
/// </summary>
public sealed class BulkCrashTests
{
    public const string OptIn = "MOXXIE_BULK_PROCESS_TESTS";

    private static void RequireOptIn() =>
        Assert.SkipUnless(Environment.GetEnvironmentVariable(OptIn) == "1", $"set {OptIn}=1 to run the process-level bulk tests");

    private const string StopPattern = "POST nodes/*/qemu/*/status/stop";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SimulatorServer> SimulatorAsync()
    {
        var sim = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = "bulk", Seed = 7, TaskSeconds = 0.3 }, Ct);
        sim.Control.AddResponseLatency(StopPattern, 300);
        return sim;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(string cs, string operationId)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "Status", count(*) FROM "BulkTasks" WHERE "OperationId" = @id GROUP BY "Status" """, c);
        cmd.Parameters.AddWithValue("id", operationId);
        var result = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct)) result[r.GetString(0)] = r.GetInt64(1);
        return result;
    }

    private static async Task<List<(int VmId, string Status, string? Upid, string? ClaimedBy, bool Marked)>> TasksAsync(string cs, string operationId)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "VmId", "Status", "Upid", "ClaimedBy", "PostingAt" IS NOT NULL FROM "BulkTasks" WHERE "OperationId" = @id""", c);
        cmd.Parameters.AddWithValue("id", operationId);
        var result = new List<(int, string, string?, string?, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
            result.Add((r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetBoolean(4)));
        return result;
    }

    private static async Task<string> SubmitStopAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bulk/power/stop", new { tagExpression = "bulk", perNodeLimit = 10, maxParallel = 100 }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1000, body.GetProperty("queued").GetInt32());
        return body.GetProperty("operationId").GetString()!;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what, string? cs = null, string? id = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: {(cs is null ? "" : string.Join(", ", (await CountsAsync(cs, id!)).Select(kv => $"{kv.Key}={kv.Value}")))}");
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task Killed_with_sigkill_mid_run_and_restarted_every_vm_ends_with_one_result_and_no_stop_is_sent_twice()
    {
        RequireOptIn();
        await using var sim = await SimulatorAsync();
        await using var db = await PostgresTestDatabase.CreateAsync(Ct);
        string id;
        await using (var first = MoxxieProcess.Start(sim, db.ConnectionString, "crash-instance"))
        {
            using var client = await first.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
            id = await SubmitStopAsync(client);
            await WaitAsync(async () => (await CountsAsync(db.ConnectionString, id)).GetValueOrDefault("succeeded") >= 250, TimeSpan.FromMinutes(3), "250 stops", db.ConnectionString, id);
            first.Kill();
        }

        var atKill = await TasksAsync(db.ConnectionString, id);
        var inFlight = atKill.Count(t => t.Status == "running");
        var postedUnheard = atKill.Count(t => t.Status == "running" && t.Marked && t.Upid is null);
        Assert.True(inFlight > 0, "the kill should catch tasks in flight");
        Assert.True(atKill.Count(t => t.Status == "succeeded") < 1000);

        await using (var second = MoxxieProcess.Start(sim, db.ConnectionString, "crash-instance"))
        {
            using var client = await second.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
            await WaitAsync(async () =>
                (await client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct)).GetProperty("status").GetString() == "completed",
                TimeSpan.FromMinutes(4), "operation completed after the restart", db.ConnectionString, id);
            var op = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct);
            Assert.Equal((1000, 1000, 0), (op.GetProperty("totalTargets").GetInt32(), op.GetProperty("successful").GetInt32(), op.GetProperty("failed").GetInt32()));
        }

        var tasks = await TasksAsync(db.ConnectionString, id);
        Assert.Equal(1000, tasks.Select(t => t.VmId).Distinct().Count());
        Assert.All(tasks, t => Assert.Equal("succeeded", t.Status));
        Assert.Equal(1000, tasks.Select(t => t.Upid).Distinct().Count());
        Assert.Equal(1000, sim.Control.ApiRequestsMatching(StopPattern));          // zero duplicate POSTs
        Assert.All(sim.Cluster.Guests.Where(g => !g.Template), g => Assert.Equal("stopped", g.Status));
        Console.WriteLine($"crash test: {inFlight} task(s) in flight at the kill, {postedUnheard} of them posted without a UPID recorded");
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_work_and_never_run_the_same_task()
    {
        RequireOptIn();
        await using var sim = await SimulatorAsync();
        await using var db = await PostgresTestDatabase.CreateAsync(Ct);
        // One after the other: the first start migrates and seeds roles (start-up itself is not made for racing instances).
        await using var a = MoxxieProcess.Start(sim, db.ConnectionString, "instance-a");
        using var clientA = await a.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
        await using var b = MoxxieProcess.Start(sim, db.ConnectionString, "instance-b");
        using var clientB = await b.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
        var id = await SubmitStopAsync(clientA);
        await WaitAsync(async () =>
            (await clientB.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct)).GetProperty("status").GetString() == "completed",
            TimeSpan.FromMinutes(4), "operation completed", db.ConnectionString, id);

        var tasks = await TasksAsync(db.ConnectionString, id);
        Assert.All(tasks, t => Assert.Equal("succeeded", t.Status));
        Assert.Equal(1000, tasks.Select(t => t.Upid).Distinct().Count());
        Assert.Equal(1000, sim.Control.ApiRequestsMatching(StopPattern));
        var byInstance = tasks.GroupBy(t => t.ClaimedBy).ToDictionary(g => g.Key ?? "", g => g.Count());
        Assert.True(byInstance.GetValueOrDefault("instance-a") > 0 && byInstance.GetValueOrDefault("instance-b") > 0,
            string.Join(", ", byInstance.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}
