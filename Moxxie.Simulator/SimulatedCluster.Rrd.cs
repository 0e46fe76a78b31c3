using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>One rrddata row: its time (start of the slot) and the data sources that have a value (none = empty slot).</summary>
internal sealed record RrdRow(long Time, IReadOnlyList<(string Name, double Value)> Values);

/// <summary>
/// rrddata as PVE 9 serves it from its "pve-node-9.0" / "pve-vm-9.0" / "pve-storage-9.0" RRD files (pve-cluster
/// src/PVE/RRD.pm create_rrd_data, pmxcfs RRD definitions): fixed resolution and row count per timeframe, one row per
/// slot labelled with the slot's start, AVERAGE or MAX consolidation. Values are derived from the same deterministic
/// functions as the live counters (GuestCpuAt, the network/disk counters), sampled inside each slot, so the newest rows
/// agree with status/current and the same seed at the same simulated time gives the same history.
/// </summary>
public sealed partial class SimulatedCluster
{
    /// <summary>[resolution in seconds, rows] per timeframe (PVE 9 "setup" of create_rrd_data).</summary>
    internal static (int Step, int Count) RrdSetup(string timeframe) => timeframe switch
    {
        "hour" => (60, 60),
        "day" => (60, 1440),
        "week" => (60 * 30, 336),
        "month" => (60 * 30, 1440),
        "year" => (3600 * 6, 1440),
        "decade" => (86400 * 7, 570),
        _ => throw new ArgumentOutOfRangeException(nameof(timeframe), timeframe, "hour, day, week, month, year or decade"),
    };

    /// <summary>Slot starts: ctime = step·⌊now/step⌋, rows from ctime − step·count to ctime − step.</summary>
    private IEnumerable<long> RrdSlots(string timeframe)
    {
        var (step, count) = RrdSetup(timeframe);
        var ctime = step * (Now.ToUnixTimeSeconds() / step);
        for (var i = 0; i < count; i++) yield return ctime - (long)step * (count - i);
    }

    /// <summary>Sample points inside a slot (a few per slot; AVERAGE = their mean, MAX = their maximum).</summary>
    private static double[] SamplesIn(long slot, int step)
    {
        var k = step <= 60 ? 3 : 4;
        var result = new double[k];
        for (var j = 0; j < k; j++) result[j] = slot + step * (j + 0.5) / k;
        return result;
    }

    private static double Aggregate(double[] values, bool max)
    {
        if (values.Length == 0) return 0;
        double sum = 0, top = double.MinValue;
        foreach (var v in values) { sum += v; top = Math.Max(top, v); }
        return max ? top : sum / values.Length;
    }

