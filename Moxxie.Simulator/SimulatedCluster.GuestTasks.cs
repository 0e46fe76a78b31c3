using System.Globalization;
using System.Text.RegularExpressions;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>
/// Guest lifecycle workers (create, clone, template, destroy, resize, config, snapshots). Checks qemu-server makes
/// before forking throw <see cref="PveError"/> (HTTP 500); checks made inside the worker end the task with TASK ERROR.
/// </summary>
public sealed partial class SimulatedCluster
{
    /// <summary>Parameters of POST /nodes/{node}/qemu that are not config keys.</summary>
    internal static readonly HashSet<string> CreateControlParams =
        ["node", "vmid", "start", "pool", "storage", "force", "unique", "archive", "bwlimit", "live-restore"];

    private SimTask GuestTask(SimNode node, string type, SimGuest g, string user, double seconds, Func<string?>? complete,
        string? plannedError = null) =>
        NewTask(node, type, g.Vmid.ToString(CultureInfo.InvariantCulture), user, seconds, seconds, g.Vmid, complete, plannedError);

    /// <summary>A task that fails right away inside the worker (TASK ERROR: message).</summary>
    private SimTask FailedTask(SimNode node, string type, SimGuest g, string user, string error) =>
        NewTask(node, type, g.Vmid.ToString(CultureInfo.InvariantCulture), user, 0.2, 0.5, g.Vmid, null, error);

    private void Line(SimTask t, double nominalSeconds, string text) =>
        t.PlannedLines.Add((TimeSpan.FromSeconds(nominalSeconds / _taskSpeed), text));

    /// <summary>The failure injected by FailNextTask: the worker cleans up and ends with TASK ERROR.</summary>
    private static Func<string?> Failable(SimGuest g, Func<string?> complete, Action cleanup)
    {
        var planned = g.FailNextTask;
        g.FailNextTask = null;
        return planned is null ? complete : () => { cleanup(); return planned; };
    }

    private string Prefix(SimGuest g) => g.IsQemu ? "qm" : "vz";

    // ---- create ------------------------------------------------------------------------------------------

