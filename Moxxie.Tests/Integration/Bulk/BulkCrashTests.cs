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
/// Both run by default, alone (their own non-parallel collection), at the default limits (4 per node, 40 in all); each
/// phase's time and CPU is printed, and for two instances the claims each ran and the claims lost (none expected). Each instance uses about
/// 30–45 s of CPU for its start-up and its share of the 1,000 tasks, so the wall time is mostly the machine's load; the
/// waits are generous for a loaded machine.
/// </summary>
[Collection(nameof(BulkProcessCollection))]
public sealed class BulkCrashTests
{
    private const string StopPattern = "POST nodes/*/qemu/*/status/stop";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Phase times (printed, never asserted).</summary>
    private static void Phase(string what)
    {
        var line = $"[bulk-process] {DateTime.UtcNow:HH:mm:ss} {Clock.Elapsed.TotalSeconds,6:0.0} s  {what}";
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "moxxie-bulk-process-phases.log"), line + Environment.NewLine);
    }

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

    /// <summary>The operation's row says completed (read from the database: the waits poll often, and the API's view of a
    /// 1,000-task operation is not free for the instance under test).</summary>
    private static async Task<bool> CompletedAsync(string cs, string operationId)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "Status" FROM "BulkOperations" WHERE "Id" = @id""", c);
        cmd.Parameters.AddWithValue("id", operationId);
        return await cmd.ExecuteScalarAsync(Ct) is "completed";
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

    /// <summary>Figures of a finished operation: first start to last finish, and the tasks' own durations (claim to result).</summary>
    private static async Task<string> TimingAsync(string cs, string operationId)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "StartedAt", "FinishedAt", coalesce("PostingAt", "StartedAt") FROM "BulkTasks" WHERE "OperationId" = @id AND "StartedAt" IS NOT NULL AND "FinishedAt" IS NOT NULL""", c);
        cmd.Parameters.AddWithValue("id", operationId);
        var spans = new List<(long Start, long End, long Marker)>();
        await using (var r = await cmd.ExecuteReaderAsync(Ct))
            while (await r.ReadAsync(Ct)) spans.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        if (spans.Count == 0) return "no finished tasks";
        static string Spread(IEnumerable<long> ticks)
        {
            var s = ticks.Select(t => TimeSpan.FromTicks(t).TotalSeconds).Order().ToList();
            return $"median {s[s.Count / 2]:0.00} s, p90 {s[s.Count * 9 / 10]:0.00} s, max {s[^1]:0.00} s";
        }
        var wall = TimeSpan.FromTicks(spans.Max(x => x.End) - spans.Min(x => x.Start)).TotalSeconds;
        return $"{spans.Count} tasks in {wall:0.0} s ({spans.Count / wall:0.0}/s); task claim→result {Spread(spans.Select(x => x.End - x.Start))}; "
               + $"claim→about-to-POST {Spread(spans.Select(x => x.Marker - x.Start))}; about-to-POST→result {Spread(spans.Select(x => x.End - x.Marker))}";
    }

    private static async Task<List<string>> AuditedStopUpidsAsync(string cs)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "Upid" FROM "AuditEntries" WHERE "Operation" = 'VM_STOP' AND "Success" AND "Upid" IS NOT NULL""", c);
        var result = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct)) result.Add(r.GetString(0));
        return result;
    }

    private static async Task<string> SubmitStopAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bulk/power/stop", new { tagExpression = "bulk", perNodeLimit = 4, maxParallel = 40 }, Ct);
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
        await using var sim = await SimulatorAsync();
        await using var db = await PostgresTestDatabase.CreateAsync(Ct);
        string id;
        await using (var first = MoxxieProcess.Start(sim, db.ConnectionString, "crash-instance"))
        {
            using var client = await first.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
            Phase("crash: first instance ready");
            id = await SubmitStopAsync(client);
            // Killed the moment at least 250 are done and tasks are in flight: a fixed count alone can land between the
            // worker's claims (CI once killed it with nothing running, 60 s in).
            await WaitAsync(async () =>
            {
                var counts = await CountsAsync(db.ConnectionString, id);
                return counts.GetValueOrDefault("succeeded") >= 250 && counts.GetValueOrDefault("running") >= 10;
            }, TimeSpan.FromMinutes(4), "250 stops with 10 in flight", db.ConnectionString, id);
            var cpu = first.Cpu;
            first.Kill();
            Phase($"crash: first instance killed (it used {cpu.TotalSeconds:0} s CPU)");
        }

        var atKill = await TasksAsync(db.ConnectionString, id);
        var inFlight = atKill.Count(t => t.Status == "running");
        var postedUnheard = atKill.Count(t => t.Status == "running" && t.Marked && t.Upid is null);
        Assert.True(inFlight > 0, "the kill should catch tasks in flight");
        Assert.True(atKill.Count(t => t.Status == "succeeded") < 1000);

        await using (var second = MoxxieProcess.Start(sim, db.ConnectionString, "crash-instance"))
        {
            using var client = await second.ReadyAsync(1000, TimeSpan.FromMinutes(3), Ct);
            Phase("crash: restarted instance ready");
            await WaitAsync(() => CompletedAsync(db.ConnectionString, id), TimeSpan.FromMinutes(6), "operation completed after the restart", db.ConnectionString, id);
            var op = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct);
            Assert.Equal((1000, 1000, 0), (op.GetProperty("totalTargets").GetInt32(), op.GetProperty("successful").GetInt32(), op.GetProperty("failed").GetInt32()));
            Phase($"crash: operation completed (restarted instance used {second.Cpu.TotalSeconds:0} s CPU; test process with the simulator {Environment.CpuUsage.TotalTime.TotalSeconds:0} s)");
        }

        var tasks = await TasksAsync(db.ConnectionString, id);
        Assert.Equal(1000, tasks.Select(t => t.VmId).Distinct().Count());
        Assert.All(tasks, t => Assert.Equal("succeeded", t.Status));
        Assert.Equal(1000, tasks.Select(t => t.Upid).Distinct().Count());
        Assert.Equal((1000L, 0L), sim.Control.ApiRequestRepeats(StopPattern));       // one stop POST per VM, zero duplicates
        Assert.All(sim.Cluster.Guests.Where(g => !g.Template), g => Assert.Equal("stopped", g.Status));
        // One VM_STOP audit row per VM with its UPID, also for the stops PVE started but the killed instance never heard of.
        var audited = await AuditedStopUpidsAsync(db.ConnectionString);
        Assert.Equal(1000, audited.Count);
        Assert.Equal(1000, audited.Distinct().Count());
        Assert.Equal(tasks.Select(t => t.Upid).Order(), audited.Order());
        Phase($"crash: {inFlight} task(s) in flight at the kill, {postedUnheard} of them posted without a UPID recorded");
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_work_and_never_run_the_same_task()
    {
        await using var sim = await SimulatorAsync();
        await using var db = await PostgresTestDatabase.CreateAsync(Ct);
        // Started together on the empty database (migrations and seeding take turns under an advisory lock).
        await using var a = MoxxieProcess.Start(sim, db.ConnectionString, "instance-a");
        await using var b = MoxxieProcess.Start(sim, db.ConnectionString, "instance-b");
        var readyA = a.ReadyAsync(1000, TimeSpan.FromMinutes(4), Ct);
        var readyB = b.ReadyAsync(1000, TimeSpan.FromMinutes(4), Ct);
        using var clientA = await readyA;
        using var clientB = await readyB;
        Phase("two instances: both ready");
        var id = await SubmitStopAsync(clientA);
        await WaitAsync(() => CompletedAsync(db.ConnectionString, id), TimeSpan.FromMinutes(7), "operation completed", db.ConnectionString, id);
        Assert.Equal("completed", (await clientB.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{id}", Ct)).GetProperty("status").GetString());
        Phase($"two instances: operation completed (CPU: a {a.Cpu.TotalSeconds:0} s, b {b.Cpu.TotalSeconds:0} s, test process with the simulator {Environment.CpuUsage.TotalTime.TotalSeconds:0} s)");

        Phase($"two instances: {await TimingAsync(db.ConnectionString, id)}");
        var tasks = await TasksAsync(db.ConnectionString, id);
        Assert.All(tasks, t => Assert.Equal("succeeded", t.Status));
        Assert.Equal(1000, tasks.Select(t => t.Upid).Distinct().Count());
        Assert.Equal((1000L, 0L), sim.Control.ApiRequestRepeats(StopPattern));
        var byInstance = tasks.GroupBy(t => t.ClaimedBy).ToDictionary(g => g.Key ?? "", g => g.Count());
        Phase($"two instances: {string.Join(", ", byInstance.Select(kv => $"{kv.Key} ran {kv.Value}"))}; claims lost: a {a.LogLines("claim lost")}, b {b.LogLines("claim lost")}; "
              + $"database errors: a {a.LogLines("database error")}, b {b.LogLines("database error")}; failed renewals: a {a.LogLines("lease renewal failed")}, b {b.LogLines("lease renewal failed")}");
        Assert.True(byInstance.GetValueOrDefault("instance-a") > 0 && byInstance.GetValueOrDefault("instance-b") > 0,
            string.Join(", ", byInstance.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}

/// <summary>The process-level bulk tests run on their own, after the parallel collections: they start Moxxie.Web processes
/// and run 1,000-task operations, and would both slow and be slowed by everything else.</summary>
[CollectionDefinition(nameof(BulkProcessCollection), DisableParallelization = true)]
public sealed class BulkProcessCollection;
