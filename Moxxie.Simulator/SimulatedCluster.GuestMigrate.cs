using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>Migration (qmigrate with a log like QemuMigrate prints), HA resources and VNC console tickets.</summary>
public sealed partial class SimulatedCluster
{
    private byte[]? _vncKey;

    // ---- migration ---------------------------------------------------------------------------------------

    /// <summary>Disks on storages that are not shared (PVE's local_disks), with the node's storage config.</summary>
    internal IReadOnlyList<GuestDisk> LocalDisks(SimGuest g) =>
        DisksOf(g).Where(d => d.Storage is not null && !(StorageOn(g.Node, d.Storage)?.Shared ?? false)).ToList();

    /// <summary>Storages of the guest's volumes that the target node lacks (not_allowed_nodes → unavailable_storages).</summary>
    internal IReadOnlyList<string> UnavailableStorages(SimGuest g, string target) =>
        DisksOf(g).Where(d => d.Storage is not null).Select(d => d.Storage!).Distinct()
            .Where(s => StorageOn(target, s) is null).Order(StringComparer.Ordinal).ToList();

    internal static string HaSid(SimGuest g) => (g.IsQemu ? "vm:" : "ct:") + g.Vmid.ToString(CultureInfo.InvariantCulture);

    internal SimTask Migrate(SimNode node, SimGuest g, IReadOnlyDictionary<string, string> p, string user)
    {
        var targetName = p.GetValueOrDefault("target") ?? throw PveError.Param("target", "property is missing and it is not optional");
        if (targetName == node.Name) throw PveError.Param("target", "target is local node.");
        var target = FindNode(targetName) ?? throw PveError.Server($"no such cluster node '{targetName}'");
        CheckLock(g);
        var online = p.TryGetValue("online", out var o) && ParamBool(o);
        var withLocalDisks = p.TryGetValue("with-local-disks", out var w) && ParamBool(w);
        if (g.IsRunning && !online)
            throw PveError.Server(g.IsQemu ? "can't migrate running VM without --online" : "can't migrate running container without --online or --restart");
        var storageMap = ParseStorageMap(p.GetValueOrDefault("targetstorage"));
        foreach (var s in storageMap.Values.Distinct())
            if (CheckImageStorage(target.Name, s, g.Type) is { } error) throw PveError.Server(error);

        if (_ha.ContainsKey(HaSid(g)))
        {
            var request = NewTask(node, "hamigrate", g.Vmid.ToString(CultureInfo.InvariantCulture), user, 0.8, 1.2, g.Vmid, null);
            Line(request, 0, $"Requesting HA migration for {g.Kind} {g.Vmid} to node {target.Name}");
            QemuMigrate(node, target, g, "root@pam", online, true, storageMap);
            return request;
        }
        return QemuMigrate(node, target, g, user, online, withLocalDisks, storageMap);
    }