    /// <summary>POST /nodes/{node}/qemu without archive: qmcreate; the VM exists at once with lock "create".</summary>
    internal SimTask CreateQemu(SimNode node, IReadOnlyDictionary<string, string> p, string user)
    {
        if (!p.TryGetValue("vmid", out var vmidText) || !int.TryParse(vmidText, out var vmid))
            throw PveError.Param("vmid", "property is missing and it is not optional");
        var config = p.Where(kv => !CreateControlParams.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (config.TryGetValue("tags", out var tags) && SplitList(tags).FirstOrDefault(t => !TagRegex().IsMatch(t)) is { } bad)
            throw PveError.Param("tags", $"invalid format - invalid characters in tag '{bad}'");
        var lines = new List<string>();
        var g = CreateGuest(node.Name, vmid, "qemu", config, "create", log: lines);
        var start = p.TryGetValue("start", out var s) && ParamBool(s);
        var complete = Failable(g, () =>
        {
            Unlock(g, "create");
            if (start) StartGuest(g);
            return null;
        }, () => GuestMap.Remove(vmid));
        var task = GuestTask(node, "qmcreate", g, user, 1.0 + lines.Count * 0.5 + _rng.NextDouble(), complete);
        for (var i = 0; i < lines.Count; i++) Line(task, 0.3 + i * 0.5, lines[i]);
        task.Abort = () => { GuestMap.Remove(vmid); return null; };
        return task;
    }

    // ---- clone -------------------------------------------------------------------------------------------

    internal SimTask Clone(SimNode node, SimGuest src, IReadOnlyDictionary<string, string> p, string user)
    {
        if (!p.TryGetValue("newid", out var newText) || !int.TryParse(newText, out var newid))
            throw PveError.Param("newid", "property is missing and it is not optional");
        CheckLock(src);
        var snapname = p.GetValueOrDefault("snapname");
        var snapshot = snapname is null ? null
            : src.Snapshots.FirstOrDefault(x => x.Name == snapname) ?? throw PveError.Server($"snapshot '{snapname}' does not exist");
        var full = p.TryGetValue("full", out var f) ? ParamBool(f) : !src.Template;
        var storage = p.GetValueOrDefault("storage");
        if (storage is not null && !full) throw PveError.Server("parameter 'storage' not allowed for linked clones");
        if (p.ContainsKey("format") && !full) throw PveError.Server("parameter 'format' not allowed for linked clones");
        var target = p.GetValueOrDefault("target");
        if (target == node.Name) target = null;
        if (target is not null && FindNode(target) is null) throw PveError.Server($"no such cluster node '{target}'");

        var source = new SortedDictionary<string, string>(snapshot?.Config ?? ConfigOf(src), StringComparer.Ordinal);
        var disks = DisksOf(src, source).Where(d => !d.Cdrom && !d.Unused && d.Storage is not null).ToList();
        if (target is not null)
        {
            var local = storage is not null ? !(StorageOn(node.Name, storage)?.Shared ?? false)
                : disks.Any(d => !(StorageOn(node.Name, d.Storage!)?.Shared ?? false));
            if (local) throw PveError.Server($"can't clone VM to node '{target}' (VM uses local storage)");
        }
        if (storage is not null && CheckImageStorage(target ?? node.Name, storage, src.Type) is { } storageError) throw PveError.Server(storageError);
        if (!full)
            foreach (var d in disks.Where(d => !d.CloudInit && !d.Volid.Contains(":base-", StringComparison.Ordinal)))
                throw PveError.Server($"Linked clone feature is not supported for drive '{d.Key}'");
        if (GuestMap.TryGetValue(newid, out var taken))
            throw PveError.Server(taken.Node == node.Name
                ? $"unable to create VM {newid}: config file already exists"
                : $"VM {newid} already exists on node '{taken.Node}'");

        var cfg = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in source)
        {
            if (k is "template" or "meta" or "vmstate" or "runningmachine" or "runningcpu" || UnusedKeyRegex().IsMatch(k)) continue;
            if (Regex.IsMatch(k, @"^net\d+$")) cfg[k] = Regex.Replace(v, "([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", RandomMac());
            else if (!full && IsDiskKey(src, k) && DisksOf(src, new Dictionary<string, string> { [k] = v })[0] is { Cdrom: false, CloudInit: false, Storage: not null } d)
                cfg[k] = $"{d.Volid}/vm-{newid}-disk-{k switch { "efidisk0" => 1, "tpmstate0" => 2, _ => 0 }}{v[d.Volid.Length..]}";
            else cfg[k] = v;
        }
        cfg["name"] = p.GetValueOrDefault("name") ?? $"Copy-of-VM-{source.GetValueOrDefault("name") ?? src.Vmid.ToString(CultureInfo.InvariantCulture)}";
        if (p.GetValueOrDefault("description") is { } description) cfg["description"] = description;
        var clone = CreateGuest(node.Name, newid, src.Type, cfg, "clone", storage: full ? storage : null);
        if (!src.Template) src.Lock = "clone";

        void Cleanup()
        {
            GuestMap.Remove(newid);
            Unlock(src, "clone");
        }
        var complete = Failable(src, () =>
        {
            Unlock(clone, "clone");
            Unlock(src, "clone");
            if (target is not null) clone.Node = target;
            return null;
        }, Cleanup);

        var newDisks = DisksOf(clone).Where(d => !d.Cdrom && !d.Unused && d.Storage is not null && !d.CloudInit).ToList();
        var rate = (350 + _rng.NextDouble() * 350) * MiB;      // bytes/s of a full copy
        var at = 0.5;
        var plan = new List<(double At, string Text)>();
        foreach (var d in disks.Where(d => !d.CloudInit))
        {
            var size = Math.Max(d.Size, MiB);
            if (!full)
            {
                plan.Add((at, $"create linked clone of drive {d.Key} ({d.Volid})"));
                at += 0.3;
                continue;
            }
            var seconds = Math.Max(1, size / rate);
            var running = src.IsRunning && snapshot is null;
            plan.Add((at, $"create full clone of drive {d.Key} ({d.Volid})"));
            if (StorageOn(node.Name, storage ?? d.Storage!)?.PluginType is "lvmthin" or "lvm")
                plan.Add((at + 0.1, $"  Logical volume \"{newDisks.FirstOrDefault(n => n.Key == d.Key)?.Volid.Split(':')[1] ?? $"vm-{newid}-disk-0"}\" created."));
            if (running) plan.Add((at + 0.2, $"drive mirror is starting for drive-{d.Key}"));
            var steps = (int)Math.Clamp(seconds / 2, 2, 12);
            for (var i = 0; i <= steps; i++)
            {
                var done = size * (double)i / steps;
                var pct = (100.0 * i / steps).ToString("0.00", CultureInfo.InvariantCulture);
                var elapsed = (long)(seconds * i / steps);
                plan.Add((at + 0.3 + seconds * i / steps, running
                    ? $"drive-{d.Key}: transferred {HumanBytes(done)} of {HumanBytes(size)} ({pct}%) in {FormatElapsed(elapsed)}{(i == steps ? ", ready" : "")}"
                    : $"transferred {HumanBytes(done)} of {HumanBytes(size)} ({pct}%)"));
            }
            at += seconds + 0.5;
            if (running)
            {
                plan.Add((at, "all 'mirror' jobs are ready"));
                plan.Add((at + 0.1, $"drive-{d.Key}: Completing block job..."));
                plan.Add((at + 0.2, $"drive-{d.Key}: Completed successfully."));
                plan.Add((at + 0.3, $"drive-{d.Key}: mirror-job finished"));
                at += 0.5;
            }
        }
        var task = GuestTask(node, Prefix(src) + "clone", src, user, at + 0.5, complete);
        foreach (var (lineAt, text) in plan) Line(task, lineAt, text);
        task.Abort = () => { Cleanup(); return null; };
        return task;
    }

