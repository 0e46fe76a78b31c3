using System.Globalization;
using Moxxie.Core.Backups;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Tags;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>How the wizard picks its VMs: the list's ticked VMs, a tag expression, a name pattern, a node, every VM, or
/// every VM matching the list's filters (a combination the engine has no single selector for: resolved to VMIDs at plan time).</summary>
public enum BulkTargetMode { Checked, TagExpression, NamePattern, Node, All, ListFilter }

/// <summary>The bulk wizard's form: what the user chose, its field checks (messages under the fields before anything is
/// sent; the engine checks again and its refusals land on the same fields), and the <see cref="BulkRequest"/> it makes.
/// Field names are the API's (options.perNodeLimit …) so the engine's <c>VALIDATION_ERROR</c> details map onto them.</summary>
public sealed class BulkWizardForm
{
    public const int MaxLimit = 1000;
    public const int MaxTimeoutSeconds = 86_400;
    public const string DefaultSnapshotPattern = "bulk-{datetime}";

    public string? Operation { get; set; }

    // selection
    public BulkTargetMode Mode { get; set; } = BulkTargetMode.All;
    public IReadOnlyList<VmRef> Checked { get; set; } = [];
    public string? TagExpression { get; set; }
    public string? NamePattern { get; set; }
    public string? Node { get; set; }
    /// <summary>The list's filters for <see cref="BulkTargetMode.ListFilter"/>.</summary>
    public VmFilter? ListFilter { get; set; }

    // execution
    public bool Parallel { get; set; } = true;
    public int? MaxParallel { get; set; } = BulkOptions.DefaultMaxParallel;
    public int? PerNodeLimit { get; set; } = BulkOptions.DefaultPerNodeLimit;
    public int? TimeoutSeconds { get; set; }
    public bool Force { get; set; }
    public bool SnapshotBefore { get; set; }
    public int? SnapshotBeforeTtlHours { get; set; } = 24;
    public bool DryRun { get; set; } = true;

    // snapshot
    public string SnapshotName { get; set; } = DefaultSnapshotPattern;
    public string? Description { get; set; }
    public int? TtlHours { get; set; }
    public bool IncludeVmState { get; set; }

    // delete snapshots
    public string? SnapshotPattern { get; set; }
    public string? SnapshotNamesText { get; set; }
    public int? AgeThresholdHours { get; set; }
    public bool CheckDescription { get; set; }
    public bool SafeMode { get; set; } = true;
    public int? KeepNewest { get; set; }

