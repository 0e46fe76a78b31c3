using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

public sealed partial class SimulatedCluster
{
    /// <summary>Brings time-driven state up to date: task log lines appear, due tasks end and apply their change.</summary>
    internal void Advance()
    {
        var now = Now;
        AdvanceNodePower(now);
        foreach (var t in _tasks)
        {
            if (!t.IsRunning) continue;
            RevealLines(t, now);
            if (now >= t.PlannedEnd) Finish(t, now);
        }
    }

    private static void RevealLines(SimTask t, DateTimeOffset now)
    {
        while (true)
        {
            var line = t.PlannedLines.Count > 0 ? t.PlannedLines[0].At : TimeSpan.MaxValue;
            var action = t.PlannedActions.Count > 0 ? t.PlannedActions.Min(a => a.At) : TimeSpan.MaxValue;
            var next = line <= action ? line : action;
            if (next == TimeSpan.MaxValue || t.Started + next > now) return;
            if (line <= action)
            {
                t.Log.Add(t.PlannedLines[0].Text);
                t.PlannedLines.RemoveAt(0);
            }
            else
            {
                var i = t.PlannedActions.FindIndex(a => a.At == action);
                var run = t.PlannedActions[i].Run;
                t.PlannedActions.RemoveAt(i);
                run();
            }
        }
    }

    private void Finish(SimTask t, DateTimeOffset now)
    {
        RevealLines(t, DateTimeOffset.MaxValue - TimeSpan.FromDays(1));
        t.PlannedLines.Clear();
        var error = t.PlannedError ?? t.Complete?.Invoke();
        End(t, error, t.PlannedEnd <= now ? t.PlannedEnd : now);
    }

    private static void End(SimTask t, string? error, DateTimeOffset at)
    {
        t.Log.Add(error is null ? "TASK OK" : $"TASK ERROR: {error}");
        t.ExitStatus = error ?? "OK";
        t.EndTime = at.ToUnixTimeSeconds();
    }

    /// <summary>DELETE /nodes/{node}/tasks/{upid}: the worker gets SIGTERM and dies with "received interrupt".</summary>
    internal void StopTask(SimTask t)
    {
        if (!t.IsRunning) return;
        RevealLines(t, Now);
        t.PlannedLines.Clear();
        t.PlannedActions.Clear();
        End(t, t.Abort?.Invoke() ?? "received interrupt", Now);
        if (t.Vmid is { } vmid && GuestMap.TryGetValue(vmid, out var g) && g.Lock == "suspending") g.Lock = null;
    }

    private SimTask NewTask(SimNode node, string type, string id, string user, double minSeconds, double maxSeconds,
        int? vmid, Func<string?>? complete, string? plannedError = null)
    {
        var now = Now;
        var pid = node.NextPid;
        node.NextPid += _rng.Next(3, 420);
        var pstart = (long)((now - node.BootTime).TotalSeconds * 100) + _rng.Next(0, 90);
        var start = now.ToUnixTimeSeconds();
        var upid = $"UPID:{node.Name}:{pid:X8}:{pstart:X8}:{start:X8}:{type}:{id}:{user}:";
        var seconds = FixedTaskSeconds ?? (minSeconds + _rng.NextDouble() * (maxSeconds - minSeconds)) / _taskSpeed;
        var task = new SimTask
        {
            Upid = upid, Node = node.Name, Pid = pid, PStart = pstart, StartTime = start, Type = type, Id = id,
            User = user, Started = now, PlannedEnd = now + TimeSpan.FromSeconds(seconds), Vmid = vmid,
            Complete = complete, PlannedError = plannedError,
        };
        _tasks.Add(task);
        _tasksByUpid[upid] = task;
        return task;
    }

    private void AddHistoricTask(HistoricTask h)
    {
        var node = FindNode(h.Node)!;
        var started = CreatedAt - h.Ago;
        var pid = _rng.Next(0x800, 0x3FFFFF);
        var pstart = (long)Math.Max(1, (started - node.BootTime).TotalSeconds * 100);
        var start = started.ToUnixTimeSeconds();
        var upid = $"UPID:{node.Name}:{pid:X8}:{pstart:X8}:{start:X8}:{h.Type}:{h.Id}:{h.User}:";
        var task = new SimTask
        {
            Upid = upid, Node = node.Name, Pid = pid, PStart = pstart, StartTime = start, Type = h.Type, Id = h.Id,
            User = h.User, Started = started, PlannedEnd = started + h.Duration,
            Vmid = int.TryParse(h.Id, out var v) ? v : null,
        };
        task.Log.AddRange(h.Lines);
        End(task, h.Error, started + h.Duration);
        _tasks.Add(task);
        _tasksByUpid[upid] = task;
    }