    private static string FormatElapsed(long seconds) =>
        seconds < 60 ? $"{seconds}s" : seconds < 3600 ? $"{seconds / 60}m {seconds % 60}s" : $"{seconds / 3600}h {seconds / 60 % 60}m {seconds % 60}s";

    // ---- template ----------------------------------------------------------------------------------------

    internal SimTask Template(SimNode node, SimGuest g, string user)
    {
        CheckLock(g);
        if (g.Template) throw PveError.Server("you can't convert a template to a template");
        if (g.IsRunning) throw PveError.Server(g.IsQemu ? "you can't convert a VM to template if VM is running" : "you can't convert a CT to template if the CT is running");
        var lines = new List<string>();
        foreach (var d in DisksOf(g).Where(d => !d.Cdrom && !d.CloudInit && !d.Unused && d.Storage is not null))
        {
            var name = d.Volid.Split(':')[1];
            if (StorageOn(g.Node, d.Storage!)?.PluginType is "lvmthin" or "lvm")
            {
                lines.Add($"  Renamed \"{name}\" to \"{BaseName(name)}\" in volume group \"pve\"");
                lines.Add($"  Logical volume pve/{BaseName(name)} changed.");
            }
        }
        var complete = Failable(g, () =>
        {
            var c = ConfigOf(g);
            foreach (var d in DisksOf(g).Where(d => !d.Cdrom && !d.CloudInit && !d.Unused && d.Storage is not null))
                c[d.Key] = c[d.Key].Replace(d.Volid, d.Volid.Split(':')[0] + ":" + BaseName(d.Volid.Split(':')[1]), StringComparison.Ordinal);
            c["template"] = "1";
            SyncFields(g);
            return null;
        }, () => { });
        var task = GuestTask(node, Prefix(g) + "template", g, user, 1.0 + lines.Count * 0.3, complete);
        for (var i = 0; i < lines.Count; i++) Line(task, 0.3 + i * 0.3, lines[i]);
        return task;
    }

    private static string BaseName(string volname) =>
        Regex.Replace(volname, @"(^|/)(vm|subvol)-(\d+)-disk", m => m.Groups[1].Value + (m.Groups[2].Value == "vm" ? "base" : "basevol") + "-" + m.Groups[3].Value + "-disk");

    // ---- destroy -----------------------------------------------------------------------------------------

