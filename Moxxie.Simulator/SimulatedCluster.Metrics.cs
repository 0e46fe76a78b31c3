using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

internal readonly record struct GuestMetrics(
    double Cpu, long Mem, long Disk, long NetIn, long NetOut, long DiskRead, long DiskWrite, long Uptime);

internal readonly record struct NodeMetrics(double Cpu, long Mem, long Uptime, double Load1, double Load5, double Load15);

public sealed partial class SimulatedCluster
{
    /// <summary>
    /// Counters of a guest at the current simulated time: a pure function of the seed, the guest's profile and time,
    /// so the same seed at the same simulated time gives the same numbers. Counters are monotonic while running
    /// and restart from zero with a new process, as PVE's do.
    /// </summary>
    internal GuestMetrics Metrics(SimGuest g)
    {
        if (!g.IsRunning || g.StartedAt is not { } started)
            return new GuestMetrics(0, 0, 0, 0, 0, 0, 0, 0);
        var now = Now;
        var uptime = Math.Max(0, (long)(now - started).TotalSeconds);
        var paused = g.Paused && g.PausedAt is { } pa ? now - pa : TimeSpan.Zero;
        var active = Math.Max(0, (now - started - g.PausedTotal - paused).TotalSeconds);
        var t = now.ToUnixTimeMilliseconds() / 1000.0;

        var cpu = g.Paused ? 0 : GuestCpuAt(g, t);
        var mem = (long)(g.MaxMem * GuestMemFractionAt(g, t));
        var disk = g.Type == "lxc" ? (long)(g.MaxDisk * g.DiskUsedFraction) : 0;
        return new GuestMetrics(
            Math.Round(cpu, 6), mem, disk,
            Counter(g.NetInRate, active, 90), Counter(g.NetOutRate, active, 130),
            (long)(g.BootRead * (1 - Math.Exp(-active / 20))) + Counter(g.DiskReadRate, active, 170),
            Counter(g.DiskWriteRate, active, 60),
            uptime);
    }

    /// <summary>
    /// CPU usage of a running guest at epoch second <paramref name="t"/>: its base load, shaped by a slow drift (about an
    /// hour and a half) and the time of day (busier in the afternoon, UTC), plus fast jitter. Live status and rrddata use it.
    /// </summary>
    internal double GuestCpuAt(SimGuest g, double t) =>
        Math.Clamp(g.CpuBase * LoadShape(g.Vmid, t) + g.CpuAmp * (Smooth(g.Vmid, 1, t, 7) - 0.5) * 2, 0.0005, 1.0);

    /// <summary>Fraction of its memory a running guest uses at epoch second <paramref name="t"/>.</summary>
    internal double GuestMemFractionAt(SimGuest g, double t) =>
        Math.Clamp(g.MemFraction + 0.06 * (Smooth(g.Vmid, 2, t, 11) - 0.5) + 0.05 * (Smooth(g.Vmid, 10, t, 7200) - 0.5), 0.02, 0.99);

    /// <summary>Slow drift × daily rhythm, mean about 1: 0.6–1.4 over ~90 minutes, ±30 % over the day (peak 14:00 UTC).</summary>
    private double LoadShape(int key, double t)
    {
        var drift = 0.6 + 0.8 * Smooth(key, 9, t, 5400);
        var hour = t / 3600 % 24;
        return drift * (1 + 0.3 * Math.Cos(2 * Math.PI * (hour - 14) / 24));
    }

    internal NodeMetrics Metrics(SimNode n)
    {
        var now = Now;
        var t = now.ToUnixTimeMilliseconds() / 1000.0;
        double cpuThreads = 0.15 + 0.2 * Smooth(n.NodeId, 3, t, 9);
        long mem = n.BaseMemUsed + (long)(256L * 1024 * 1024 * Smooth(n.NodeId, 4, t, 13));
        foreach (var g in GuestMap.Values)
        {
            if (g.Node != n.Name || !g.IsRunning) continue;
            var m = Metrics(g);
            cpuThreads += m.Cpu * g.MaxCpu;
            mem += g.Type == "qemu" ? (long)(m.Mem * 1.04) + 64L * 1024 * 1024 : m.Mem;
        }
        var cpu = Math.Clamp(cpuThreads / n.MaxCpu, 0.0005, 1.0);
        mem = Math.Min(mem, (long)(n.MaxMem * 0.97));
        var load = cpuThreads * (0.9 + 0.2 * Smooth(n.NodeId, 5, t, 17));
        return new NodeMetrics(Math.Round(cpu, 6), mem, Math.Max(0, (long)(now - n.BootTime).TotalSeconds),
            Math.Round(load, 2), Math.Round(cpuThreads, 2), Math.Round(cpuThreads * 0.97, 2));
    }

    /// <summary>rate·a plus a bounded wobble whose derivative never makes the counter go down.</summary>
    private static long Counter(double rate, double active, double period)
    {
        var w = 2 * Math.PI / period;
        return (long)(rate * (active + 0.8 * Math.Sin(w * active) / w));
    }

    /// <summary>Deterministic value noise in [0,1), smoothly interpolated over time buckets of <paramref name="period"/> seconds.</summary>
    private double Smooth(int key, int channel, double t, double period)
    {
        var x = t / period;
        var b = (long)Math.Floor(x);
        var f = x - b;
        var a = Noise(key, channel, b);
        var c = Noise(key, channel, b + 1);
        var s = f * f * (3 - 2 * f);
        return a + (c - a) * s;
    }

    private double Noise(int key, int channel, long bucket)
    {
        unchecked
        {
            var h = (ulong)Seed * 0x9E3779B97F4A7C15UL;
            h ^= (ulong)key * 0xC2B2AE3D27D4EB4FUL;
            h ^= (ulong)channel * 0x165667B19E3779F9UL;
            h ^= (ulong)bucket * 0xD6E8FEB86659FD93UL;
            h ^= h >> 33; h *= 0xFF51AFD7ED558CCDUL;
            h ^= h >> 33; h *= 0xC4CEB9FE1A85EC53UL;
            h ^= h >> 33;
            return (h >> 11) * (1.0 / (1UL << 53));
        }
    }
}
