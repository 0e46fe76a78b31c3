using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Tasks;
using Moxxie.Core.Vms;
using Moxxie.Simulator;
using static Moxxie.Benchmarks.Stats;

namespace Moxxie.Benchmarks;

/// <summary>Issue 7's benchmark (--only bulk): 1,000 running VMs on the 10-node "bulk" simulator, every API call delayed
/// 200 ms, stopped by one bulk operation with 4 tasks per node. Prints the wall time, the ideal bound
/// ⌈N / (nodes × per-node limit)⌉ × task time (task time = a one-VM bulk stop through the same engine, median of 3) and the
/// ratio (goal ≤ 1.1). Moxxie runs in this process on SQLite with its default bulk settings.</summary>
internal static class BulkBench
{
    public const int Nodes = 10;
    public const int PerNode = 4;
    public const double TaskSeconds = 1.0;
    public const int LatencyMs = 200;

    public static async Task RunAsync(string dataDirectory, string adminPassword, Action<string, string, string, string> figure)
    {
        await using var sim = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = "bulk", Seed = 1, TaskSeconds = TaskSeconds });
        sim.Control.AddLatency("* **", LatencyMs);
        await using var app = new MoxxieUnderTest([sim], dataDirectory, adminPassword);
        _ = app.Services; // starts the host
        var started = Stopwatch.StartNew();
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (scope.ServiceProvider.GetRequiredService<VmService>().List(new VmFilter(Tags: ["bulk"])).Count >= 1000) break;
            if (started.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("Moxxie did not load the bulk cluster within 3 min");
            await Task.Delay(200);
        }

        async Task<(double Seconds, BulkOperationView View)> StopAsync(BulkSelection selection)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var bulk = scope.ServiceProvider.GetRequiredService<IBulkOperationService>();
            var clock = Stopwatch.StartNew();
            var submitted = await bulk.SubmitAsync(Actor.System, new BulkRequest
            {
                Kind = BulkKinds.Power, PowerAction = PowerAction.Stop, Selection = selection,
                Options = new BulkOptions { PerNodeLimit = PerNode, MaxParallel = Nodes * PerNode }, Source = "benchmark",
            }, CancellationToken.None);
            while (true)
            {
                var view = await bulk.GetAsync(submitted.OperationId, CancellationToken.None);
                if (view is not null && BulkStatus.IsFinal(view.Status)) return (clock.Elapsed.TotalSeconds, view);
                if (clock.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException("bulk stop did not finish within 30 min");
                await Task.Delay(100);
            }
        }

        var single = new List<double>();
        foreach (var vmid in new[] { 1000, 1001, 1002 })
            single.Add((await StopAsync(new BulkSelection(VmIds: [vmid]))).Seconds);
        var taskTime = Median(single);
        // The big run is planned from the inventory: wait until it shows the three stopped, or the plan would hold them as
        // running and their tasks fail as "changed since the plan" (one did, 06:15 UTC run).
        var polled = Stopwatch.StartNew();
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var stopped = scope.ServiceProvider.GetRequiredService<VmService>().List(new VmFilter(Tags: ["bulk"]))
                .Count(v => v.VmId is 1000 or 1001 or 1002 && v.Status == "stopped");
            if (stopped == 3) break;
            if (polled.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException("the inventory did not show the three stopped VMs within 1 min");
            await Task.Delay(100);
        }
        var load = Machine.LoadAverage();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var (wall, view) = await StopAsync(new BulkSelection(TagExpression: "bulk"));
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var n = view.Counts.Total - view.Counts.Skipped;
        var rounds = (int)Math.Ceiling(n / (double)(Nodes * PerNode));
        var bound = rounds * taskTime;
        figure("Bulk stop: one-VM task time (submit → completed, median of 3)", $"{taskTime:0.00} s",
            $"PVE task {TaskSeconds:0.0} s, every API call +{LatencyMs} ms", "");
        figure($"Bulk stop of {n} VMs, {Nodes} nodes × {PerNode} per node: wall time", $"{wall:0.0} s",
            $"{view.Counts.Succeeded} succeeded, {view.Counts.Failed} failed", "");
        figure("Bulk stop: ideal bound ⌈N/(nodes×limit)⌉ × task time", $"{bound:0.0} s", $"{rounds} rounds × {taskTime:0.00} s", "");
        var floor = rounds * (TaskSeconds + LatencyMs / 1000.0);
        figure("Bulk stop: wall time / bound", $"{wall / bound:0.00}",
            $"PVE-side floor {rounds} × (task {TaskSeconds:0.0} s + POST {LatencyMs} ms) = {floor:0.0} s; wall/floor {wall / floor:0.00}", "≤ 1.1");
        figure("Bulk stop: CPU used during the run (Moxxie + simulator, this process)", $"{cpu.TotalSeconds:0.0} s",
            $"{cpu.TotalMilliseconds / Math.Max(1, n):0.0} ms per VM; CPU/wall {cpu.TotalSeconds / wall:0.00} of {Environment.ProcessorCount} cores; load average {load} → {Machine.LoadAverage()}", "");
        figure("Bulk stop: PVE calls", $"{sim.Control.ApiRequests}",
            $"node task-list reads {app.Services.GetRequiredService<PveTaskWatch>().Reads}, stop POSTs {sim.Control.ApiRequestsMatching("POST nodes/*/qemu/*/status/stop")}", "");
        foreach (var failed in view.Tasks.Where(t => t.Status == BulkTaskStatus.Failed))
            Console.WriteLine($"  failed: {failed.VmName} ({failed.VmId}) on {failed.Node}: {failed.Message}");
    }
}