    internal SimTask Destroy(SimNode node, SimGuest g, IReadOnlyDictionary<string, string> p, string user, bool skiplock)
    {
        var purge = p.TryGetValue("purge", out var pv) && ParamBool(pv);
        if (g.Protection) throw PveError.Server($"can't remove {g.Kind} {g.Vmid} - protection mode enabled");
        if (!purge && _ha.ContainsKey(HaSid(g)))
            throw PveError.Server($"unable to remove {g.Kind} {g.Vmid} - used in HA resources and purge parameter not set.");
        if (g.IsRunning)
            throw PveError.Server(g.IsQemu ? $"VM {g.Vmid} is running - destroy failed" : $"unable to destroy CT {g.Vmid} - container is running");
        var type = g.IsQemu ? "qmdestroy" : "vzdestroy";
        if (g.Lock is not null && !skiplock) return FailedTask(node, type, g, user, LockedMessage(g));

        var lines = new List<string>();
        foreach (var d in DisksOf(g).Where(d => !d.Cdrom && d.Storage is not null))
            if (StorageOn(g.Node, d.Storage!)?.PluginType is "lvmthin" or "lvm")
                lines.Add($"  Logical volume \"{d.Volid.Split(':')[1]}\" successfully removed.");
        if (purge) lines.Add($"purging {g.Kind} {g.Vmid} from related configurations..");
        var previousLock = g.Lock;
        g.Lock = "destroyed";
        var complete = Failable(g, () =>
        {
            GuestMap.Remove(g.Vmid);
            if (purge) _ha.Remove(HaSid(g));
            return null;
        }, () => g.Lock = previousLock);
        var task = GuestTask(node, type, g, user, 1.0 + lines.Count * 0.3 + _rng.NextDouble(), complete);
        for (var i = 0; i < lines.Count; i++) Line(task, 0.4 + i * 0.3, lines[i]);
        return task;
    }

    // ---- resize ------------------------------------------------------------------------------------------

    /// <summary>PUT …/resize: a "resize" worker; every check happens inside it (as in qemu-server 8+).</summary>
    internal SimTask Resize(SimNode node, SimGuest g, IReadOnlyDictionary<string, string> p, string user, bool skiplock)
    {
        var disk = p.GetValueOrDefault("disk") ?? throw PveError.Param("disk", "property is missing and it is not optional");
        var sizeText = p.GetValueOrDefault("size") ?? throw PveError.Param("size", "property is missing and it is not optional");
        var digest = p.GetValueOrDefault("digest");
        var lines = new List<string>();
        string? Check(out GuestDisk? drive, out long newSize)
        {
            drive = null;
            newSize = 0;
            if (digest is { Length: > 0 } && digest != DigestOf(g)) return "detected modified configuration - file changed by other user? Try again.";
            if (g.Lock is not null && !skiplock) return LockedMessage(g);
            if (!ConfigOf(g).TryGetValue(disk, out var value) || !IsDiskKey(g, disk)) return $"disk '{disk}' has no associated volume";
            drive = DisksOf(g, new Dictionary<string, string> { [disk] = value })[0];
            if (drive.Cdrom) return "you can't resize a cdrom";
            var m = Regex.Match(sizeText, @"^(\+)?(\d+(?:\.\d+)?)([KMGT])?$");
            if (!m.Success) return "invalid size string";
            var amount = ParseSize(m.Groups[2].Value + m.Groups[3].Value)!.Value;
            newSize = m.Groups[1].Success ? drive.Size + amount : amount;
            if (newSize < drive.Size) return "shrinking disks is not supported";
            return null;
        }
        var complete = Failable(g, () =>
        {
            if (Check(out var drive, out var newSize) is { } error) return error;
            if (newSize == drive!.Size) return null;
            var c = ConfigOf(g);
            c[disk] = Regex.IsMatch(c[disk], @"(^|,)size=[^,]*")
                ? Regex.Replace(c[disk], @"(^|,)size=[^,]*", $"$1size={FormatSize(newSize)}")
                : c[disk] + $",size={FormatSize(newSize)}";
            SyncFields(g);
            return null;
        }, () => { });
        if (Check(out var d, out var size) is null && d!.Storage is { } st && StorageOn(g.Node, st)?.PluginType is "lvmthin" or "lvm" && size > d.Size)
        {
            var lv = d.Volid.Split(':')[1];
            var inv = CultureInfo.InvariantCulture;
            lines.Add($"  Size of logical volume pve/{lv} changed from {(d.Size / (double)GiB).ToString("0.00", inv)} GiB ({d.Size / (4 * MiB)} extents) to {(size / (double)GiB).ToString("0.00", inv)} GiB ({size / (4 * MiB)} extents).");
            lines.Add($"  Logical volume pve/{lv} successfully resized.");
        }
        var task = GuestTask(node, "resize", g, user, 0.6 + _rng.NextDouble() * 0.8, complete);
        for (var i = 0; i < lines.Count; i++) Line(task, 0.3 + i * 0.1, lines[i]);
        return task;
    }