    private static double Epoch(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Whether a guest ran at epoch second t: its current run, and before its last stop (history before that is assumed running).</summary>
    private static bool WasRunning(SimGuest g, double t)
    {
        if (g.Template || t < g.CreatedAt) return false;
        if (g.IsRunning && g.StartedAt is { } started)
        {
            if (t >= Epoch(started)) return true;
            return g.StoppedAt is not { } stop || t < Epoch(stop);
        }
        return g.StoppedAt is { } stopped && t < Epoch(stopped);
    }

    /// <summary>Seconds of the guest's process at t (for the counters): since its current start, else since creation.</summary>
    private static double ActiveAt(SimGuest g, double t) =>
        g.StartedAt is { } s && t >= Epoch(s) ? t - Epoch(s) : Math.Max(0, t - g.CreatedAt);

    /// <summary>bytes/s of a counter over [a, b] (DERIVE data source): the counter's own slope, zero while stopped.</summary>
    private static double CounterRate(SimGuest g, double rate, double period, double a, double b)
    {
        var mid = (a + b) / 2;
        if (!WasRunning(g, mid)) return 0;
        var aa = ActiveAt(g, a);
        var bb = Math.Max(aa + 1e-6, ActiveAt(g, b));
        return Math.Max(0, (Counter(rate, bb, period) - Counter(rate, aa, period)) / (bb - aa));
    }

    /// <summary>GET …/qemu|lxc/{vmid}/rrddata rows (pve-vm-9.0 data sources).</summary>
    internal List<RrdRow> GuestRrd(SimGuest g, string timeframe, bool max)
    {
        var (step, _) = RrdSetup(timeframe);
        var rows = new List<RrdRow>();
        var diskUsed = g.IsQemu ? 0 : GuestDiskUsed(g);
        foreach (var slot in RrdSlots(timeframe))
        {
            if (slot + step <= g.CreatedAt)
            {
                rows.Add(new RrdRow(slot, []));     // the RRD file did not exist yet: empty slot
                continue;
            }
            var samples = SamplesIn(slot, step);
            var cpu = new double[samples.Length];
            var mem = new double[samples.Length];
            var netIn = new double[samples.Length];
            var netOut = new double[samples.Length];
            var read = new double[samples.Length];
            var write = new double[samples.Length];
            var half = step / (2.0 * samples.Length);
            for (var j = 0; j < samples.Length; j++)
            {
                var t = samples[j];
                var running = WasRunning(g, t);
                cpu[j] = running ? GuestCpuAt(g, t) : 0;
                mem[j] = running ? g.MaxMem * GuestMemFractionAt(g, t) : 0;
                netIn[j] = CounterRate(g, g.NetInRate, 90, t - half, t + half);
                netOut[j] = CounterRate(g, g.NetOutRate, 130, t - half, t + half);
                read[j] = CounterRate(g, g.DiskReadRate, 170, t - half, t + half);
                write[j] = CounterRate(g, g.DiskWriteRate, 60, t - half, t + half);
            }
            var c = Aggregate(cpu, max);
            var m = Aggregate(mem, max);
            var io = Aggregate(read, max) + Aggregate(write, max);
            rows.Add(new RrdRow(slot,
            [
                ("maxcpu", g.MaxCpu), ("cpu", c), ("maxmem", g.MaxMem), ("mem", m), ("maxdisk", g.MaxDisk), ("disk", m > 0 || !g.IsQemu ? diskUsed : 0),
                ("netin", Aggregate(netIn, max)), ("netout", Aggregate(netOut, max)),
                ("diskread", Aggregate(read, max)), ("diskwrite", Aggregate(write, max)),
                ("memhost", g.IsQemu && m > 0 ? m * 1.04 + 64.0 * MiB : m),
                ("pressurecpusome", c * c * 30), ("pressurecpufull", c * c * 12),
                ("pressureiosome", Math.Min(40, io / (400.0 * MiB) * 100)), ("pressureiofull", Math.Min(30, io / (800.0 * MiB) * 100)),
                ("pressurememorysome", 0), ("pressurememoryfull", 0),
            ]));
        }
        return rows;
    }

    /// <summary>GET /nodes/{node}/rrddata rows (pve-node-9.0 data sources): the node's own load plus its running guests.</summary>
    internal List<RrdRow> NodeRrd(SimNode n, string timeframe, bool max)
    {
        var (step, _) = RrdSetup(timeframe);
        var guests = GuestMap.Values.Where(g => g.Node == n.Name && !g.Template).ToList();
        var zfs = Storages.Any(s => s.Node == n.Name && s.PluginType == "zfspool");
        var swapUsed = NodeSwapUsed(n);
        var rows = new List<RrdRow>();
        foreach (var slot in RrdSlots(timeframe))
        {
            var samples = SamplesIn(slot, step);
            var cpu = new double[samples.Length];
            var load = new double[samples.Length];
            var mem = new double[samples.Length];
            var netIn = new double[samples.Length];
            var netOut = new double[samples.Length];
            for (var j = 0; j < samples.Length; j++)
            {
                var t = samples[j];
                double threads = 0.15 + 0.2 * Smooth(n.NodeId, 3, t, 9);
                double used = n.BaseMemUsed + 256.0 * MiB * Smooth(n.NodeId, 4, t, 13);
                double rx = 1500 + 3000 * Smooth(n.NodeId, 6, t, 30), tx = 2500 + 4000 * Smooth(n.NodeId, 7, t, 30);
                foreach (var g in guests)
                {
                    if (!WasRunning(g, t)) continue;
                    threads += GuestCpuAt(g, t) * g.MaxCpu;
                    var gm = g.MaxMem * GuestMemFractionAt(g, t);
                    used += g.IsQemu ? gm * 1.04 + 64.0 * MiB : gm;
                    rx += g.NetInRate;
                    tx += g.NetOutRate;
                }
                cpu[j] = Math.Clamp(threads / n.MaxCpu, 0.0005, 1.0);
                load[j] = threads * (0.9 + 0.2 * Smooth(n.NodeId, 5, t, 17));
                mem[j] = Math.Min(used, n.MaxMem * 0.97);
                netIn[j] = rx;
                netOut[j] = tx;
            }
            var c = Aggregate(cpu, max);
            var memUsed = Aggregate(mem, max);
            rows.Add(new RrdRow(slot,
            [
                ("loadavg", Aggregate(load, max)), ("maxcpu", n.MaxCpu), ("cpu", c), ("iowait", c * 0.02),
                ("memtotal", n.MaxMem), ("memused", memUsed), ("swaptotal", 8.0 * GiB), ("swapused", swapUsed),
                ("roottotal", n.RootFsTotal), ("rootused", n.RootFsUsed),
                ("netin", Aggregate(netIn, max)), ("netout", Aggregate(netOut, max)),
                ("memavailable", n.MaxMem - memUsed), ("arcsize", zfs ? Math.Min(n.MaxMem / 10.0, 16.0 * GiB) * (0.8 + 0.2 * Smooth(n.NodeId, 8, slot, 3600)) : 0),
                ("pressurecpusome", c * c * 20), ("pressureiosome", c * 1.5), ("pressureiofull", c * 0.6),
                ("pressurememorysome", 0), ("pressurememoryfull", 0),
            ]));
        }
        return rows;
    }

    /// <summary>GET /nodes/{node}/storage/{storage}/rrddata rows (pve-storage-9.0: total, used): usage as it was, i.e. without the
    /// content and guest disks created since.</summary>
    internal List<RrdRow> StorageRrd(SimStorage s, string timeframe)
    {
        var (step, _) = RrdSetup(timeframe);
        var usedNow = StorageUsed(s);
        var later = VolumesOn(s).Select(v => (v.CTime, v.Size))
            .Concat(GuestMap.Values.Where(g => GuestDiskStorage(g) is { } gs && gs.Storage == s.Storage && (s.Shared || gs.Node == s.Node))
                .Select(g => (g.CreatedAt, GuestDiskUsed(g))))
            .OrderBy(x => x.Item1).ToList();
        var rows = new List<RrdRow>();
        foreach (var slot in RrdSlots(timeframe))
        {
            var end = slot + step;
            double used = usedNow;
            foreach (var (ctime, size) in later)
                if (ctime >= end) used -= size;
            rows.Add(new RrdRow(slot, [("total", s.Total), ("used", Math.Max(0, used))]));
        }
        return rows;
    }

    /// <summary>Swap in use on a node (also in GET /nodes/{node}/status).</summary>
    internal static long NodeSwapUsed(SimNode n) => (n.NodeId * 37L % 90 + 3) * 1024 * 1024;
}
