using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Core.Backups;
using Moxxie.Core.Bulk;
using Moxxie.Core.Snapshots;

namespace Moxxie.Core.Scheduling;

/// <summary>A task type's parameters, typed. Stored and exchanged as the guide's JSON object of strings
/// (<c>{"maxSnapshots":"7","includeVMState":"false"}</c>); <see cref="Parse"/> checks them with errors keyed
/// <c>parameters.&lt;name&gt;</c>.</summary>
public abstract record JobParameters
{
    public static (JobParameters? Parameters, Dictionary<string, string> Errors) Parse(string taskType, IReadOnlyDictionary<string, string?>? raw)
    {
        var p = new Reader(raw ?? new Dictionary<string, string?>());
        JobParameters? result = taskType switch
        {
            SchedulerTaskTypes.SnapshotCreate => SnapshotCreateParameters.Read(p),
            SchedulerTaskTypes.SnapshotDelete => SnapshotDeleteParameters.Read(p),
            SchedulerTaskTypes.BackupCreate => BackupCreateParameters.Read(p),
            SchedulerTaskTypes.PowerOn => new PowerOnParameters(),
            SchedulerTaskTypes.PowerOff => PowerOffParameters.Read(p),
            _ => null,
        };
        if (result is null) p.Errors["taskType"] = $"Unknown task type '{taskType}'; use one of {string.Join(", ", SchedulerTaskTypes.All)}.";
        return p.Errors.Count > 0 ? (null, p.Errors) : (result, p.Errors);
    }

    /// <summary>The parameters back in the stored/guide shape (only known keys, normalised).</summary>
    public abstract Dictionary<string, string> ToDictionary();

    internal sealed class Reader(IReadOnlyDictionary<string, string?> raw)
    {
        public Dictionary<string, string> Errors { get; } = [];

        public string? Text(string key)
        {
            var pair = raw.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase));
            return string.IsNullOrWhiteSpace(pair.Value) ? null : pair.Value.Trim();
        }

        public bool Bool(string key, bool fallback)
        {
            var v = Text(key);
            if (v is null) return fallback;
            if (bool.TryParse(v, out var b)) return b;
            if (v is "1" or "yes") return true;
            if (v is "0" or "no") return false;
            Errors[$"parameters.{key}"] = "true or false.";
            return fallback;
        }

        public int? Int(string key, int min, int max, string? unit = null)
        {
            var v = Text(key);
            if (v is null) return null;
            if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                Errors[$"parameters.{key}"] = $"A whole number from {min} to {max}{(unit is null ? "" : " " + unit)}.";
                return null;
            }
            return n;
        }
    }
}

/// <summary>snapshot_create: one snapshot per selected VM named from <see cref="SnapshotNamePattern"/>; then, with
/// <see cref="MaxSnapshots"/>, only the newest N snapshots this job made on each VM are kept (older ones it made are
/// deleted; snapshots made by hand or by other jobs are never counted or touched).</summary>
public sealed record SnapshotCreateParameters(string SnapshotNamePattern, string? Description, int? MaxSnapshots, bool IncludeVmState, int? SnapshotTtlHours) : JobParameters
{
    public const string DefaultPattern = "auto-{vm}-{datetime}";

    internal static SnapshotCreateParameters Read(Reader p)
    {
        var pattern = p.Text("snapshotNamePattern") ?? DefaultPattern;
        if (SnapshotNames.PatternError(pattern) is { } error) p.Errors["parameters.snapshotNamePattern"] = error;
        var description = p.Text("description");
        if (SnapshotRules.DescriptionError(description) is { } d) p.Errors["parameters.description"] = d;
        var max = p.Int("maxSnapshots", 1, 100);
        var ttl = p.Int("snapshotTTL", 1, SnapshotRules.MaxTtlHours, "hours");
        return new SnapshotCreateParameters(pattern, description, max, p.Bool("includeVMState", false), ttl);
    }

    public override Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string> { ["snapshotNamePattern"] = SnapshotNamePattern, ["includeVMState"] = Bools.Text(IncludeVmState) };
        if (Description is not null) d["description"] = Description;
        if (MaxSnapshots is { } m) d["maxSnapshots"] = m.ToString(CultureInfo.InvariantCulture);
        if (SnapshotTtlHours is { } t) d["snapshotTTL"] = t.ToString(CultureInfo.InvariantCulture);
        return d;
    }
}

/// <summary>snapshot_delete: deletes snapshots of the selected VMs older than <see cref="AgeThresholdHours"/> whose name
/// matches <see cref="NamePattern"/> (glob). <see cref="CheckDescription"/>: a snapshot whose description carries the
/// " (TTL: Nh)" marker is deleted when its TTL has passed, whatever the threshold. <see cref="SafeMode"/>: only
/// snapshots Moxxie made (audited SNAPSHOT_CREATE) are considered. <see cref="DryRun"/>: report, delete nothing.</summary>
public sealed record SnapshotDeleteParameters(int? AgeThresholdHours, string NamePattern, bool CheckDescription, bool SafeMode, bool DryRun) : JobParameters
{
    internal static SnapshotDeleteParameters Read(Reader p)
    {
        var age = p.Int("ageThresholdHours", 1, 87600, "hours");
        var check = p.Bool("checkDescription", false);
        if (age is null && !check && !p.Errors.ContainsKey("parameters.ageThresholdHours"))
            p.Errors["parameters.ageThresholdHours"] = "Give an age threshold in hours, or turn on checkDescription to honour TTL markers.";
        return new SnapshotDeleteParameters(age, p.Text("namePattern") ?? "*", check, p.Bool("safeMode", true), p.Bool("dryRun", false));
    }