    // ---- config (POST, async) ----------------------------------------------------------------------------

    internal SimTask ConfigTask(SimNode node, SimGuest g, IReadOnlyDictionary<string, string> p, string user, bool skiplock)
    {
        var parameters = new Dictionary<string, string>(p, StringComparer.Ordinal);
        var complete = Failable(g, () =>
        {
            try
            {
                UpdateConfig(g, parameters, skiplock);
                return null;
            }
            catch (PveError e)
            {
                return e.Errors is { } errors ? string.Join(", ", errors.Select(kv => $"{kv.Key}: {kv.Value}")) : e.Reason;
            }
        }, () => { });
        return GuestTask(node, "qmconfig", g, user, 0.3 + _rng.NextDouble() * 0.5, complete);
    }

    // ---- snapshots ---------------------------------------------------------------------------------------

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ConfigIdRegex();

    internal SimTask CreateSnapshot(SimNode node, SimGuest g, IReadOnlyDictionary<string, string> p, string user)
    {
        var name = p.GetValueOrDefault("snapname") ?? throw PveError.Param("snapname", "property is missing and it is not optional");
        if (name.Length > 40) throw PveError.Param("snapname", "value may only be 40 characters long");
        if (!ConfigIdRegex().IsMatch(name)) throw PveError.Param("snapname", $"invalid format - invalid configuration ID '{name}'");
        if (name == "current") throw PveError.Server("unable to use snapshot name 'current' (reserved name)");
        if (name.Equals("pending", StringComparison.OrdinalIgnoreCase)) throw PveError.Server("unable to use snapshot name 'pending' (reserved name)");
        var type = Prefix(g) + "snapshot";
        if (g.Lock is not null) return FailedTask(node, type, g, user, LockedMessage(g));
        if (g.Snapshots.Any(s => s.Name == name)) return FailedTask(node, type, g, user, $"snapshot name '{name}' already used");
        if (g.Template) return FailedTask(node, type, g, user, "you can't take a snapshot if it's a template");

        var vmstate = g.IsQemu && g.IsRunning && p.TryGetValue("vmstate", out var vs) && ParamBool(vs);
        var config = new SortedDictionary<string, string>(ConfigOf(g), StringComparer.Ordinal);
        var disks = DisksOf(g).Where(d => !d.Cdrom && !d.Unused && d.Storage is not null).ToList();
        var stateStorage = disks.FirstOrDefault()?.Storage ?? "local-zfs";
        if (vmstate)
        {
            config["vmstate"] = $"{stateStorage}:vm-{g.Vmid}-state-{name}";
            config["runningmachine"] = g.OsType.StartsWith("win", StringComparison.Ordinal) ? "pc-q35-8.1+pve0" : "pc-i440fx-8.1+pve0";
            config["runningcpu"] = "x86-64-v2-AES,+aes,enforce,+kvm_pv_eoi,+kvm_pv_unhalt,+pni,+popcnt,+sse4.1,+sse4.2,+ssse3";
        }
        var snap = new SimSnapshot
        {
            Name = name, Parent = g.Parent, Description = p.GetValueOrDefault("description") ?? "", SnapTime = Now.ToUnixTimeSeconds(),
            VmState = vmstate, SnapState = "prepare", Config = config,
        };
        g.Snapshots.Add(snap);
        g.Lock = "snapshot";

        void Cleanup()
        {
            g.Snapshots.Remove(snap);
            Unlock(g, "snapshot");
        }
        var complete = Failable(g, () =>
        {
            snap.SnapState = null;
            g.Parent = name;
            Unlock(g, "snapshot");
            return null;
        }, Cleanup);

        var plan = new List<(double, string)>();
        var at = 0.3;
        if (vmstate)
        {
            var ram = Math.Max(256 * MiB, Metrics(g).Mem);
            var seconds = Math.Max(1, Math.Round(ram / (1.1 * GiB)));
            plan.Add((at, $"saving VM state and RAM using storage '{stateStorage}'"));
            plan.Add((at + seconds / 2, $"{HumanBytes(ram / 2.0)} in {seconds / 2:0}s"));
            at += seconds;
            plan.Add((at, $"completed saving the VM state in {seconds:0}s, saved {HumanBytes(ram)}"));
        }
        else if (g.IsQemu && g.IsRunning && ConfigOf(g).GetValueOrDefault("agent") is { } agent && agent.Split(',')[0] is "1" or "enabled=1")
            plan.Add((at, "issuing guest-agent 'fs-freeze' command"));
        foreach (var d in disks)
        {
            at += 0.2;
            plan.Add((at, g.IsQemu ? $"snapshotting 'drive-{d.Key}' ({d.Volid})" : $"create snapshot '{name}' on {d.Volid}"));
        }
        if (!vmstate && plan.Count > 0 && plan[0].Item2.Contains("fs-freeze", StringComparison.Ordinal))
            plan.Add((at + 0.1, "issuing guest-agent 'fs-thaw' command"));
        var task = GuestTask(node, type, g, user, at + 0.5, complete);
        foreach (var (lineAt, text) in plan) Line(task, lineAt, text);
        task.Abort = () => { Cleanup(); return null; };
        return task;
    }