    public IReadOnlyList<string> SnapshotNames => (SnapshotNamesText ?? "")
        .Split([',', ';', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Distinct(StringComparer.Ordinal).ToArray();

    // backup
    public string? Storage { get; set; }
    public string BackupMode { get; set; } = "snapshot";
    public string Compress { get; set; } = "zstd";
    public string? Notes { get; set; }
    public bool Protected { get; set; }

    // tags
    public bool TagAdd { get; set; } = true;
    public string? TagsText { get; set; }

    public bool IsPower => BulkOperationKinds.IsPower(Operation);

    /// <summary>Stop, shutdown and reboot take PVE's timeout (and force for stop/shutdown).</summary>
    public bool HasTimeout => Operation is BulkOperationKinds.Stop or BulkOperationKinds.Shutdown or BulkOperationKinds.Reboot;

    public bool HasForce => Operation is BulkOperationKinds.Stop or BulkOperationKinds.Shutdown;

    /// <summary>A TTL snapshot of each VM before it is interrupted.</summary>
    public bool CanSnapshotBefore => Operation is BulkOperationKinds.Stop or BulkOperationKinds.Shutdown or BulkOperationKinds.Reboot;

    public IReadOnlyList<string> Tags => (TagsText ?? "")
        .Split([',', ';', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Per-field messages for the operation and selection (step "Targets").</summary>
    public Dictionary<string, string> ValidateTargets()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!BulkOperationKinds.IsKnown(Operation)) errors["operation"] = "Choose an operation.";
        switch (Mode)
        {
            case BulkTargetMode.Checked when Checked.Count == 0:
                errors["vmIds"] = "No VM is ticked: tick VMs in the list or choose another way to select them.";
                break;
            case BulkTargetMode.TagExpression:
                if (string.IsNullOrWhiteSpace(TagExpression)) errors["tagExpression"] = "Enter a tag expression, e.g. env-prod AND NOT always-on.";
                else
                {
                    try
                    {
                        new VmFilter(TagExpression: TagExpression).CompileTagExpression();
                    }
                    catch (Core.Validation.ValidationException ex)
                    {
                        errors["tagExpression"] = ex.Errors.GetValueOrDefault("tagExpression") ?? ex.Message;
                    }
                }
                break;
            case BulkTargetMode.NamePattern when string.IsNullOrWhiteSpace(NamePattern):
                errors["namePattern"] = "Enter a name pattern, e.g. web-* (* any characters, ? one).";
                break;
            case BulkTargetMode.Node when string.IsNullOrWhiteSpace(Node):
                errors["node"] = "Choose a node.";
                break;
        }
        return errors;
    }

    /// <summary>Per-field messages for the parameters (step "Options"); <paramref name="sampleVm"/> renders the snapshot
    /// name pattern for one VM to check it against PVE's rules.</summary>
    public Dictionary<string, string> ValidateOptions(string? sampleVm = null, int sampleVmId = 100, DateTimeOffset? now = null)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Parallel)
        {
            if (MaxParallel is not (>= 1 and <= MaxLimit)) errors["maxParallel"] = $"Between 1 and {MaxLimit}.";
            if (PerNodeLimit is not (>= 1 and <= MaxLimit)) errors["perNodeLimit"] = $"Between 1 and {MaxLimit}.";
        }
        if (HasTimeout && TimeoutSeconds is { } t && t is < 1 or > MaxTimeoutSeconds)
            errors["timeout"] = $"Between 1 and {MaxTimeoutSeconds} seconds, or empty for PVE's default.";
        if (CanSnapshotBefore && SnapshotBefore && SnapshotRules.TtlError(SnapshotBeforeTtlHours ?? 0) is { } beforeTtl)
            errors["snapshotBeforeTtlHours"] = beforeTtl;

        switch (Operation)
        {
            case BulkOperationKinds.Snapshot:
                if (string.IsNullOrWhiteSpace(SnapshotName)) errors["snapshotName"] = "A name pattern is required.";
                else if (SnapshotNamePattern.UnknownPlaceholder(SnapshotName) is { } unknown)
                    errors["snapshotName"] = $"Unknown placeholder {unknown}: use {{vm}}, {{vmid}}, {{date}}, {{time}} or {{datetime}}.";
                else if (SnapshotRules.NameError(SnapshotNamePattern.Render(SnapshotName, sampleVm ?? "vm", sampleVmId, now ?? DateTimeOffset.UtcNow)) is { } nameError)
                    errors["snapshotName"] = $"{nameError} (for {sampleVm ?? "a VM"})";
                if (SnapshotRules.TtlError(TtlHours) is { } ttl) errors["ttlHours"] = ttl;
                if (SnapshotRules.DescriptionError(Description) is { } description) errors["description"] = description;
                break;
            case BulkOperationKinds.DeleteSnapshots:
                var names = SnapshotNames;
                if (names.Count == 0 && string.IsNullOrWhiteSpace(SnapshotPattern) && AgeThresholdHours is null && !CheckDescription && KeepNewest is null)
                    errors["snapshotDelete"] = "Say which snapshots: names, a name pattern, an age, the TTL marker or how many newest to keep.";
                if (names.FirstOrDefault(n => string.Equals(n, "current", StringComparison.OrdinalIgnoreCase)) is not null)
                    errors["snapshotNames"] = "\"current\" is the VM's present state, not a snapshot: it is never deleted.";
                else if (names.Select(n => SnapshotRules.NameError(n)).FirstOrDefault(e => e is not null) is { } snapError)
                    errors["snapshotNames"] = snapError;
                if (AgeThresholdHours is < 1 or > 87_600) errors["ageThresholdHours"] = "Between 1 and 87600 hours, or empty.";
                if (KeepNewest is < 0 or > 1000) errors["keepNewest"] = "Between 0 and 1000, or empty.";
                break;
            case BulkOperationKinds.Backup:
                if (string.IsNullOrWhiteSpace(Storage)) errors["storage"] = "Choose a backup storage.";
                if (BackupRules.ModeError(BackupMode) is { } mode) errors["mode"] = mode;
                if (BackupRules.CompressError(Compress) is { } compress) errors["compress"] = compress;
                if (Notes is { Length: > BackupRules.MaxNotesTemplate }) errors["notes"] = $"At most {BackupRules.MaxNotesTemplate} characters.";
                break;
            case BulkOperationKinds.Tags:
                var tags = Tags;
                if (tags.Count == 0) errors["tags"] = TagAdd ? "Enter the tags to add." : "Enter the tags to remove.";
                else if (tags.Select(TagOperationsService.TagError).FirstOrDefault(e => e is not null) is { } tagError)
                    errors["tags"] = tagError;
                break;
        }
        return errors;
    }