    public override Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string>
        {
            ["namePattern"] = NamePattern, ["checkDescription"] = Bools.Text(CheckDescription),
            ["safeMode"] = Bools.Text(SafeMode), ["dryRun"] = Bools.Text(DryRun),
        };
        if (AgeThresholdHours is { } a) d["ageThresholdHours"] = a.ToString(CultureInfo.InvariantCulture);
        return d;
    }

    /// <summary>The bulk "delete snapshots" a run submits; which snapshots go is <see cref="Moxxie.Core.Snapshots.SnapshotSelection"/>'s
    /// decision on <see cref="BulkSnapshotDeleteParameters.ToCriteria"/>.</summary>
    public BulkSnapshotDeleteParameters ToBulkParameters() =>
        new(Pattern: NamePattern, AgeThresholdHours: AgeThresholdHours, CheckDescription: CheckDescription, SafeMode: SafeMode);
}

/// <summary>backup_create: vzdump of each selected VM to <see cref="Storage"/>.</summary>
public sealed record BackupCreateParameters(string Storage, string Mode, string Compression, string? Notes, bool Protected) : JobParameters
{
    internal static BackupCreateParameters Read(Reader p)
    {
        var storage = p.Text("storage");
        if (storage is null) p.Errors["parameters.storage"] = "Choose the backup storage.";
        var mode = p.Text("mode") ?? "snapshot";
        if (BackupRules.ModeError(mode) is { } m) p.Errors["parameters.mode"] = m;
        var compress = p.Text("compression") ?? p.Text("compress") ?? "zstd";
        if (BackupRules.CompressError(compress) is { } c) p.Errors["parameters.compression"] = c;
        var notes = p.Text("notes");
        if (BackupRules.NotesError(notes) is { } n) p.Errors["parameters.notes"] = n;
        return new BackupCreateParameters(storage ?? "", mode, compress, notes, p.Bool("protected", false));
    }

    public override Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string> { ["storage"] = Storage, ["mode"] = Mode, ["compression"] = Compression, ["protected"] = Bools.Text(Protected) };
        if (Notes is not null) d["notes"] = Notes;
        return d;
    }
}

public sealed record PowerOnParameters : JobParameters
{
    public override Dictionary<string, string> ToDictionary() => [];
}

/// <summary>power_off: <c>shutdown</c> (ACPI, PVE's timeout then it gives up) or <c>stop</c> (hard).</summary>
public sealed record PowerOffParameters(string Mode, int? TimeoutSeconds) : JobParameters
{
    internal static PowerOffParameters Read(Reader p)
    {
        var mode = (p.Text("mode") ?? "shutdown").ToLowerInvariant();
        if (mode is not ("shutdown" or "stop")) p.Errors["parameters.mode"] = "shutdown or stop.";
        return new PowerOffParameters(mode, p.Int("timeout", 1, 3600, "seconds"));
    }

    public override Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string> { ["mode"] = Mode };
        if (TimeoutSeconds is { } t) d["timeout"] = t.ToString(CultureInfo.InvariantCulture);
        return d;
    }
}

internal static class Bools
{
    public static string Text(bool b) => b ? "true" : "false";
}

/// <summary>Snapshot names from a job's pattern: <c>{vm}</c> (the VM's name, characters PVE refuses in a snapshot name
/// replaced by '-'), <c>{vmid}</c>, <c>{date}</c> (yyyyMMdd), <c>{time}</c> (HHmmss), <c>{datetime}</c> (yyyyMMdd-HHmmss),
/// in the job's time zone at the fire time; cut to PVE's 40 characters.</summary>
public static partial class SnapshotNames
{
    [GeneratedRegex(@"\{(vm|vmid|date|time|datetime)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[^a-zA-Z0-9_-]", RegexOptions.CultureInvariant)]
    private static partial Regex Invalid();

    public static string Render(string pattern, string vmName, int vmId, DateTimeOffset localTime)
    {
        var name = Placeholder().Replace(pattern, m => m.Groups[1].Value switch
        {
            "vm" => Invalid().Replace(vmName, "-"),
            "vmid" => vmId.ToString(CultureInfo.InvariantCulture),
            "date" => localTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "time" => localTime.ToString("HHmmss", CultureInfo.InvariantCulture),
            _ => localTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
        });
        name = Invalid().Replace(name, "-");
        return name.Length > SnapshotRules.MaxNameLength ? name[..SnapshotRules.MaxNameLength].TrimEnd('-') : name;
    }

    public static string? PatternError(string pattern)
    {
        if (pattern.Contains('{') && Placeholder().Replace(pattern, "").Contains('{'))
            return "Unknown placeholder; use {vm}, {vmid}, {date}, {time} or {datetime}.";
        if (!pattern.Contains("{date", StringComparison.Ordinal) && !pattern.Contains("{time}", StringComparison.Ordinal))
            return "Include {date}, {time} or {datetime} so each run makes a new name.";
        var sample = Render(pattern, "vm", 100, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return SnapshotRules.NameError(sample) is { } e ? $"'{sample}' would be refused: {e}" : null;
    }

}