    /// <summary>
    /// POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action}. Checks PVE makes before forking the worker throw
    /// <see cref="PveError"/>; checks made inside the worker end the task with TASK ERROR.
    /// </summary>
    internal SimTask GuestAction(SimNode node, SimGuest g, string action, string user, IReadOnlyDictionary<string, string> p)
    {
        var qemu = g.Type == "qemu";
        var vmid = g.Vmid;
        bool Flag(string name) => p.TryGetValue(name, out var v) && ParamBool(v);
        var skiplock = Flag("skiplock");
        string? LockError() =>
            g.Lock is { } l && !skiplock && !(action is "start" or "resume" && l == "suspended")
                ? (qemu ? $"VM is locked ({l})" : $"CT is locked ({l})")
                : null;
        string? notRunning = qemu ? $"VM {vmid} not running" : $"CT {vmid} not running";

        // Checks PVE makes synchronously (API answers 500 with the message).
        switch (action)
        {
            case "start" when !qemu && g.IsRunning:
                throw PveError.Server($"CT {vmid} already running");
            case "shutdown" when qemu && g.Paused && !Flag("forceStop"):
                throw PveError.Server("VM is paused - cannot shutdown");
            case "reboot" when !g.IsRunning:
                throw PveError.Server($"VM {vmid} not running");
            case "reboot" when qemu && g.Paused:
                throw PveError.Server("VM is paused - cannot shutdown");
            case "reset" or "suspend" when !g.IsRunning:
                throw PveError.Server(notRunning);
            case "stop" or "shutdown" when !qemu && !g.IsRunning:
                throw PveError.Server(notRunning);
            case "resume" when !g.IsRunning && g.Lock != "suspended":
                throw PveError.Server(notRunning);
        }

        var prefix = qemu ? "qm" : "vz";
        var type = prefix + action;
        string? Precheck()
        {
            if (LockError() is { } lockError) return lockError;
            return action switch
            {
                "start" when g.Template => qemu ? "you can't start a vm if it's a template" : "you can't start a CT if it's a template",
                "start" when g.IsRunning => $"VM {vmid} already running",
                "reset" or "reboot" or "suspend" when !g.IsRunning => notRunning,
                _ => null,
            };
        }

        var planned = g.FailNextTask;
        g.FailNextTask = null;
        var precheck = Precheck();
        if (precheck is not null)
            return NewTask(node, type, vmid.ToString(), user, 0.2, 0.5, vmid, null, precheck);

        var running = g.IsRunning;
        var (min, max) = action switch
        {
            "start" => qemu ? (1.0, 3.0) : (1.0, 2.5),
            "stop" => running ? (0.8, 1.4) : (0.2, 0.4),
            "shutdown" => running ? (2.0, 4.0) : (0.2, 0.4),
            "reboot" => (3.0, 6.0),
            "reset" => (0.3, 0.6),
            "suspend" => Flag("todisk") ? (3.0, 6.0) : (0.5, 1.0),
            "resume" => g.Lock == "suspended" ? (1.5, 3.0) : (0.3, 0.6),
            _ => (0.5, 1.0),
        };

        Func<string?> complete = action switch
        {
            "start" => () => Precheck() ?? Do(() => { StartGuest(g); if (g.Lock == "suspended") g.Lock = null; }),
            "stop" => () => LockError() ?? Do(() => StopGuest(g)),
            "shutdown" => () => LockError() ?? Do(() => StopGuest(g)),
            "reboot" => () => Precheck() ?? Do(() => { StopGuest(g); StartGuest(g); }),
            "reset" => () => Precheck(),
            "suspend" when Flag("todisk") => () => Do(() => { StopGuest(g); g.Lock = "suspended"; }),
            "suspend" => () => Precheck() ?? Do(() => PauseGuest(g)),
            "resume" => () => Do(() =>
            {
                if (g.Lock == "suspended") { StartGuest(g); g.Lock = null; }
                else ResumeGuest(g);
            }),
            _ => () => null,
        };

        var task = NewTask(node, type, vmid.ToString(), user, min, max, vmid, complete, planned);
        if (planned is null)
        {
            if (action == "start" && qemu && g.CloudInit)
                task.PlannedLines.Add((TimeSpan.FromSeconds(0.2 / _taskSpeed), "generating cloud-init ISO"));
            if (action == "suspend" && Flag("todisk"))
            {
                g.Lock = "suspending";
                task.PlannedLines.Add((TimeSpan.FromSeconds(0.3 / _taskSpeed), $"suspend to disk of VM {vmid} started"));
            }
            if (action == "shutdown" && !qemu)
                task.PlannedLines.Add((TimeSpan.Zero, $"requesting shutdown of CT {vmid}"));
        }
        return task;
    }

    private static string? Do(Action change)
    {
        change();
        return null;
    }

    internal static bool ParamBool(string value) =>
        value.Equals("1", StringComparison.Ordinal) || value.Equals("true", StringComparison.OrdinalIgnoreCase)
        || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase);
}