    /// <summary>The engine's request. <paramref name="resolvedIds"/> (and their connection) stand in for a
    /// <see cref="BulkTargetMode.ListFilter"/> selection, resolved by the page when it plans.</summary>
    public BulkRequest ToRequest(IReadOnlyList<VmRef>? resolvedIds = null)
    {
        var selection = Mode switch
        {
            BulkTargetMode.Checked => Ids(Checked),
            BulkTargetMode.ListFilter => Ids(resolvedIds ?? []),
            BulkTargetMode.TagExpression => new BulkSelection(TagExpression: TagExpression?.Trim()),
            BulkTargetMode.NamePattern => new BulkSelection(NamePattern: NamePattern?.Trim()),
            BulkTargetMode.Node => new BulkSelection(Node: Node),
            _ => new BulkSelection(All: true),
        };
        var options = new BulkOptions
        {
            Parallel = Parallel,
            MaxParallel = Parallel ? MaxParallel ?? BulkOptions.DefaultMaxParallel : 1,
            PerNodeLimit = Parallel ? PerNodeLimit ?? BulkOptions.DefaultPerNodeLimit : 1,
            TimeoutSeconds = HasTimeout ? TimeoutSeconds : null,
            Force = HasForce && Force,
            SnapshotBeforeTtlHours = CanSnapshotBefore && SnapshotBefore ? SnapshotBeforeTtlHours : null,
        };
        var request = new BulkRequest { Kind = Kind, Selection = selection, Options = options, Source = "ui" };
        return Operation switch
        {
            BulkOperationKinds.Snapshot => request with
            {
                Snapshot = new BulkSnapshotParameters(SnapshotName.Trim(), Clean(Description), TtlHours, IncludeVmState),
            },
            BulkOperationKinds.DeleteSnapshots => request with
            {
                SnapshotDelete = new BulkSnapshotDeleteParameters(SnapshotNames.Count == 0 ? null : SnapshotNames, Clean(SnapshotPattern), AgeThresholdHours,
                    CheckDescription, SafeMode, KeepNewest),
            },
            BulkOperationKinds.Backup => request with { Backup = new BulkBackupParameters(Storage, BackupMode, Compress, Clean(Notes), Protected) },
            BulkOperationKinds.Tags => request with { Tags = new BulkTagParameters(Tags), TagAdd = TagAdd },
            _ when IsPower => request with { PowerAction = Power(Operation) },
            _ => request,
        };
    }

    /// <summary>The engine's kind for the chosen operation.</summary>
    public string Kind => Operation switch
    {
        BulkOperationKinds.Snapshot => BulkKinds.Snapshot,
        BulkOperationKinds.Backup => BulkKinds.Backup,
        BulkOperationKinds.Tags => BulkKinds.Tags,
        BulkOperationKinds.Delete => BulkKinds.Delete,
        BulkOperationKinds.DeleteSnapshots => BulkKinds.SnapshotDelete,
        _ => BulkKinds.Power,
    };

    /// <summary>What a delete confirmation must say: the number of VMs, or the word "delete".</summary>
    public static bool DeleteConfirmed(string? typed, int count) =>
        typed?.Trim() is { } t && (t == count.ToString(CultureInfo.InvariantCulture) || string.Equals(t, "delete", StringComparison.OrdinalIgnoreCase));

    public static PowerAction Power(string? operation) => operation switch
    {
        BulkOperationKinds.Start => PowerAction.Start,
        BulkOperationKinds.Stop => PowerAction.Stop,
        BulkOperationKinds.Shutdown => PowerAction.Shutdown,
        BulkOperationKinds.Reboot => PowerAction.Reboot,
        BulkOperationKinds.Suspend => PowerAction.Suspend,
        BulkOperationKinds.Resume => PowerAction.Resume,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a power operation"),
    };

    /// <summary>VMIDs of one connection (the engine's selection names one); VMs of several connections are refused by
    /// <see cref="ConnectionError"/> first.</summary>
    private static BulkSelection Ids(IReadOnlyList<VmRef> refs) =>
        new(VmIds: [.. refs.Select(r => r.VmId).Distinct()], Connection: refs.Select(r => r.Connection).Distinct().SingleOrDefault());

    /// <summary>Why ticked VMs cannot go in one operation: they belong to several connections.</summary>
    public static string? ConnectionError(IReadOnlyList<VmRef> refs) =>
        refs.Select(r => r.Connection ?? "").Distinct(StringComparer.Ordinal).Count() > 1
            ? "The VMs belong to several Proxmox connections: one bulk operation acts on one connection. Narrow the selection."
            : null;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