    private static Dictionary<string, string> ParseStorageMap(string? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in SplitList(value))
        {
            var parts = pair.Split(':');
            map[parts.Length == 2 ? parts[0] : "*"] = parts[^1];
        }
        return map;
    }

    private SimTask QemuMigrate(SimNode node, SimNode target, SimGuest g, string user, bool online, bool withLocalDisks,
        Dictionary<string, string> storageMap)
    {
        var running = g.IsRunning;
        var vmid = g.Vmid;
        var kind = g.Kind;
        var start = Now;
        string Ts(double nominal) => (start + TimeSpan.FromSeconds(nominal / _taskSpeed)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        static string Duration(double seconds)
        {
            var t = TimeSpan.FromSeconds(Math.Round(seconds));
            return $"{(int)t.TotalHours:D2}:{t.Minutes:D2}:{t.Seconds:D2}";
        }
        string Mapped(GuestDisk d) => storageMap.GetValueOrDefault(d.Storage!) ?? storageMap.GetValueOrDefault("*") ?? d.Storage!;
        string TargetVolid(GuestDisk d) => Mapped(d) + d.Volid[d.Volid.IndexOf(':')..];

        var plan = new List<(double At, string Text)>();
        var at = 0.0;
        void Log(string text, bool stamp = true) => plan.Add((at, stamp ? $"{Ts(at)} {text}" : text));

        Log($"starting migration of {kind} {vmid} to node '{target.Name}' ({target.Ip})");
        var local = LocalDisks(g).Where(d => !(d.Cdrom && d.Volid == "none")).ToList();
        foreach (var d in local) Log($"found local disk '{d.Volid}' ({(d.Unused ? "orphaned" : "attached")})");

        string? error = null;
        var rng = _rng;
        if (!target.Online)
        {
            at += 3;
            error = "Can't connect to destination address using public key";
            Log($"ERROR: migration aborted (duration {Duration(at)}): {error}");
        }
        else if (running && local.Any(d => !d.Cdrom) && !withLocalDisks)
        {
            error = "can't live migrate attached local disks without with-local-disks option";
            Log($"ERROR: Problem found while scanning volumes - {error}");
            Log("aborting phase 1 - cleanup resources");
            Log($"ERROR: migration aborted (duration {Duration(at)}): Problem found while scanning volumes - {error}");
        }
        else if (running)
        {
            at += 0.1;
            Log($"starting VM {vmid} on remote node '{target.Name}'");
            at += 1.4;
            foreach (var d in local.Where(d => !d.Cdrom)) Log($"volume '{d.Volid}' is '{TargetVolid(d)}' on the target");
            Log("start remote tunnel");
            at += 0.4;
            Log("ssh tunnel ver 1");
            var mirrored = local.Where(d => !d.Cdrom && !d.CloudInit).ToList();
            if (mirrored.Count > 0) Log("starting storage migration");
            foreach (var d in mirrored)
            {
                Log($"{d.Key}: start migration to nbd:unix:/run/qemu-server/{vmid}_nbd.migrate:exportname=drive-{d.Key}");
                Log($"drive mirror is starting for drive-{d.Key}", stamp: false);
                var rate = (300 + rng.NextDouble() * 600) * MiB;
                var seconds = Math.Max(2, d.Size * (0.25 + rng.NextDouble() * 0.35) / rate);
                var steps = (int)Math.Clamp(seconds, 2, 12);
                var t0 = at;
                for (var i = 0; i <= steps; i++)
                {
                    at = t0 + seconds * i / steps;
                    var pct = (100.0 * i / steps).ToString("0.00", CultureInfo.InvariantCulture);
                    Log($"drive-{d.Key}: transferred {HumanBytes(d.Size * (double)i / steps)} of {HumanBytes(d.Size)} ({pct}%) in {FormatElapsed((long)(seconds * i / steps))}{(i == steps ? ", ready" : "")}", stamp: false);
                }
                at += 0.2;
            }
            if (mirrored.Count > 0) Log("all 'mirror' jobs are ready", stamp: false);
            Log($"starting online/live migration on unix:/run/qemu-server/{vmid}.migrate");
            Log("set migration capabilities");
            Log("migration downtime limit: 100 ms");
            Log($"migration cachesize: {HumanBytes(Math.Max(64 * MiB, (long)Math.Pow(2, Math.Floor(Math.Log2(g.MaxMem / 8.0)))))}");
            Log("set migration parameters");
            Log($"start migrate command to unix:/run/qemu-server/{vmid}.migrate");
            var ram = Math.Max(128 * MiB, Metrics(g).Mem);
            var ramRate = (110 + rng.NextDouble() * 500) * MiB;
            var ramSeconds = Math.Max(2, ram / ramRate);
            var ramSteps = (int)Math.Clamp(ramSeconds, 2, 15);
            var r0 = at;
            double sent = 0;
            for (var i = 1; i <= ramSteps; i++)
            {
                at = r0 + ramSeconds * i / ramSteps;
                var speed = ramRate * (0.85 + rng.NextDouble() * 0.3);
                sent = Math.Min(ram, sent + speed * ramSeconds / ramSteps);
                if (i < ramSteps)
                    Log($"migration active, transferred {HumanBytes(sent)} of {HumanBytes(g.MaxMem)} VM-state, {(speed / MiB).ToString("0.0", CultureInfo.InvariantCulture)} MiB/s");
            }
            Log($"average migration speed: {(ram / ramSeconds / MiB).ToString("0.0", CultureInfo.InvariantCulture)} MiB/s - downtime {rng.Next(20, 120)} ms");
            Log("migration status: completed");
            if (mirrored.Count > 0)
            {
                Log("all 'mirror' jobs are ready", stamp: false);
                foreach (var d in mirrored)
                {
                    Log($"drive-{d.Key}: Completing block job...", stamp: false);
                    Log($"drive-{d.Key}: Completed successfully.", stamp: false);
                    Log($"drive-{d.Key}: mirror-job finished", stamp: false);
                }
                at += 0.5;
                Log("stopping NBD storage migration server on target.");
            }
            at += 1.5 + rng.NextDouble() * 2;
            Log($"migration finished successfully (duration {Duration(at)})");
        }
        else
        {
            var copied = local.Where(d => !d.Cdrom).ToList();
            if (copied.Count > 0) Log("copying local disk images");
            foreach (var d in copied)
            {
                var name = d.Volid[(d.Volid.IndexOf(':') + 1)..];
                var used = d.CloudInit ? d.Size : (long)(d.Size * (0.25 + rng.NextDouble() * 0.35));
                var rate = (250 + rng.NextDouble() * 500) * MiB;
                var seconds = Math.Max(1, used / rate);
                var steps = (int)Math.Clamp(seconds, 1, 12);
                var t0 = at;
                if (StorageOn(g.Node, d.Storage!)?.PluginType == "zfspool")
                {
                    var gib = (used / (double)GiB).ToString("0.0", CultureInfo.InvariantCulture);
                    Log($"full send of rpool/data/{name}@__migration__ estimated size is {gib}G");
                    Log($"total estimated size is {gib}G");
                    Log($"TIME        SENT   SNAPSHOT rpool/data/{name}@__migration__");
                    for (var i = 1; i <= steps; i++)
                    {
                        at = t0 + seconds * i / steps;
                        var clock = (start + TimeSpan.FromSeconds(at / _taskSpeed)).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                        var sentG = (used * (double)i / steps / GiB).ToString("0.00", CultureInfo.InvariantCulture);
                        Log($"{clock}   {sentG}G   rpool/data/{name}@__migration__");
                    }
                }
                else
                {
                    for (var i = 0; i <= steps; i++)
                    {
                        at = t0 + seconds * i / steps;
                        Log($"transferred {HumanBytes(d.Size * (double)i / steps)} of {HumanBytes(d.Size)} ({(100.0 * i / steps).ToString("0.00", CultureInfo.InvariantCulture)}%)", stamp: false);
                    }
                }
                at += 0.3;
                Log($"successfully imported '{TargetVolid(d)}'");
                Log($"volume '{d.Volid}' is '{TargetVolid(d)}' on the target");
            }
            at += 0.5 + rng.NextDouble();
            Log($"migration finished successfully (duration {Duration(at)})");
        }

        g.Lock = "migrate";
        var complete = Failable(g, () =>
        {
            Unlock(g, "migrate");
            if (error is not null) return "migration aborted";
            var c = ConfigOf(g);
            foreach (var d in local.Where(d => !d.Cdrom && !d.Unused)) c[d.Key] = c[d.Key].Replace(d.Volid, TargetVolid(d), StringComparison.Ordinal);
            g.Node = target.Name;
            if (g.IsRunning)
            {
                g.StartedAt = Now;
                g.PausedTotal = TimeSpan.Zero;
                g.PausedAt = g.Paused ? Now : null;
                g.Pid = _rng.Next(1200, 4_000_000);
            }
            return null;
        }, () => Unlock(g, "migrate"));
        var task = NewTask(node, g.IsQemu ? "qmigrate" : "vzmigrate", vmid.ToString(CultureInfo.InvariantCulture), user,
            at + 0.3, at + 0.3, vmid, complete);
        foreach (var (lineAt, text) in plan) Line(task, lineAt, text);
        task.Abort = () =>
        {
            var elapsed = (Now - start).TotalSeconds * _taskSpeed;
            var stamp = Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            if (running)
            {
                task.Log.Add($"{stamp} ERROR: online migrate failure - interrupted by signal");
                task.Log.Add($"{stamp} aborting phase 2 - cleanup resources");
                task.Log.Add($"{stamp} migrate_cancel");
            }
            task.Log.Add($"{stamp} ERROR: migration aborted (duration {Duration(elapsed)}): interrupted by signal");
            Unlock(g, "migrate");
            return "migration aborted";
        };
        return task;
    }

    // ---- HA ----------------------------------------------------------------------------------------------

    internal IReadOnlyCollection<SimHaResource> HaResources => _ha.Values;

    internal SimHaResource? FindHa(SimGuest g) => _ha.GetValueOrDefault(HaSid(g));

    /// <summary>"101", "vm:101", "ct:200" → the resource id and guest (PVE's parse_sid).</summary>
    internal (string Sid, SimGuest Guest) ParseHaSid(string sid, string? type)
    {
        var colon = sid.IndexOf(':');
        var t = colon >= 0 ? sid[..colon] : type;
        var name = colon >= 0 ? sid[(colon + 1)..] : sid;
        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var vmid))
            throw PveError.Param("sid", $"value does not look like a valid ha resource id");
        if (!GuestMap.TryGetValue(vmid, out var g)) throw PveError.Server($"no such VM '{vmid}'");
        t ??= g.IsQemu ? "vm" : "ct";
        if (t is not ("vm" or "ct") || (t == "vm") != g.IsQemu) throw PveError.Server($"unable to find {t} '{vmid}'");
        return ($"{t}:{vmid}", g);
    }

    internal void AddHa(SimHaResource r)
    {
        if (_ha.ContainsKey(r.Sid)) throw PveError.Server($"resource ID '{r.Sid}' already defined");
        _ha[r.Sid] = r;
    }

    internal void RemoveHa(string sid)
    {
        if (!_ha.Remove(sid)) throw PveError.Server($"no such resource '{sid}'");
    }

    /// <summary>Makes a guest HA-managed (for presets and tests).</summary>
    public void AddHaResource(int vmid, string state = "started")
    {
        lock (Gate)
        {
            var g = RequireGuest(vmid);
            AddHa(new SimHaResource { Sid = HaSid(g), Type = g.IsQemu ? "vm" : "ct", Vmid = vmid, State = state });
        }
    }

    // ---- VNC tickets -------------------------------------------------------------------------------------

    private byte[] VncKey => _vncKey ??= SHA256.HashData(Encoding.UTF8.GetBytes($"moxxie-sim-vnc-{Seed}"));

    private string VncSignature(long time, string user, int vmid, string port) =>
        Convert.ToBase64String(HMACSHA512.HashData(VncKey, Encoding.UTF8.GetBytes($"PVEVNC:{time:X8}:{user}:/vms/{vmid}:{port}")));

    /// <summary>POST …/vncproxy: a vncproxy worker (gives up after 10 s without a connection) and a ticket bound to user, VM, port.</summary>
    internal (string Port, string Ticket, string? Password, SimTask Task) VncProxy(SimNode node, SimGuest g, string user, bool generatePassword)
    {
        if (g.IsQemu && !g.IsRunning) throw PveError.Server($"VM {g.Vmid} not running");
        if (!g.IsQemu && !g.IsRunning) throw PveError.Server($"CT {g.Vmid} not running");
        var busy = _tasks.Count(t => t.IsRunning && t.Node == node.Name && t.Type is "vncproxy");
        var port = (5900 + busy).ToString(CultureInfo.InvariantCulture);
        var time = Now.ToUnixTimeSeconds();
        var ticket = $"PVEVNC:{time:X8}::{VncSignature(time, user, g.Vmid, port)}";
        string? password = null;
        if (generatePassword)
        {
            const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            password = new string(Enumerable.Range(0, 8).Select(_ => chars[_rng.Next(chars.Length)]).ToArray());
            ticket = password + ":" + ticket;
        }
        var task = NewTask(node, "vncproxy", g.Vmid.ToString(CultureInfo.InvariantCulture), user, 10 * _taskSpeed, 10 * _taskSpeed, g.Vmid,
            () => "connection timed out");
        return (port, ticket, password, task);
    }

    /// <summary>Checks a vncticket like verify_vnc_ticket: same user, VM and port, issued -20…+40 s from now.</summary>
    internal bool VerifyVncTicket(string ticket, string user, int vmid, string port)
    {
        var t = ticket.StartsWith("PVEVNC:", StringComparison.Ordinal) ? ticket : ticket[(ticket.IndexOf(':') + 1)..];
        var parts = t.Split(':');
        if (parts.Length != 4 || parts[0] != "PVEVNC" || parts[2].Length != 0) return false;
        if (!long.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var time)) return false;
        var age = Now.ToUnixTimeSeconds() - time;
        if (age < -20 || age > 40) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[3]), Encoding.ASCII.GetBytes(VncSignature(time, user, vmid, port)));
    }
}
