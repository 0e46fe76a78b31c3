using System.Globalization;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Scheduling;

/// <summary>
/// The create/edit form's model: every task type's parameters as typed fields (kept while the task type is switched),
/// the selectors as editable rows. <see cref="ToInput"/> sends only the chosen task type's parameters in the guide's
/// string shape; <see cref="From"/> reads a stored job back. ScheduledJobService decides what is valid; errors come back
/// keyed as the API's (name, cronExpression, parameters.x, vmSelectors[i].value), which the form shows per field.
/// </summary>
public sealed class ScheduledJobDraft
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string TaskType { get; set; } = SchedulerTaskTypes.SnapshotCreate;
    public string CronExpression { get; set; } = CronPreset.Default.ToExpression()!;
    public string TimeZone { get; set; } = "UTC";
    public bool Enabled { get; set; } = true;

    // snapshot_create
    public string SnapshotNamePattern { get; set; } = SnapshotCreateParameters.DefaultPattern;
    public string? SnapshotDescription { get; set; }
    public int? MaxSnapshots { get; set; }
    public bool IncludeVmState { get; set; }
    public int? SnapshotTtlHours { get; set; }

    // snapshot_delete
    public int? AgeThresholdHours { get; set; } = 168;
    public string DeleteNamePattern { get; set; } = "auto-*";
    public bool CheckDescription { get; set; } = true;
    public bool SafeMode { get; set; } = true;
    public bool DryRun { get; set; }

    // backup_create
    public string? Storage { get; set; }
    public string BackupMode { get; set; } = "snapshot";
    public string Compression { get; set; } = "zstd";
    public string? Notes { get; set; }
    public bool Protected { get; set; }

    // power_off
    public string PowerOffMode { get; set; } = "shutdown";
    public int? TimeoutSeconds { get; set; }

    public List<SelectorDraft> Selectors { get; } = [new(JobSelector.TagExpression, "")];

    /// <summary>The job input for ScheduledJobService.CreateAsync / UpdateAsync.</summary>
    public ScheduledJobInput ToInput() =>
        new(Name, Description, TaskType, CronExpression, TimeZone, Enabled, Parameters(), SelectorList());

    /// <summary>The selectors as the service takes them (for the preview, too).</summary>
    public IReadOnlyList<JobSelector> SelectorList() =>
        [.. Selectors.Select(s => new JobSelector(s.Type, s.Type == JobSelector.All ? null : s.Value))];

    /// <summary>The chosen task type's parameters only, in the guide's shape (strings; empty numbers left out).</summary>
    public Dictionary<string, string?> Parameters()
    {
        var p = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (TaskType)
        {
            case SchedulerTaskTypes.SnapshotCreate:
                p["snapshotNamePattern"] = SnapshotNamePattern;
                p["description"] = SnapshotDescription;
                p["maxSnapshots"] = Text(MaxSnapshots);
                p["includeVMState"] = Text(IncludeVmState);
                p["snapshotTTL"] = Text(SnapshotTtlHours);
                break;
            case SchedulerTaskTypes.SnapshotDelete:
                p["ageThresholdHours"] = Text(AgeThresholdHours);
                p["namePattern"] = DeleteNamePattern;
                p["checkDescription"] = Text(CheckDescription);
                p["safeMode"] = Text(SafeMode);
                p["dryRun"] = Text(DryRun);
                break;
            case SchedulerTaskTypes.BackupCreate:
                p["storage"] = Storage;
                p["mode"] = BackupMode;
                p["compression"] = Compression;
                p["notes"] = Notes;
                p["protected"] = Text(Protected);
                break;
            case SchedulerTaskTypes.PowerOff:
                p["mode"] = PowerOffMode;
                p["timeout"] = Text(TimeoutSeconds);
                break;
        }
        foreach (var key in p.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key).ToList()) p.Remove(key);
        return p;
    }

    /// <summary>A stored job as a draft (its task type's fields filled, the others at their defaults).</summary>
    public static ScheduledJobDraft From(ScheduledJobView job)
    {
        var d = new ScheduledJobDraft
        {
            Name = job.Name,
            Description = job.Description,
            TaskType = job.TaskType,
            CronExpression = job.CronExpression,
            TimeZone = job.TimeZone,
            Enabled = job.Enabled,
        };
        var p = job.Parameters;
        string? S(string key) => p.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } v ? v : null;
        int? I(string key) => int.TryParse(S(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
        bool B(string key, bool fallback) => bool.TryParse(S(key), out var b) ? b : fallback;
        switch (job.TaskType)
        {
            case SchedulerTaskTypes.SnapshotCreate:
                d.SnapshotNamePattern = S("snapshotNamePattern") ?? d.SnapshotNamePattern;
                d.SnapshotDescription = S("description");
                d.MaxSnapshots = I("maxSnapshots");
                d.IncludeVmState = B("includeVMState", false);
                d.SnapshotTtlHours = I("snapshotTTL");
                break;
            case SchedulerTaskTypes.SnapshotDelete:
                d.AgeThresholdHours = I("ageThresholdHours");
                d.DeleteNamePattern = S("namePattern") ?? "*";
                d.CheckDescription = B("checkDescription", false);
                d.SafeMode = B("safeMode", true);
                d.DryRun = B("dryRun", false);
                break;
            case SchedulerTaskTypes.BackupCreate:
                d.Storage = S("storage");
                d.BackupMode = S("mode") ?? d.BackupMode;
                d.Compression = S("compression") ?? d.Compression;
                d.Notes = S("notes");
                d.Protected = B("protected", false);
                break;
            case SchedulerTaskTypes.PowerOff:
                d.PowerOffMode = S("mode") ?? d.PowerOffMode;
                d.TimeoutSeconds = I("timeout");
                break;
        }
        d.Selectors.Clear();
        d.Selectors.AddRange(job.VmSelectors.Select(s => new SelectorDraft(s.Type, s.Value ?? "")));
        return d;
    }

    private static string? Text(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    private static string Text(bool b) => b ? "true" : "false";
}

/// <summary>One editable selector row of the form.</summary>
public sealed class SelectorDraft(string type, string value)
{
    public string Type { get; set; } = type;
    public string Value { get; set; } = value;

    /// <summary>The comma-separated names of a NODE/POOL value.</summary>
    public IReadOnlyList<string> Names => [.. Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Adds or removes <paramref name="name"/> in a NODE/POOL value, keeping the others in order.</summary>
    public void Toggle(string name, bool on)
    {
        var names = Names.Where(n => !string.Equals(n, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (on) names.Add(name);
        Value = string.Join(",", names);
    }
}

/// <summary>What the selector pickers offer from the inventory: nodes, pools and tags in use.</summary>
public sealed record SelectorChoices(IReadOnlyList<string> Nodes, IReadOnlyList<string> Pools, IReadOnlyList<string> Tags)
{
    /// <summary>From the loaded connections' /cluster/resources: nodes (node entries and guests' nodes), pools (pool entries,
    /// so an empty pool is offered too, and guests' pool fields), tags in use (lower case); templates count, so a pool or node
    /// holding only templates still shows. Names are case-insensitively distinct, in ordinal order.</summary>
    public static SelectorChoices From(IEnumerable<ClusterResources> connections)
    {
        var all = connections.ToList();
        var guests = all.SelectMany(r => r.Guests).ToList();
        static List<string> Names(IEnumerable<string?> names) =>
            [.. names.OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
        return new SelectorChoices(
            Names(all.SelectMany(r => r.Nodes.Select(n => n.Node)).Concat(guests.Select(g => g.Node))),
            Names(all.SelectMany(r => r.Pools.Select(p => p.Pool)).Concat(guests.Select(g => g.Pool))),
            [.. guests.SelectMany(g => g.Tags).Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }
}