    internal SimTask DeleteSnapshot(SimNode node, SimGuest g, string name, bool force, string user)
    {
        var type = Prefix(g) + "delsnapshot";
        var snap = g.Snapshots.FirstOrDefault(s => s.Name == name);
        if (snap is null) return FailedTask(node, type, g, user, $"snapshot '{name}' does not exist");
        if (g.Lock is not null && !force) return FailedTask(node, type, g, user, LockedMessage(g));
        snap.SnapState = "delete";
        g.Lock = "snapshot-delete";
        void Cleanup()
        {
            snap.SnapState = null;
            Unlock(g, "snapshot-delete");
        }
        var complete = Failable(g, () =>
        {
            g.Snapshots.Remove(snap);
            foreach (var child in g.Snapshots.Where(s => s.Parent == name)) child.Parent = snap.Parent;
            if (g.Parent == name) g.Parent = snap.Parent;
            Unlock(g, "snapshot-delete");
            return null;
        }, Cleanup);
        var task = GuestTask(node, type, g, user, 0.8 + _rng.NextDouble(), complete);
        task.Abort = () => { Cleanup(); return null; };
        return task;
    }

    internal SimTask Rollback(SimNode node, SimGuest g, string name, bool start, string user)
    {
        var type = Prefix(g) + "rollback";
        var snap = g.Snapshots.FirstOrDefault(s => s.Name == name);
        if (snap is null) return FailedTask(node, type, g, user, $"snapshot '{name}' does not exist");
        if (g.Lock is not null) return FailedTask(node, type, g, user, LockedMessage(g));
        if (snap.SnapState is { } state) return FailedTask(node, type, g, user, $"unable to rollback to incomplete snapshot (snapstate = {state})");
        var newer = g.Snapshots.Where(s => s.SnapTime > snap.SnapTime || (s.SnapTime == snap.SnapTime && g.Snapshots.IndexOf(s) > g.Snapshots.IndexOf(snap))).ToList();
        if (newer.Count > 0)
        {
            var zfsDisk = DisksOf(g, snap.Config).FirstOrDefault(d => !d.Cdrom && !d.Unused && d.Storage is not null
                && StorageOn(g.Node, d.Storage)?.PluginType == "zfspool");
            if (zfsDisk is not null)
                return FailedTask(node, type, g, user, $"can't rollback, '{name}' is not most recent snapshot on '{zfsDisk.Volid.Split(':')[1]}'");
        }
        g.Lock = "rollback";
        var complete = Failable(g, () =>
        {
            var c = new SortedDictionary<string, string>(snap.Config, StringComparer.Ordinal);
            c.Remove("vmstate");
            c.Remove("runningmachine");
            c.Remove("runningcpu");
            g.ConfigStore = c;
            g.Pending.Clear();
            g.PendingDelete.Clear();
            g.Parent = name;
            g.Lock = null;
            SyncFields(g);
            StopGuest(g);
            if (snap.VmState || start) StartGuest(g);
            return null;
        }, () => Unlock(g, "rollback"));
        var task = GuestTask(node, type, g, user, (snap.VmState ? 2.5 : 1.0) + _rng.NextDouble(), complete);
        if (snap.VmState) Line(task, 1.5, "Resuming suspended VM");
        return task;
    }
}
