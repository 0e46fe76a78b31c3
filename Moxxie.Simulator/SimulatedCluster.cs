using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>
/// The state of the fake PVE cluster. Thread-safe: every read and change happens under one lock, and time-driven
/// changes (tasks ending, counters moving) are derived from the injected TimeProvider whenever state is looked at.
/// </summary>
public sealed partial class SimulatedCluster
{
    private readonly TimeProvider _time;
    private readonly double _taskSpeed;
    private readonly Random _rng;                       // runtime randomness (pids, durations); seeded
    private readonly List<SimTask> _tasks = [];
    private readonly Dictionary<string, SimTask> _tasksByUpid = new(StringComparer.Ordinal);

    internal object Gate { get; } = new();
    internal int Seed { get; }
    internal string? ClusterName { get; }
    internal int ConfigVersion { get; }
    internal List<SimNode> Nodes { get; }
    internal SortedDictionary<int, SimGuest> GuestMap { get; } = [];
    internal List<SimStorage> Storages { get; }
    internal DateTimeOffset CreatedAt { get; }
    internal IReadOnlyList<SimTask> Tasks => _tasks;

    /// <summary>When set, every task started from now on that the generic task model times (guest power actions, snapshots,
    /// deletes, …) lasts exactly this many seconds instead of its usual random span (benchmarks want a known task time).</summary>
    internal double? FixedTaskSeconds { get; set; }

    internal SimulatedCluster(ClusterPreset preset, int seed, TimeProvider time, double taskSpeed)
    {
        _time = time;
        _taskSpeed = taskSpeed > 0 ? taskSpeed : 1.0;
        Seed = seed;
        _rng = new Random(unchecked(seed * 7919 + 17));
        CreatedAt = time.GetUtcNow();
        ClusterName = preset.ClusterName;
        ConfigVersion = preset.ConfigVersion;
        Nodes = preset.Nodes;
        Storages = preset.Storages;
        foreach (var g in preset.Guests) GuestMap[g.Vmid] = g;
        foreach (var n in Nodes) n.NextPid = 0x1000 + _rng.Next(0x400, 0x40000);
        foreach (var g in GuestMap.Values.Where(g => g.IsRunning)) g.Pid = _rng.Next(1200, 4_000_000);
        foreach (var h in preset.History) AddHistoricTask(h);
        InitInfrastructure();
    }

    /// <summary>Name of the cluster ("production-cluster"), or null for a standalone node.</summary>
    public string? Name => ClusterName;

    /// <summary>Current simulated time.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>All guests (VMs and containers), ordered by VMID.</summary>
    public IReadOnlyList<SimulatedGuest> Guests
    {
        get { lock (Gate) { Advance(); return GuestMap.Values.Select(Snapshot).ToList(); } }
    }

    /// <summary>All node names.</summary>
    public IReadOnlyList<string> NodeNames
    {
        get { lock (Gate) return Nodes.Select(n => n.Name).ToList(); }
    }

    public SimulatedGuest? FindGuest(int vmid)
    {
        lock (Gate)
        {
            Advance();
            return GuestMap.TryGetValue(vmid, out var g) ? Snapshot(g) : null;
        }
    }

    /// <summary>Force a guest's state: "running", "stopped" or "paused" (a running VM with qmpstatus paused).</summary>
    public void SetGuestStatus(int vmid, string status)
    {
        lock (Gate)
        {
            Advance();
            var g = RequireGuest(vmid);
            switch (status)
            {
                case "running": StartGuest(g); break;
                case "stopped": StopGuest(g); break;
                case "paused":
                    if (!g.IsRunning) StartGuest(g);
                    PauseGuest(g);
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(status), status, "running, stopped or paused");
            }
        }
    }

    /// <summary>Set or clear a guest's config lock ("backup", "migrate", "snapshot", …).</summary>
    public void SetGuestLock(int vmid, string? lockName)
    {
        lock (Gate) RequireGuest(vmid).Lock = string.IsNullOrEmpty(lockName) ? null : lockName;
    }

    /// <summary>Take a node off-line (cluster/status, nodes and resources show it; calls routed to it fail) or back.</summary>
    public void SetNodeOnline(string node, bool online)
    {
        lock (Gate)
        {
            var n = Nodes.FirstOrDefault(x => x.Name == node) ?? throw new ArgumentException($"no node '{node}'", nameof(node));
            n.Online = online;
        }
    }

    /// <summary>The next task started for this guest ends with "TASK ERROR: {message}" and changes nothing.</summary>
    public void FailNextTask(int vmid, string message)
    {
        lock (Gate) RequireGuest(vmid).FailNextTask = message;
    }

    public SimulatedTask? FindTask(string upid)
    {
        lock (Gate)
        {
            Advance();
            return _tasksByUpid.TryGetValue(upid, out var t)
                ? new SimulatedTask(t.Upid, t.Node, t.Type, t.Id, t.User, t.IsRunning ? "running" : "stopped", t.ExitStatus)
                : null;
        }
    }

    internal SimNode? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    internal SimTask? FindTaskLocked(string upid) => _tasksByUpid.GetValueOrDefault(upid);

    private SimGuest RequireGuest(int vmid) =>
        GuestMap.TryGetValue(vmid, out var g) ? g : throw new ArgumentException($"no guest {vmid}", nameof(vmid));

    private static SimulatedGuest Snapshot(SimGuest g) =>
        new(g.Vmid, g.Type, g.Node, g.Name, g.Status, g.QmpStatus, g.Lock, g.Tags, g.Template);

    private void StartGuest(SimGuest g)
    {
        if (g.IsRunning) return;
        ApplyPending(g);
        g.Status = "running";
        g.Paused = false;
        g.StartedAt = Now;
        g.PausedAt = null;
        g.PausedTotal = TimeSpan.Zero;
        g.Pid = _rng.Next(1200, 4_000_000);
    }

    private void StopGuest(SimGuest g)
    {
        if (g.IsRunning) g.StoppedAt = Now;
        g.Status = "stopped";
        g.Paused = false;
        g.StartedAt = null;
        g.PausedAt = null;
        g.PausedTotal = TimeSpan.Zero;
        g.Pid = 0;
    }

    private void PauseGuest(SimGuest g)
    {
        if (g.Paused) return;
        g.Paused = true;
        g.PausedAt = Now;
    }

    private void ResumeGuest(SimGuest g)
    {
        if (!g.Paused) return;
        g.PausedTotal += Now - (g.PausedAt ?? Now);
        g.Paused = false;
        g.PausedAt = null;
    }
}
