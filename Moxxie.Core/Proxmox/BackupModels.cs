namespace Moxxie.Core.Proxmox;

/// <summary>A retention policy (PVE's <c>prune-backups</c> property string: keep-last=3,keep-daily=7,…).</summary>
public sealed record RetentionPolicy(int? KeepLast = null, int? KeepHourly = null, int? KeepDaily = null, int? KeepWeekly = null,
    int? KeepMonthly = null, int? KeepYearly = null, bool KeepAll = false)
{
    public static RetentionPolicy? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var p = PropertyString.Parse(value);
        return new RetentionPolicy(p.Int("keep-last"), p.Int("keep-hourly"), p.Int("keep-daily"), p.Int("keep-weekly"), p.Int("keep-monthly"),
            p.Int("keep-yearly"), p.Bool("keep-all") ?? false);
    }

    /// <summary>PVE's property-string form (only the set keys); "keep-all=1" when <see cref="KeepAll"/>.</summary>
    public override string ToString()
    {
        if (KeepAll) return "keep-all=1";
        var parts = new List<string>();
        void Add(string key, int? v) { if (v is { } n) parts.Add(FormattableString.Invariant($"{key}={n}")); }
        Add("keep-last", KeepLast);
        Add("keep-hourly", KeepHourly);
        Add("keep-daily", KeepDaily);
        Add("keep-weekly", KeepWeekly);
        Add("keep-monthly", KeepMonthly);
        Add("keep-yearly", KeepYearly);
        return string.Join(',', parts);
    }
}

/// <summary>POST /nodes/{node}/vzdump for one or more guests.</summary>
public sealed record VzdumpRequest(IReadOnlyList<int> VmIds)
{
    public string? Storage { get; init; }
    /// <summary>snapshot | suspend | stop.</summary>
    public string? Mode { get; init; }
    /// <summary>0 | 1 | gzip | lzo | zstd.</summary>
    public string? Compress { get; init; }
    public string? NotesTemplate { get; init; }
    public bool? Protected { get; init; }
    public bool? Remove { get; init; }
    public long? BandwidthLimitKiB { get; init; }
}

/// <summary>One line of a prune dry-run (GET …/prunebackups): what the policy keeps or removes.</summary>
public sealed record PruneEntry(string VolId, int? VmId, string Type, DateTimeOffset? Created, string Mark)
{
    public bool Removed => Mark == "remove";
}

/// <summary>Selection of a prune (storage policy when <see cref="Policy"/> is null).</summary>
public sealed record PruneRequest(RetentionPolicy? Policy = null, int? VmId = null, GuestType? Type = null);

/// <summary>A scheduled backup job (GET /cluster/backup). <see cref="Properties"/> holds every key PVE sent.</summary>
public sealed record BackupJob(
    string Id,
    bool Enabled,
    string? Schedule,
    string? Storage,
    string? VmIds,
    bool All,
    string? Mode,
    string? Compress,
    string? Node,
    string? Pool,
    string? Comment,
    string? NotesTemplate,
    string? MailNotification,
    DateTimeOffset? NextRun,
    RetentionPolicy? Retention,
    IReadOnlyDictionary<string, string> Properties);

/// <summary>Create/update of a backup job (POST /cluster/backup, PUT /cluster/backup/{id}). Null = not sent.</summary>
public sealed record BackupJobSpec
{
    public string? Id { get; init; }
    public string? Schedule { get; init; }
    public string? Storage { get; init; }
    public IReadOnlyList<int>? VmIds { get; init; }
    public bool? All { get; init; }
    public bool? Enabled { get; init; }
    public string? Mode { get; init; }
    public string? Compress { get; init; }
    public string? Node { get; init; }
    public string? Pool { get; init; }
    public string? Comment { get; init; }
    public string? NotesTemplate { get; init; }
    public string? MailNotification { get; init; }
    public RetentionPolicy? Retention { get; init; }
    public IReadOnlyList<string> Delete { get; init; } = [];
}
