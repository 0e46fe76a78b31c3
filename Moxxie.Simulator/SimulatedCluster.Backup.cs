using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>One entry of a prune run (PVE::Storage::Plugin::prune_backups): keep, remove, protected or renamed.</summary>
internal sealed record PruneMark(SimVolume Volume, string Type, int? Vmid, long CTime, string Mark);

/// <summary>
/// vzdump (PVE::API2::VZDump / PVE::VZDump: one worker, guests in turn, lock "backup" while each is backed up), prune
/// (PVE::Storage prune_mark_backup_group), extractconfig and qmrestore.
/// </summary>
public sealed partial class SimulatedCluster
{
    private static readonly string[] RootOnlyVzdumpOptions = ["bwlimit", "ionice", "maxfiles", "tmpdir", "dumpdir", "script"];
    private static readonly string[] NotesVariables = ["cluster", "guestname", "node", "vmid"];

    // ---- prune -------------------------------------------------------------------------------------------

    /// <summary>The keep-* options of a prune-backups property string ("keep-last=3,keep-daily=7").</summary>
    internal static Dictionary<string, int> ParseKeep(string? text)
    {
        var keep = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in SplitList(text?.Replace(' ', ',')))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) keep[kv[0]] = n;
        }
        return keep;
    }

    /// <summary>print_property_string: keys sorted, "k=v" joined by commas.</summary>
    internal static string KeepText(IReadOnlyDictionary<string, int> keep) =>
        string.Join(',', keep.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value.ToString(CultureInfo.InvariantCulture)}"));

    [GeneratedRegex(@"^vzdump-(qemu|lxc|openvz)-(\d+)-(\d{4})_(\d\d)_(\d\d)-(\d\d)_(\d\d)_(\d\d)\.")]
    private static partial Regex StdBackupNameRegex();

    /// <summary>
    /// The backups of a storage (optionally one VMID / guest type) marked as PVE's prune logic does: per type/VMID group
    /// newest first, keep-last, then hourly/daily/weekly (ISO week)/monthly/yearly buckets (UTC), rest removed; protected
    /// and non-standard names are never removed.
    /// </summary>
    internal List<PruneMark> PruneMarks(SimStorage s, IReadOnlyDictionary<string, int> keep, int? vmid, string? type)
    {
        var list = new List<(SimVolume V, string Type, int? Vmid, long CTime, string? Mark, string? Group)>();
        foreach (var v in VolumesOn(s).Where(v => v.Content == "backup").OrderBy(v => v.VolId, StringComparer.Ordinal))
        {
            if (vmid is not null && v.Vmid != vmid) continue;
            var file = v.VolName[(v.VolName.IndexOf('/') + 1)..];
            var m = StdBackupNameRegex().Match(file);
            var backupType = m.Success ? m.Groups[1].Value : v.Subtype ?? "unknown";
            if (type is not null && type != backupType) continue;
            long ctime = v.CTime;
            string? mark = null, group = null;
            if (m.Success)
            {
                int G(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
                ctime = new DateTimeOffset(G(3), G(4), G(5), G(6), G(7), G(8), TimeSpan.Zero).ToUnixTimeSeconds();
                group = $"{backupType}/{m.Groups[2].Value}";
            }
            else mark = "renamed";
            if (v.Protected) mark = "protected";
            list.Add((v, backupType, m.Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : v.Vmid, ctime, mark, group));
        }

        var marks = list.Select(e => e.Mark).ToArray();
        foreach (var group in list.Select((e, i) => (e, i)).Where(x => x.e.Group is not null).GroupBy(x => x.e.Group))
        {
            var members = group.OrderByDescending(x => x.e.CTime).Select(x => x.i).ToList();
            var positive = keep.Where(k => k.Key != "keep-all" && k.Value > 0).ToList();
            if (keep.GetValueOrDefault("keep-all") > 0 || positive.Count == 0)
            {
                foreach (var i in members) if (marks[i] is null or "remove") marks[i] = "keep";
                continue;
            }
            void Mark(string option, Func<DateTime, string> id)
            {
                if (keep.GetValueOrDefault(option) is not (> 0 and var count)) return;
                var already = members.Where(i => marks[i] == "keep").Select(i => id(Time(i))).ToHashSet(StringComparer.Ordinal);
                var included = new HashSet<string>(StringComparer.Ordinal);
                foreach (var i in members)
                {
                    var key = id(Time(i));
                    if (marks[i] is not null || already.Contains(key)) continue;
                    if (!included.Contains(key))
                    {
                        if (included.Count >= count) break;
                        included.Add(key);
                        marks[i] = "keep";
                    }
                    else marks[i] = "remove";
                }
            }
            DateTime Time(int i) => DateTimeOffset.FromUnixTimeSeconds(list[i].CTime).UtcDateTime;
            Mark("keep-last", t => t.Ticks.ToString(CultureInfo.InvariantCulture));
            Mark("keep-hourly", t => t.ToString("yyyy-MM-dd HH", CultureInfo.InvariantCulture));
            Mark("keep-daily", t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Mark("keep-weekly", t => $"{ISOWeek.GetWeekOfYear(t)}/{ISOWeek.GetYear(t)}");
            Mark("keep-monthly", t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            Mark("keep-yearly", t => t.Year.ToString(CultureInfo.InvariantCulture));
            foreach (var i in members) marks[i] ??= "remove";
        }
        return [.. list.Select((e, i) => new PruneMark(e.V, e.Type, e.Vmid, e.CTime, marks[i] ?? "keep"))];
    }

    /// <summary>The retention a prune uses: the given property string, else the storage's prune-backups (else PVE's error).</summary>
    internal Dictionary<string, int> PruneKeep(string storage, string? given)
    {
        if (given is not null) return ParseKeep(given);
        var cfg = StorageConfigs[storage];
        if (cfg.Props.GetValueOrDefault("prune-backups") is not string text)
            throw PveError.Server($"no prune-backups options configured for storage '{storage}'");
        return ParseKeep(text);
    }

    /// <summary>DELETE …/prunebackups: a "prunebackups" worker removing what the policy marks "remove".</summary>
    internal SimTask PruneTask(SimStorage s, IReadOnlyDictionary<string, int> keep, int? vmid, string? type, string user)
    {
        var id = (vmid is { } v ? $"{v.ToString(CultureInfo.InvariantCulture)}@" : "") + s.Storage;
        var doomed = PruneMarks(s, keep, vmid, type).Where(m => m.Mark == "remove").Select(m => m.Volume).ToList();
        return InfraTask(s.Node, "prunebackups", id, user, 0.4 + doomed.Count * 0.1, 0.8 + doomed.Count * 0.15, () =>
        {
            foreach (var vol in doomed) Volumes.Remove(vol);
            return null;
        }, doomed.Select(vol => $"removing backup '{vol.VolId}'"));
    }

    // ---- vzdump ------------------------------------------------------------------------------------------

    /// <summary>Checks PVE makes before forking the vzdump worker (400 for parameter problems).</summary>
    internal static void CheckVzdumpParams(IReadOnlyDictionary<string, string> p, string user)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        bool Set(string key) => p.TryGetValue(key, out var v) && v.Length > 0 && v != "0";
        if (Set("all") && p.ContainsKey("vmid")) errors["all"] = "option conflicts with option 'vmid'";
        if (p.ContainsKey("exclude") && p.ContainsKey("vmid")) errors["exclude"] = "option conflicts with option 'vmid'";
        if (p.ContainsKey("pool") && p.ContainsKey("vmid")) errors["pool"] = "option conflicts with option 'vmid'";
        if (p.ContainsKey("prune-backups") && p.ContainsKey("maxfiles")) errors["prune-backups"] = "option conflicts with option 'maxfiles'";
        if (p.GetValueOrDefault("notes-template") is { } template && NotesTemplateProblem(template) is { } problem) errors["notes-template"] = problem;
        if (!(Set("all") || Set("stop") || p.ContainsKey("pool") || p.ContainsKey("vmid") || p.ContainsKey("exclude")))
            errors["vmid"] = "property is missing";
        foreach (var key in RootOnlyVzdumpOptions)
            if (p.ContainsKey(key) && user != "root@pam") errors[key] = "Only root may set this option.";
        if (errors.Count > 0) throw PveError.ParameterVerification(errors);
    }

    private static string? NotesTemplateProblem(string template)
    {
        if (template.Contains('\n', StringComparison.Ordinal)) return "contains a line feed";
        var problems = new List<string>();
        foreach (Match m in Regex.Matches(template, @"\\(.)"))
            if (m.Groups[1].Value is not ("n" or "\\")) problems.Add($"escape sequence '\\{m.Groups[1].Value}' at char {m.Index}");
        foreach (Match m in Regex.Matches(template, @"\{\{([^\s{}]+)\}\}"))
            if (!NotesVariables.Contains(m.Groups[1].Value)) problems.Add($"variable '{m.Groups[1].Value}'");
        return problems.Count > 0 ? "found unknown: " + string.Join(", ", problems) : null;
    }

    private string Notes(string template, SimGuest g, string node)
    {
        var text = Regex.Replace(template, @"\{\{(cluster|guestname|node|vmid)\}\}", m => m.Groups[1].Value switch
        {
            "cluster" => ClusterName ?? node,
            "guestname" => g.Name,
            "node" => node,
            _ => g.Vmid.ToString(CultureInfo.InvariantCulture),
        });
        return Regex.Replace(text, @"\\(n|\\)", m => m.Groups[1].Value == "n" ? "\n" : "\\");
    }

    /// <summary>PVE::VZDump::Common::command_line: "vzdump 101 102 --key value …" (values with blanks or braces quoted).</summary>
    private static string CommandLine(IReadOnlyDictionary<string, string> p)
    {
        var sb = new StringBuilder("vzdump");
        if (p.GetValueOrDefault("vmid") is { } vmids) foreach (var v in SplitList(vmids)) sb.Append(' ').Append(v);
        foreach (var (k, v) in p.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (k is "vmid" or "id" or "starttime" or "dow" or "stdout" or "enabled") continue;
            sb.Append(" --").Append(k).Append(' ').Append(Regex.IsMatch(v, @"^[A-Za-z0-9_.,:/=+@-]+$") ? v : $"'{v}'");
        }
        return sb.ToString();
    }

    private static string Hms(double seconds)
    {
        var s = (long)Math.Round(seconds);
        return $"{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}";
    }

    private static string Duration(double seconds)
    {
        var s = (long)Math.Round(seconds);
        return s < 60 ? $"{s}s" : s < 3600 ? $"{s / 60}m {s % 60}s" : $"{s / 3600}h {s / 60 % 60}m {s % 60}s";
    }

    /// <summary>VZDump format_size: "512KB", "120MB", "8.52GB".</summary>
    private static string VzdumpSize(double bytes)
    {
        var kb = bytes / 1024;
        if (kb < 1024) return $"{(long)kb}KB";
        var mb = kb / 1024;
        if (mb < 1024) return $"{(long)mb}MB";
        var gb = mb / 1024;
        return gb < 1024 ? gb.ToString("0.00", CultureInfo.InvariantCulture) + "GB" : (gb / 1024).ToString("0.00", CultureInfo.InvariantCulture) + "TB";
    }

    private static string BackupStamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static (string Ext, double Ratio) Compression(string compress) => compress switch
    {
        "zstd" => (".zst", 0.42),
        "gzip" => (".gz", 0.5),
        "lzo" or "1" => (".lzo", 0.6),
        _ => ("", 1.0),
    };

    /// <summary>POST /nodes/{node}/vzdump: one "vzdump" worker backing up this node's selected guests in turn.</summary>
    internal SimTask Vzdump(SimNode node, IReadOnlyDictionary<string, string> p, string user)
    {
        CheckVzdumpParams(p, user);
        bool Flag(string key, bool fallback = false) => p.TryGetValue(key, out var v) ? ParamBool(v) : fallback;
        var exclude = SplitList(p.GetValueOrDefault("exclude")).Select(int.Parse).ToHashSet();
        List<int> selected;
        if (p.GetValueOrDefault("pool") is { } poolId)
            selected = Pools.TryGetValue(poolId, out var pool) ? [.. pool.Vmids] : [];
        else if (p.ContainsKey("vmid")) selected = [.. SplitList(p["vmid"]).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).Distinct()];
        else selected = [.. GuestMap.Keys.Where(v => !exclude.Contains(v))];
        selected.Sort();
        var local = selected.Where(v => !GuestMap.TryGetValue(v, out var g) || g.Node == node.Name).ToList();
        var external = selected.Where(v => GuestMap.TryGetValue(v, out var g) && g.Node != node.Name).ToList();
        var taskId = local.Count == 1 ? local[0].ToString(CultureInfo.InvariantCulture) : "";

        var storage = p.GetValueOrDefault("storage") ?? "local";
        var mode = p.GetValueOrDefault("mode") ?? "snapshot";
        var compress = p.GetValueOrDefault("compress") ?? "0";
        var remove = Flag("remove", true);
        var protect = Flag("protected");
        var notesTemplate = p.GetValueOrDefault("notes-template");

        var storageError = StorageForBackup(node.Name, storage);
        var keep = storageError is null ? ParseKeep(p.GetValueOrDefault("prune-backups")
            ?? StorageConfigs[storage].Props.GetValueOrDefault("prune-backups") as string ?? "keep-all=1") : [];
        var store = storageError is null ? FindStorage(node.Name, storage)! : null;

        var task = NewTask(node, "vzdump", taskId, user, 0, 0, local.Count == 1 ? local[0] : null, null);
        var at = 0.3;
        var errors = 0;
        void L(double when, string text) => Line(task, when, text);
        L(0.1, "INFO: starting new backup job: " + CommandLine(p));
        if (storageError is not null)
        {
            task.PlannedError = $"could not get storage information for '{storage}': {storageError}";
            task.PlannedEnd = task.Started + TimeSpan.FromSeconds(0.4 / _taskSpeed);
            return task;
        }
        if (external.Count > 0) L(0.2, "INFO: skip external VMs: " + string.Join(", ", external));

        SimGuest? current = null;
        Action? undoCurrent = null;
        foreach (var vmid in local)
        {
            var segStart = at;
            var startTime = task.Started + TimeSpan.FromSeconds(segStart / _taskSpeed);
            if (!GuestMap.TryGetValue(vmid, out var g))
            {
                L(segStart, $"ERROR: Backup of VM {vmid} failed - unable to find VM '{vmid}'");
                errors++;
                at += 0.3;
                continue;
            }
            var plan = PlanGuestBackup(task, g, node, store!, mode, compress, notesTemplate, protect, remove, keep, segStart, startTime);
            // a failure injected with FailNextTask is taken when the job starts: this guest's backup breaks off half-way
            var failure = g.FailNextTask;
            g.FailNextTask = null;
            if (failure is not null) plan = FailingBackup(plan, g, segStart, failure);
            var segEnd = plan.End;
            var kind = g.IsQemu ? "qemu" : "lxc";
            L(segStart, $"INFO: Starting Backup of VM {vmid} ({kind})");
            L(segStart + 0.01, $"INFO: Backup started at {BackupStamp(startTime)}");
            foreach (var (lineAt, text) in plan.Lines) L(lineAt, text);
            var guest = g;
            Action start = () =>
            {
                if (TryLock(guest, "backup") is { } lockError)
                {
                    // locked by something else: this guest fails, the job goes on with the next one
                    task.PlannedLines.RemoveAll(l => l.At > TimeSpan.FromSeconds((segStart + 0.01) / _taskSpeed) && l.At < TimeSpan.FromSeconds((segEnd + 0.03) / _taskSpeed));
                    task.PlannedActions.RemoveAll(a => a.At > TimeSpan.FromSeconds(segStart / _taskSpeed) && a.At <= TimeSpan.FromSeconds(segEnd / _taskSpeed));
                    InsertLine(task, segStart + 0.02, $"ERROR: Backup of VM {guest.Vmid} failed - {lockError}");
                    InsertLine(task, segStart + 0.03, $"INFO: Failed at {BackupStamp(startTime)}");
                    errors++;
                    return;
                }
                current = guest;
                plan.Capture();
                undoCurrent = plan.Undo;
            };
            if (segStart <= 0.3) start();       // the first guest is locked before the API answers
            else Act(task, segStart, start);
            foreach (var (actAt, act) in plan.Actions) Act(task, actAt, act);
            Act(task, segEnd, () =>
            {
                plan.Finish();
                Unlock(guest, "backup");
                current = null;
                undoCurrent = null;
                if (failure is not null) errors++;
            });
            var endStamp = BackupStamp(task.Started + TimeSpan.FromSeconds(segEnd / _taskSpeed));
            if (failure is not null) L(segEnd + 0.01, $"INFO: Failed at {endStamp}");
            else
            {
                L(segEnd + 0.01, $"INFO: Finished Backup of VM {vmid} ({Hms(segEnd - segStart)})");
                L(segEnd + 0.02, $"INFO: Backup finished at {endStamp}");
            }
            at = segEnd + 0.3;
        }
        task.PlannedEnd = task.Started + TimeSpan.FromSeconds((at + 0.2) / _taskSpeed);
        task.Complete = () =>
        {
            InsertLine(task, at, errors > 0 ? "INFO: Backup job finished with errors" : "INFO: Backup job finished successfully");
            RevealLines(task, DateTimeOffset.MaxValue - TimeSpan.FromDays(1));
            return errors > 0 ? "job errors" : null;
        };
        task.Abort = () =>
        {
            if (current is { } g)
            {
                undoCurrent?.Invoke();
                Unlock(g, "backup");
                task.Log.Add($"ERROR: Backup of VM {g.Vmid} failed - interrupted by signal");
                task.Log.Add($"INFO: Failed at {BackupStamp(Now)}");
            }
            task.Log.Add("ERROR: Backup job failed - interrupted by signal");
            return "interrupted by signal";
        };
        return task;
    }

    /// <summary>
    /// A guest backup that fails half-way (PVE::VZDump exec_backup_task): qemu logs the error, "aborting backup job"
    /// (backup-cancel), then "ERROR: Backup of VM n failed - message"; no archive is kept and a guest stopped or paused
    /// for the backup is brought back. The job goes on with the next guest and ends with "job errors".
    /// </summary>
    private static GuestBackupPlan FailingBackup(GuestBackupPlan plan, SimGuest g, double t0, string message)
    {
        var failAt = t0 + (plan.End - t0) / 2;
        var lines = plan.Lines.Where(l => l.At < failAt).ToList();
        if (g.IsQemu)
        {
            lines.Add((failAt, $"ERROR: {message}"));
            lines.Add((failAt + 0.01, "INFO: aborting backup job"));
        }
        lines.Add((failAt + 0.02, $"ERROR: Backup of VM {g.Vmid} failed - {message}"));
        return new GuestBackupPlan(lines, [.. plan.Actions.Where(a => a.At < failAt)], failAt + 0.02, plan.Capture, plan.Undo, plan.Undo);
    }

    private void Act(SimTask t, double nominalSeconds, Action run) =>
        t.PlannedActions.Add((TimeSpan.FromSeconds(nominalSeconds / _taskSpeed), run));

    private void InsertLine(SimTask t, double nominalSeconds, string text)
    {
        var at = TimeSpan.FromSeconds(nominalSeconds / _taskSpeed);
        var i = t.PlannedLines.FindIndex(l => l.At > at);
        t.PlannedLines.Insert(i < 0 ? t.PlannedLines.Count : i, (at, text));
    }

    /// <summary>Why a storage cannot take backups on a node (PVE's words), or null.</summary>
    private string? StorageForBackup(string node, string storage)
    {
        if (!StorageConfigs.TryGetValue(storage, out var cfg)) return $"storage '{storage}' does not exist";
        if (!cfg.Props.GetValueOrDefault("content")?.ToString()!.Split(',').Contains("backup") ?? true)
            return $"can't use storage '{storage}' for backups - wrong content type";
        if (cfg.Disabled) return $"storage '{storage}' is disabled";
        return FindStorage(node, storage) is null ? $"storage '{storage}' is not available on node '{node}'" : null;
    }

    private sealed record GuestBackupPlan(
        List<(double At, string Text)> Lines, List<(double At, Action Run)> Actions, double End, Action Capture, Action Finish, Action Undo);

    /// <summary>The lines and state changes of one guest's backup, from <paramref name="t0"/> (nominal seconds into the job).</summary>
    private GuestBackupPlan PlanGuestBackup(SimTask task, SimGuest g, SimNode node, SimStorage store, string mode, string compress, string? notesTemplate,
        bool protect, bool remove, Dictionary<string, int> keep, double t0, DateTimeOffset startTime)
    {
        var lines = new List<(double, string)>();
        var actions = new List<(double, Action)>();
        var running = g.IsRunning;
        var qemu = g.IsQemu;
        var effectiveMode = running ? mode : "stop";
        var (ext, ratio) = Compression(compress);
        var format = (qemu ? "vma" : "tar") + ext;
        var file = $"vzdump-{g.Type}-{g.Vmid}-{startTime.UtcDateTime.ToString("yyyy_MM_dd-HH_mm_ss", CultureInfo.InvariantCulture)}.{format}";
        var volid = $"{store.Storage}:backup/{file}";
        var root = StorageConfigs[store.Storage].Props.GetValueOrDefault("path") as string ?? $"/mnt/pve/{store.Storage}";
        var disks = DisksOf(g).Where(d => !d.Cdrom && !d.Unused && !d.CloudInit && d.Storage is not null).ToList();
        var total = Math.Max(MiB, disks.Sum(d => d.Size));
        var used = Math.Max(64 * MiB, GuestDiskUsed(g));
        var archiveSize = (long)Math.Max(4 * MiB, used * ratio * (0.9 + NextInfraDouble() * 0.2));
        var at = t0 + 0.05;
        void L(string text, double step = 0.05) { lines.Add((at, text)); at += step; }

        L($"INFO: status = {(running ? "running" : "stopped")}");
        if (qemu)
        {
            L($"INFO: VM Name: {g.Name}");
            foreach (var d in disks) L($"INFO: include disk '{d.Key}' '{d.Volid}' {FormatSize(d.Size)}");
        }
        else
        {
            L($"INFO: CT Name: {g.Name}");
            L("INFO: including mount point rootfs ('/') in backup");
        }
        L($"INFO: backup mode: {effectiveMode}");
        L("INFO: ionice priority: 7");
        var paused = false;
        var stopped = false;
        if (running && mode == "stop")
        {
            L("INFO: stopping virtual guest", 0.8);
            actions.Add((at - 0.4, () => { StopGuest(g); stopped = true; }));
        }
        else if (running && mode == "suspend")
        {
            L(qemu ? "INFO: suspend vm" : "INFO: suspending guest", 0.3);
            actions.Add((at - 0.2, () => { PauseGuest(g); paused = true; }));
        }
        if (!qemu && effectiveMode == "snapshot") L("INFO: create storage snapshot 'vzdump'");
        L($"INFO: creating vzdump archive '{root}/dump/{file}'");
        double seconds;
        if (qemu)
        {
            if (running && mode == "snapshot" && ConfigOf(g).GetValueOrDefault("agent") is { } agent && agent.Split(',')[0] is "1" or "enabled=1")
            {
                L("INFO: issuing guest-agent 'fs-freeze' command");
                L("INFO: issuing guest-agent 'fs-thaw' command");
            }
            if (!running || mode == "stop") L("INFO: starting kvm to execute backup task", 0.4);
            L($"INFO: started backup task '{RandomUuid()}'");
            if (running)
            {
                var pause = mode == "snapshot" ? null : $" after {Math.Max(1, (long)Math.Round((at - t0) * 1.5))} seconds";
                L("INFO: resuming VM again" + pause);
                if (mode == "stop") actions.Add((at, () => { if (stopped) { StartGuest(g); stopped = false; } }));
                if (mode == "suspend") actions.Add((at, () => { if (paused) { ResumeGuest(g); paused = false; } }));
            }
            // zero blocks read fast: about 300–900 MiB/s of disk, compressed output slower
            var read = (300 + NextInfraDouble() * 600) * MiB;
            seconds = Math.Clamp(total / read, 6, 900);
            var steps = (int)Math.Clamp(seconds / 4, 4, 25);
            for (var i = 1; i <= steps; i++)
            {
                var done = total * (double)i / steps;
                var elapsed = seconds * i / steps;
                var pct = (int)(100.0 * i / steps);
                var write = archiveSize * (double)i / steps / elapsed;
                lines.Add((at + elapsed, $"INFO: {pct,3}% ({HumanBytes(done)} of {HumanBytes(total)}) in {Duration(elapsed)}, read: {HumanBytes(done / elapsed)}/s, write: {HumanBytes(write)}/s"));
            }
            at += seconds + 0.1;
            var zero = Math.Max(0, total - used);
            L($"INFO: backup is sparse: {(zero / (double)GiB).ToString("0.00", CultureInfo.InvariantCulture)} GiB ({(int)(100.0 * zero / total)}%) total zero data");
            L($"INFO: transferred {(total / (double)GiB).ToString("0.00", CultureInfo.InvariantCulture)} GiB in {(long)Math.Round(seconds)} seconds ({HumanBytes(total / seconds)}/s)");
            if (!running) L("INFO: stopping kvm after backup task");
        }
        else
        {
            var rate = (120 + NextInfraDouble() * 120) * MiB;
            seconds = Math.Clamp(used / rate, 3, 600);
            at += seconds;
            L($"INFO: Total bytes written: {used} ({HumanBytes(used).Replace(" ", "", StringComparison.Ordinal)}, {(long)(used / seconds / MiB)}MiB/s)");
            if (running && mode == "stop")
            {
                L("INFO: restarting vm");
                actions.Add((at, () => { if (stopped) { StartGuest(g); stopped = false; } }));
            }
            if (running && mode == "suspend")
            {
                L("INFO: resume vm");
                actions.Add((at, () => { if (paused) { ResumeGuest(g); paused = false; } }));
            }
        }
        L($"INFO: archive file size: {VzdumpSize(archiveSize)}");
        if (notesTemplate is not null) L("INFO: adding notes to backup");
        if (protect) L("INFO: marking backup as protected");
        var pruneAt = at;
        if (remove && keep.GetValueOrDefault("keep-all") == 0 && keep.Any(k => k.Value > 0))
        {
            L($"INFO: prune older backups with retention: {KeepText(keep)}", 0.3);
        }
        if (!qemu && effectiveMode == "snapshot") L("INFO: cleanup temporary 'vzdump' snapshot");

        BackupSource? source = null;
        var volume = new SimVolume
        {
            Storage = store.Storage, Node = store.Shared ? null : store.Node, VolId = volid, Content = "backup", Format = format,
            Size = archiveSize, CTime = startTime.ToUnixTimeSeconds(), Vmid = g.Vmid, Subtype = g.Type,
            Notes = notesTemplate is null ? null : Notes(notesTemplate, g, node.Name), Protected = protect,
        };
        var end = at + 0.05;
        void Capture()
        {
            var c = new SortedDictionary<string, string>(ConfigOf(g), StringComparer.Ordinal);
            source = new BackupSource(g.Type, g.Vmid, g.Name, c, g.Parent);
        }
        void Finish()
        {
            Volumes.Add(new SimVolume
            {
                Storage = volume.Storage, Node = volume.Node, VolId = volume.VolId, Content = "backup", Format = volume.Format,
                Size = volume.Size, CTime = volume.CTime, Vmid = volume.Vmid, Subtype = volume.Subtype, Notes = volume.Notes,
                Protected = volume.Protected, Source = source,
            });
        }
        void Undo()
        {
            if (stopped) { StartGuest(g); stopped = false; }
            if (paused) { ResumeGuest(g); paused = false; }
        }
        if (remove && keep.GetValueOrDefault("keep-all") == 0 && keep.Any(k => k.Value > 0))
        {
            // prune runs after the archive is in place: the new backup counts as the newest of its group
            actions.Add((pruneAt + 0.1, () =>
            {
                Finish();
                var doomed = PruneMarks(store, keep, g.Vmid, g.Type).Where(m => m.Mark == "remove").ToList();
                var lineAt = pruneAt + 0.1;
                foreach (var m in doomed)
                {
                    InsertLine(task, lineAt += 0.01, $"INFO: removing backup '{m.Volume.VolId}'");
                    Volumes.Remove(m.Volume);
                }
                InsertLine(task, lineAt + 0.01, doomed.Count > 0 ? $"INFO: pruned {doomed.Count} backup(s) not covered by keep-retention policy" : "INFO: pruned 0 backup(s)");
            }));
            return new GuestBackupPlan(lines, actions, end, Capture, () => { }, Undo);
        }
        return new GuestBackupPlan(lines, actions, end, Capture, Finish, Undo);
    }

    // ---- extractconfig and restore -----------------------------------------------------------------------

    /// <summary>The config file inside a backup archive (GET …/vzdump/extractconfig): the guest's main section without lock,
    /// snapshots or pending changes; VMA archives end with one "#qmdump#map" line per disk.</summary>
    internal string BackupConfigText(SimVolume v)
    {
        var source = v.Source ?? throw PveError.Server($"unable to extract configuration for backup archive '{v.VolId}' - no config found");
        var sb = new StringBuilder();
        if (source.Config.TryGetValue("description", out var d))
            foreach (var line in d.Split('\n')) sb.Append('#').Append(line).Append('\n');
        foreach (var (k, val) in source.Config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (k is not ("description" or "lock")) sb.Append(k).Append(": ").Append(val).Append('\n');
        if (source.Parent is { } parent) sb.Append("parent: ").Append(parent).Append('\n');
        if (source.Type == "qemu")
        {
            var probe = new SimGuest
            {
                Vmid = source.Vmid, Type = "qemu", Node = "", Name = source.Name, Cores = 1, MaxMem = 0, MaxDisk = 0, MacAddress = "",
                SmbiosUuid = "", VmGenId = "", CreatedAt = 0, CpuBase = 0, CpuAmp = 0, MemFraction = 0, NetInRate = 0, NetOutRate = 0,
                DiskReadRate = 0, DiskWriteRate = 0, BootRead = 0, DiskUsedFraction = 0,
            };
            foreach (var disk in DisksOf(probe, source.Config).Where(x => !x.Cdrom && !x.Unused && !x.CloudInit && x.Storage is not null))
            {
                var format = Storages.FirstOrDefault(st => st.Storage == disk.Storage)?.PluginType is "dir" or "nfs" ? "qcow2" : "raw";
                sb.Append($"#qmdump#map:{disk.Key}:drive-{disk.Key}:{disk.Storage}:{format}:\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>A backup volume as a node sees it (PVE: "can't find file" when the archive is not there).</summary>
    internal SimVolume RequireBackupVolume(string node, string volid)
    {
        var v = FindVolume(volid);
        var colon = volid.IndexOf(':');
        if (colon > 0 && !StorageConfigs.ContainsKey(volid[..colon])) throw PveError.Server($"storage '{volid[..colon]}' does not exist");
        if (v is null || v.Content != "backup" || FindStorage(node, v.Storage) is not { } s || (!s.Shared && v.Node != node))
            throw PveError.Server($"can't find file '{volid}'");
        return v;
    }

    /// <summary>
    /// POST /nodes/{node}/qemu with archive (qmrestore): refuses an existing VMID without force as PVE does, otherwise the
    /// guest is (re)created from the archive's config at once with lock "create", its disks on <c>storage</c> (or where they
    /// were), and a "qmrestore" worker extracts the archive; config keys given with the call override the archive's.
    /// </summary>
    internal SimTask Restore(SimNode node, IReadOnlyDictionary<string, string> p, string user)
    {
        var vmid = int.Parse(p["vmid"], CultureInfo.InvariantCulture);
        bool Flag(string key) => p.TryGetValue(key, out var v) && ParamBool(v);
        var archive = p["archive"];
        var storage = p.GetValueOrDefault("storage");
        var vol = RequireBackupVolume(node.Name, archive);
        var emsg = $"unable to restore VM {vmid} -";
        if (storage is not null && CheckImageStorage(node.Name, storage, "qemu") is { } storageError) throw PveError.Server(storageError);
        GuestMap.TryGetValue(vmid, out var existing);
        if (existing is not null)
        {
            if (!Flag("force") || existing.Node != node.Name || !existing.IsQemu)
                throw PveError.Server($"{emsg} {existing.Kind} {vmid} already exists on node '{existing.Node}'");
            if (existing.Lock is not null) throw PveError.Server($"{emsg} {LockedMessage(existing)}");
        }
        var planned = existing switch
        {
            { Protection: true } => $"{emsg} protection mode enabled",
            { IsRunning: true } => $"{emsg} vm is running",
            _ when Flag("live-restore") => $"{emsg} live-restore is only compatible with backup images from a Proxmox Backup Server",
            _ when vol.Subtype != "qemu" || vol.Source is null => $"{emsg} got wrong archive type '{vol.Subtype}' - expected a qemu backup (vma)",
            _ => null,
        };
        if (planned is not null) return NewTask(node, "qmrestore", vmid.ToString(CultureInfo.InvariantCulture), user, 0.3, 0.6, vmid, null, planned);

        // the archive's config, disks re-allocated on the target storage, overridden by the call's config keys
        var source = vol.Source!;
        var probe = existing ?? GuestMap.Values.FirstOrDefault(g => g.IsQemu);
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in source.Config)
        {
            if (UnusedKeyRegex().IsMatch(k) || k is "lock" or "parent") continue;
            config[k] = v;
        }
        var disks = probe is null ? [] : DisksOf(probe, source.Config).Where(d => !d.Cdrom && !d.Unused && !d.CloudInit && d.Storage is not null).ToList();
        foreach (var d in disks)
        {
            var target = storage ?? d.Storage!;
            var options = config[d.Key].Split(',').Skip(1).Where(o => !o.StartsWith("size=", StringComparison.Ordinal));
            var gib = (d.Size / (double)GiB).ToString("0.##########", CultureInfo.InvariantCulture);
            config[d.Key] = string.Join(',', [$"{target}:{gib}", .. options]);
        }
        if (Flag("unique"))
            foreach (var key in config.Keys.Where(k => Regex.IsMatch(k, @"^net\d+$")).ToList())
                config[key] = Regex.Replace(config[key], "=([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", "");
        foreach (var (k, v) in p)
            if (!CreateControlParams.Contains(k)) config[k] = v;

        if (existing is not null) GuestMap.Remove(vmid);
        SimGuest g;
        try
        {
            g = CreateGuest(node.Name, vmid, "qemu", config, "create", storage);
        }
        catch (PveError e)
        {
            if (existing is not null) GuestMap[vmid] = existing;
            throw PveError.Server($"{emsg} {e.Reason}");
        }
        if (p.GetValueOrDefault("pool") is { } poolId)
        {
            if (!Pools.TryGetValue(poolId, out var pool)) { GuestMap.Remove(vmid); throw PveError.Server($"pool '{poolId}' does not exist"); }
            foreach (var other in Pools.Values) other.Vmids.Remove(vmid);
            pool.Vmids.Add(vmid);
        }
        var start = Flag("start");
        var task = NewTask(node, "qmrestore", vmid.ToString(CultureInfo.InvariantCulture), user, 0, 0, vmid, () =>
        {
            Unlock(g, "create");
            if (start) StartGuest(g);
            return null;
        });
        task.Abort = () => { GuestMap.Remove(vmid); return null; };

        var path = VolumePath(vol);
        var tmp = $"/var/tmp/vzdumptmp{task.Pid}";
        var decompress = vol.Format switch
        {
            "vma.zst" => "zstd -q -d -c ",
            "vma.gz" => "zcat ",
            "vma.lzo" => "lzop -d -c ",
            _ => null,
        };
        var at = 0.2;
        void L(string text, double step = 0.05) { Line(task, at, text); at += step; }
        L(decompress is null
            ? $"restore vma archive: vma extract -v -r {tmp}.fifo {path} {tmp}"
            : $"restore vma archive: {decompress}{path} | vma extract -v -r {tmp}.fifo - {tmp}");
        L($"CFG: size: {Encoding.UTF8.GetByteCount(BackupConfigText(vol))} name: qemu-server.conf");
        var newDisks = DisksOf(g).Where(d => !d.Cdrom && !d.Unused && !d.CloudInit && d.Storage is not null).ToList();
        for (var i = 0; i < newDisks.Count; i++) L($"DEV: dev_id={i + 1} size: {newDisks[i].Size} devname: drive-{newDisks[i].Key}");
        var ct = DateTimeOffset.FromUnixTimeSeconds(vol.CTime).UtcDateTime;
        L(string.Create(CultureInfo.InvariantCulture, $"CTIME: {ct:ddd MMM} {ct.Day,2} {ct:HH:mm:ss yyyy}"));
        foreach (var d in newDisks)
        {
            L($"new volume ID is '{d.Volid}'");
            var name = d.Volid[(d.Volid.IndexOf(':') + 1)..];
            var mapped = StorageOn(node.Name, d.Storage!)?.PluginType switch
            {
                "zfspool" => $"/dev/zvol/rpool/data/{name}",
                "lvmthin" or "lvm" => $"/dev/pve/{name}",
                _ => $"{StorageConfigs.GetValueOrDefault(d.Storage!)?.Props.GetValueOrDefault("path") ?? "/var/lib/vz"}/images/{name}",
            };
            L($"map 'drive-{d.Key}' to '{mapped}' (write zeros = 0)");
        }
        var total = Math.Max(MiB, newDisks.Sum(d => d.Size));
        var seconds = Math.Clamp(total / ((500 + NextInfraDouble() * 700) * MiB), 4, 900);
        var steps = (int)Math.Clamp(seconds / 3, 5, 100);
        for (var i = 1; i <= steps; i++)
        {
            var pct = (int)(100.0 * i / steps);
            Line(task, at + seconds * i / steps, $"progress {pct}% (read {(long)(total * (double)i / steps)} bytes, duration {(long)(seconds * i / steps)} sec)");
        }
        at += seconds + 0.1;
        var sparse = Math.Max(0, total - Math.Max(64 * MiB, (long)(total * 0.4)));
        L($"total bytes read {total}, sparse bytes {sparse} ({(int)(100.0 * sparse / total)}%)");
        L($"space reduction due to 4K zero blocks {(0.1 + NextInfraDouble() * 2).ToString("0.##", CultureInfo.InvariantCulture)}%");
        L("rescan volumes...");
        task.PlannedEnd = task.Started + TimeSpan.FromSeconds((at + 0.3) / _taskSpeed);
        return task;
    }
}
