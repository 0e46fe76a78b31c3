using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Tags;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Bulk;

/// <summary>Plans, queues, lists, aborts and retries bulk operations (see <see cref="IBulkOperationService"/>). The VMs come
/// from the inventory; a plan reads each VM's snapshots (snapshot) or protection (delete) from PVE. Queuing commits the
/// operation and all its task rows in one transaction and writes one audit row with the plan; the worker does the rest.</summary>
public sealed class BulkOperationService(
    VmService vms,
    IProxmoxConnections connections,
    IMoxxieDbFactory dbs,
    IAuditLog audit,
    BulkProgressFeed feed,
    BulkWorkSignal signal,
    IBulkStore store,
    TimeProvider time,
    ILogger<BulkOperationService>? logger = null) : IBulkOperationService
{
    /// <summary>How many VMs a plan reads from PVE at once.</summary>
    public const int PlanParallelism = 8;
    public const int MaxTargets = 10_000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ILogger _logger = logger ?? NullLogger<BulkOperationService>.Instance;
    private readonly SnapshotOrigins _origins = new(dbs);

    public async Task<BulkPlan> PlanAsync(Actor actor, BulkRequest request, CancellationToken ct)
    {
        var (op, entries, plan) = await BuildAsync(actor, request, BulkStatus.Planned, ct);
        await using (var db = await dbs.CreateAsync(ct))
        {
            db.BulkOperations.Add(op);
            await db.SaveChangesAsync(ct);
        }
        return plan;
    }

    public async Task<BulkSubmitResult> SubmitAsync(Actor actor, BulkRequest request, CancellationToken ct)
    {
        var (op, entries, plan) = await BuildAsync(actor, request, BulkStatus.Queued, ct);
        return await QueueAsync(actor, op, entries, plan.Warnings, isNew: true, ct);
    }

    public async Task<BulkSubmitResult> ExecutePlanAsync(Actor actor, string planId, CancellationToken ct)
    {
        RequireOperator(actor);
        await using var db = await dbs.CreateAsync(ct);
        var op = await db.BulkOperations.FirstOrDefaultAsync(o => o.Id == planId, ct)
                 ?? throw new KeyNotFoundException($"Plan {planId} not found.");
        if (op.Status != BulkStatus.Planned)
            throw ValidationException.For("planId", $"Plan {planId} was already executed (operation status {op.Status}).");
        var entries = JsonSerializer.Deserialize<List<BulkPlanEntry>>(op.PlanJson, Json) ?? [];
        return await QueueAsync(actor, op, entries, [], isNew: false, ct);
    }

    public async Task<BulkOperationView?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var op = await db.BulkOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (op is null) return null;
        var tasks = await db.BulkTasks.AsNoTracking().Where(t => t.OperationId == id).OrderBy(t => t.Seq).ToListAsync(ct);
        var plan = JsonSerializer.Deserialize<List<BulkPlanEntry>>(op.PlanJson, Json) ?? [];
        return View(op, tasks, plan);
    }

    public async Task<BulkOperationPage> ListAsync(BulkListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, 500);
        await using var db = await dbs.CreateAsync(ct);
        IQueryable<BulkOperation> q = db.BulkOperations.AsNoTracking();
        if (!query.IncludePlanned) q = q.Where(o => o.Status != BulkStatus.Planned);
        if (!string.IsNullOrWhiteSpace(query.Kind)) q = q.Where(o => o.Kind == query.Kind);
        if (query.Statuses is { Count: > 0 } statuses) q = q.Where(o => statuses.Contains(o.Status));
        if (!string.IsNullOrWhiteSpace(query.RequestedBy)) q = q.Where(o => o.RequestedBy == query.RequestedBy);
        if (!string.IsNullOrWhiteSpace(query.SourcePrefix)) q = q.Where(o => o.Source.StartsWith(query.SourcePrefix));
        var total = await q.CountAsync(ct);
        var ops = await q.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var ids = ops.Select(o => o.Id).ToList();
        var counts = (await db.BulkTasks.AsNoTracking().Where(t => ids.Contains(t.OperationId))
                .GroupBy(t => new { t.OperationId, t.Status }).Select(g => new { g.Key.OperationId, g.Key.Status, Count = g.Count() }).ToListAsync(ct))
            .GroupBy(x => x.OperationId)
            .ToDictionary(g => g.Key, g => CountsOf(g.Select(x => (x.Status, x.Count))));
        return new BulkOperationPage([.. ops.Select(o => View(o, null, null) with { Counts = counts.GetValueOrDefault(o.Id) ?? BulkCounts.Empty })], total, page, size);
    }

    public async Task<BulkOperationView> AbortAsync(Actor actor, string id, bool stopRunningTasks, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        RequireOperator(actor);
        List<BulkTask> running;
        // The operation's status is a concurrency token and the worker moves it (queued → running → …) at any moment: when
        // the abort flag loses that race, read the operation again and set the flag on its new state.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateAsync(ct);
            var op = await db.BulkOperations.FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new KeyNotFoundException($"Bulk operation {id} not found.");
            if (op.Status == BulkStatus.Planned) throw ValidationException.For("operationId", $"{id} is a plan that was never executed; nothing to abort.");
            if (!BulkStatus.IsFinal(op.Status) && op.AbortRequestedAt is null)
            {
                op.AbortRequestedAt = time.GetUtcNow();
                op.AbortRequestedBy = actor.UserName;
                op.AbortStopsRunning = stopRunningTasks;
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException) when (attempt < 5)
                {
                    continue;
                }
            }
            running = await db.BulkTasks.AsNoTracking().Where(t => t.OperationId == id && t.Status == BulkTaskStatus.Running && t.Upid != null).ToListAsync(ct);
            break;
        }
        var cancelled = await store.CancelPendingAsync(id, $"Cancelled by {actor.UserName} (abort).", ct);
        var stopped = 0;
        if (stopRunningTasks)
        {
            foreach (var t in running)
            {
                try
                {
                    await connections.Get(t.Connection).StopTaskAsync(t.Node, t.Upid!, ct);
                    stopped++;
                }
                catch (ProxmoxException ex)
                {
                    _logger.LogWarning("Could not stop {Upid} for abort of {Operation}: {Message}", t.Upid, id, ex.Message);
                }
            }
        }
        await WriteAuditAsync(new AuditRecord(actor, "BULK_ABORT", "BULK", id, true, time.GetElapsedTime(started),
            Details: new { cancelled, stopRunningTasks, stopped }));
        signal.Notify();
        var view = await GetAsync(id, ct) ?? throw new KeyNotFoundException($"Bulk operation {id} not found.");
        feed.Publish(new BulkProgressEvent(id, view.Status, view.Counts, time.GetUtcNow(), LogLine: $"Abort requested by {actor.UserName}: {cancelled} queued task(s) cancelled"
            + (stopRunningTasks ? $", {stopped} running PVE task(s) asked to stop" : "")));
        return view;
    }

    public async Task<BulkSubmitResult> RetryFailedAsync(Actor actor, string id, CancellationToken ct)
    {
        RequireOperator(actor);
        BulkOperation op;
        List<BulkTask> failed;
        await using (var db = await dbs.CreateAsync(ct))
        {
            op = await db.BulkOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new KeyNotFoundException($"Bulk operation {id} not found.");
            failed = await db.BulkTasks.AsNoTracking().Where(t => t.OperationId == id && t.Status == BulkTaskStatus.Failed).OrderBy(t => t.Seq).ToListAsync(ct);
        }
        if (failed.Count == 0) throw ValidationException.For("operationId", $"{id} has no failed tasks to retry.");
        var original = JsonSerializer.Deserialize<BulkRequest>(op.ParametersJson, Json) ?? throw new InvalidOperationException($"{id} has no parameters.");
        BulkRequest retry;
        if (original.Kind == BulkKinds.Create)
        {
            var names = failed.Select(t => t.VmName).ToHashSet(StringComparer.Ordinal);
            retry = original with { Create = [.. (original.Create ?? []).Where(c => names.Contains(c.Name))] };
        }
        else
        {
            var connectionsUsed = failed.Select(t => t.Connection).Distinct(StringComparer.Ordinal).ToList();
            retry = original with
            {
                Selection = new BulkSelection(VmIds: [.. failed.Where(t => t.VmId is not null).Select(t => t.VmId!.Value).Distinct()],
                    Connection: connectionsUsed.Count == 1 ? connectionsUsed[0] : null),
            };
        }
        retry = retry with { Source = $"retry of {id}" };
        var (newOp, entries, plan) = await BuildAsync(actor, retry, BulkStatus.Queued, ct);
        newOp.RetryOf = id;
        return await QueueAsync(actor, newOp, entries, plan.Warnings, isNew: true, ct);
    }

    // ---- planning ----------------------------------------------------------------------------------------

    private async Task<(BulkOperation Op, List<BulkPlanEntry> Entries, BulkPlan Plan)> BuildAsync(Actor actor, BulkRequest request, string status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireOperator(actor);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var action = Validate(request, errors);
        var targets = request.Kind == BulkKinds.Create ? [] : Select(request.Selection, errors);
        if (errors.Count > 0) throw new ValidationException("The bulk operation was not accepted: " + string.Join(" ", errors.Values), errors);

        var now = time.GetUtcNow();
        var entries = await PlanEntriesAsync(request, action, targets, now, ct);
        var warnings = new List<string>();
        foreach (var g in entries.Where(e => !e.WouldSucceed).GroupBy(e => e.ReasonCode ?? "other"))
            warnings.Add($"{g.Count()} VM(s) will be skipped: {Describe(g.Key)}.");
        // A snapshot-delete task deletes its VM's snapshots one after another: the longest list sets the pace.
        var perTask = request.Kind == BulkKinds.SnapshotDelete ? Math.Max(1, entries.Select(e => e.Snapshots?.Count(d => d.Delete) ?? 0).DefaultIfEmpty(0).Max()) : 1;
        var estimate = BulkRules.EstimateSeconds(entries, request.Options, TypicalSeconds(action) * perTask);
        var id = "bulk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var o = request.Options;
        var op = new BulkOperation
        {
            Id = id, Kind = request.Kind, Action = action, Status = status,
            ParametersJson = JsonSerializer.Serialize(request, Json), SelectionJson = JsonSerializer.Serialize(request.Selection, Json),
            PlanJson = JsonSerializer.Serialize(entries, Json),
            // Creates run one at a time: each clone takes PVE's next free VMID, which two at once would both get.
            Sequential = !o.Parallel || request.Kind == BulkKinds.Create, MaxParallel = o.MaxParallel, PerNodeLimit = o.PerNodeLimit, TimeoutSeconds = o.TimeoutSeconds,
            TaskTimeoutSeconds = o.TaskTimeoutSeconds, Force = o.Force, MaxAttempts = o.MaxAttempts, SnapshotBeforeTtlHours = o.SnapshotBeforeTtlHours,
            TotalTasks = entries.Count, RequestedBy = actor.UserName, RequestedFrom = actor.SourceIp,
            Source = string.IsNullOrWhiteSpace(request.Source) ? "api" : request.Source.Trim()[..Math.Min(256, request.Source.Trim().Length)],
            Tenant = request.Tenant, CreatedAt = now,
        };
        return (op, entries, new BulkPlan(id, request.Kind, action, entries, estimate, warnings));
    }

    /// <summary>Checks kind, parameters and options (per field); returns the operation's action.</summary>
    private static string Validate(BulkRequest r, Dictionary<string, string> errors)
    {
        var o = r.Options ?? new BulkOptions();
        if (o.MaxParallel is < 1 or > 500) errors["maxParallel"] = "Between 1 and 500.";
        if (o.PerNodeLimit is < 1 or > 64) errors["perNodeLimit"] = "Between 1 and 64.";
        if (o.TimeoutSeconds is < 1 or > 86_400) errors["timeout"] = "Between 1 and 86400 seconds, or none.";
        if (o.TaskTimeoutSeconds is < 10 or > 7 * 86_400) errors["taskTimeout"] = "Between 10 seconds and 7 days.";
        if (o.MaxAttempts is < 1 or > 10) errors["maxAttempts"] = "Between 1 and 10.";
        if (SnapshotRules.TtlError(o.SnapshotBeforeTtlHours) is { } ttl) errors["snapshotBeforeTtlHours"] = ttl;
        switch (r.Kind)
        {
            case BulkKinds.Power:
                if (r.PowerAction is not { } pa || !BulkRules.PowerActions.Contains(pa))
                {
                    errors["action"] = "One of start, stop, shutdown, reboot, suspend, resume.";
                    return "power";
                }
                return pa.ToString().ToLowerInvariant();
            case BulkKinds.Snapshot:
                if (r.Snapshot is not { } s || string.IsNullOrWhiteSpace(s.NamePattern)) errors["snapshotName"] = "A snapshot name (pattern) is required, e.g. pre-maint-{date}.";
                else
                {
                    var sample = BulkRules.SnapshotName(s.NamePattern, "vm", 100, DateTimeOffset.UnixEpoch);
                    if (sample.Contains('{', StringComparison.Ordinal)) errors["snapshotName"] = "Unknown placeholder: use {vm}, {vmid}, {date}, {time}, {datetime}.";
                    else if (SnapshotRules.NameError(sample) is { } e) errors["snapshotName"] = e;
                    if (SnapshotRules.DescriptionError(s.Description) is { } d) errors["description"] = d;
                    if (SnapshotRules.TtlError(s.TtlHours) is { } t) errors["ttlHours"] = t;
                }
                return "snapshot";
            case BulkKinds.Backup:
                if (r.Backup is not { } b || string.IsNullOrWhiteSpace(b.Storage)) errors["storage"] = "Choose a backup storage.";
                return "backup";
            case BulkKinds.Tags:
                if (r.Tags is not { } tg || tg.Tags.Count == 0) errors["tags"] = "At least one tag is required.";
                else if (tg.Tags.Select(TagOperationsService.TagError).FirstOrDefault(e => e is not null) is { } te) errors["tags"] = te;
                return r.TagAdd ? "add" : "remove";
            case BulkKinds.Delete:
                return "delete";
            case BulkKinds.SnapshotDelete:
                ValidateSnapshotDelete(r.SnapshotDelete, errors);
                return "snapshot-delete";
            case BulkKinds.Create:
                if (r.Create is not { Count: > 0 } specs) errors["vms"] = "At least one VM to create is required.";
                else
                {
                    if (specs.Count > 1000) errors["vms"] = "At most 1000 VMs per request.";
                    for (var i = 0; i < specs.Count; i++)
                    {
                        if (Deployments.DeploymentRules.NameError(specs[i].Name?.Trim()) is { } ne) errors[$"vms[{i}].name"] = ne;
                        if (string.IsNullOrWhiteSpace(specs[i].TemplateId)) errors[$"vms[{i}].templateId"] = "A template (VMID or name) is required.";
                        if (Deployments.DeploymentRules.CoresError(specs[i].Cpu) is { } ce) errors[$"vms[{i}].cpu"] = ce;
                        if (Deployments.DeploymentRules.MemoryError(specs[i].MemoryMb) is { } me) errors[$"vms[{i}].memory"] = me;
                    }
                    foreach (var dup in specs.GroupBy(s => s.Name?.Trim() ?? "", StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Take(1))
                        errors["vms"] = $"The name '{dup.Key}' is asked for more than once.";
                }
                return "create";
            default:
                errors["kind"] = $"One of {string.Join(", ", BulkKinds.All)}.";
                return "unknown";
        }
    }

    private static void ValidateSnapshotDelete(BulkSnapshotDeleteParameters? p, Dictionary<string, string> errors)
    {
        if (p is null || (p.Names is not { Count: > 0 } && string.IsNullOrWhiteSpace(p.Pattern) && p.AgeThresholdHours is null && !p.CheckDescription && p.KeepNewest is null))
        {
            errors["snapshotDelete"] = "Say which snapshots: snapshotNames, snapshotPattern, ageThresholdHours, checkDescription or keepNewest.";
            return;
        }
        if (p.Names is { Count: > 0 } names)
        {
            if (names.Count > 100) errors["snapshotNames"] = "At most 100 names.";
            else if (names.Select(n => string.Equals(n, "current", StringComparison.OrdinalIgnoreCase) ? "\"current\" is PVE's present state, not a snapshot; it is never deleted."
                         : SnapshotRules.NameError(n)).FirstOrDefault(e => e is not null) is { } ne)
                errors["snapshotNames"] = ne;
        }
        if (p.Pattern is { Length: > 64 }) errors["snapshotPattern"] = "At most 64 characters.";
        if (p.AgeThresholdHours is < 1 or > 87_600) errors["ageThresholdHours"] = "Between 1 and 87600 hours, or none.";
        if (p.KeepNewest is < 0 or > 1000) errors["keepNewest"] = "Between 0 and 1000, or none.";
    }

    private List<VmView> Select(BulkSelection s, Dictionary<string, string> errors)
    {
        s ??= new BulkSelection();
        var given = (s.VmIds is not null ? 1 : 0) + (!string.IsNullOrWhiteSpace(s.TagExpression) ? 1 : 0) + (!string.IsNullOrWhiteSpace(s.NamePattern) ? 1 : 0)
                    + (!string.IsNullOrWhiteSpace(s.Node) ? 1 : 0) + (s.All ? 1 : 0);
        if (given != 1)
        {
            errors["selection"] = "Choose the VMs by exactly one of vmIds, tagExpression, namePattern, node or all.";
            return [];
        }
        var connection = string.IsNullOrWhiteSpace(s.Connection) ? null : s.Connection.Trim();
        List<VmView> result;
        if (s.VmIds is { } ids)
        {
            if (ids.Count == 0) errors["vmIds"] = "At least one VMID is required.";
            foreach (var bad in ids.Where(i => i is < 100 or > 999_999_999).Take(1)) errors["vmIds"] = $"{bad} is not a VMID (100–999999999).";
            var all = vms.List(new VmFilter(Connection: connection));
            var byId = all.ToLookup(v => v.VmId);
            var missing = ids.Distinct().Where(i => !byId.Contains(i)).ToList();
            if (missing.Count > 0) errors["vmIds"] = $"Not found: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? " …" : "")}.";
            result = [.. ids.Distinct().SelectMany(i => byId[i])];
        }
        else if (!string.IsNullOrWhiteSpace(s.TagExpression))
        {
            try
            {
                result = [.. vms.List(new VmFilter(Connection: connection, IncludeTemplates: false, TagExpression: s.TagExpression))];
            }
            catch (ValidationException ex)
            {
                errors["tagExpression"] = ex.Errors.Values.FirstOrDefault() ?? ex.Message;
                return [];
            }
        }
        else if (!string.IsNullOrWhiteSpace(s.NamePattern))
        {
            var regex = BulkRules.Glob(s.NamePattern);
            result = [.. vms.List(new VmFilter(Connection: connection, IncludeTemplates: false)).Where(v => regex.IsMatch(v.Name))];
        }
        else if (!string.IsNullOrWhiteSpace(s.Node))
        {
            result = [.. vms.List(new VmFilter(Connection: connection, Node: s.Node.Trim(), IncludeTemplates: false))];
            if (result.Count == 0 && !vms.List(new VmFilter(Connection: connection)).Any(v => string.Equals(v.Node, s.Node.Trim(), StringComparison.OrdinalIgnoreCase)))
                errors["node"] = $"No VMs on node '{s.Node.Trim()}'.";
        }
        else result = [.. vms.List(new VmFilter(Connection: connection, IncludeTemplates: false))];

        if (result.Count == 0 && errors.Count == 0) errors["selection"] = "The selection matches no VM.";
        if (result.Count > MaxTargets) errors["selection"] = $"The selection matches {result.Count} VMs; at most {MaxTargets} per operation.";
        return result;
    }

    private async Task<List<BulkPlanEntry>> PlanEntriesAsync(BulkRequest r, string action, List<VmView> targets, DateTimeOffset now, CancellationToken ct)
    {
        // Snapshot deletion reads each VM's lock live below; bulk create has no VM yet.
        if (r.Kind is not (BulkKinds.SnapshotDelete or BulkKinds.Create)) targets = await WithLiveLocksAsync(targets, ct);
        switch (r.Kind)
        {
            case BulkKinds.Power:
                return [.. targets.Select(v => BulkRules.Power(v, r.PowerAction!.Value))];
            case BulkKinds.Backup:
                return [.. targets.Select(BulkRules.Backup)];
            case BulkKinds.Tags:
                var tags = r.Tags!.Tags.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
                return [.. targets.Select(v => BulkRules.Tags(v, tags, r.TagAdd))];
            case BulkKinds.Snapshot:
                return await ForEachAsync(targets, async (v, token) =>
                {
                    try
                    {
                        var snaps = await connections.Get(v.Connection).GetSnapshotsAsync(v.Node, v.VmId, v.Guest.Type, token);
                        return BulkRules.Snapshot(v, r.Snapshot!, [.. snaps.Where(s => !s.IsCurrent).Select(s => s.Name)], now);
                    }
                    catch (ProxmoxException ex)
                    {
                        return BulkRules.Snapshot(v, r.Snapshot!, [], now) with { WouldSucceed = false, Reason = ex.Message, ReasonCode = BulkReasons.NotFound };
                    }
                }, ct);
            case BulkKinds.Delete:
                return await ForEachAsync(targets, async (v, token) =>
                {
                    try
                    {
                        var config = await connections.Get(v.Connection).GetGuestConfigDetailAsync(v.Node, v.VmId, v.Guest.Type, false, token);
                        return BulkRules.Delete(v, config.Protection);
                    }
                    catch (ProxmoxException ex)
                    {
                        return BulkRules.Delete(v, false) with { WouldSucceed = false, Reason = ex.Message, ReasonCode = BulkReasons.NotFound };
                    }
                }, ct);
            case BulkKinds.SnapshotDelete:
                var criteria = r.SnapshotDelete!.ToCriteria();
                return await ForEachAsync(targets, async (v, token) =>
                {
                    try
                    {
                        var gateway = connections.Get(v.Connection);
                        var snaps = await gateway.GetSnapshotsAsync(v.Node, v.VmId, v.Guest.Type, token);
                        // The lock as PVE has it now: the inventory may still show the lock of a snapshot task that just ended
                        // (the scheduler prunes right after its snapshots are taken).
                        var status = await gateway.GetGuestStatusAsync(v.Node, v.VmId, v.Guest.Type, token);
                        var origins = criteria.SafeMode || criteria.MadeByJob is not null ? await _origins.ForVmAsync(v.Connection, v.VmId, token) : [];
                        return BulkRules.SnapshotDelete(new VmView(v.Connection, v.Guest with { Lock = status.Lock }), SnapshotSelection.Decide(snaps, criteria, origins, now));
                    }
                    catch (ProxmoxException ex)
                    {
                        return BulkRules.SnapshotDelete(v, []) with { WouldSucceed = false, Reason = ex.Message, ReasonCode = BulkReasons.NotFound };
                    }
                }, ct);
            case BulkKinds.Create:
                return [.. r.Create!.Select(CreateEntry)];
            default:
                throw new InvalidOperationException($"No planner for {r.Kind}.");
        }
    }

    /// <summary>The inventory is a few seconds old: a VM it shows locked may have been unlocked since (a retry right after
    /// a backup or snapshot ended). Only those VMs are asked PVE for their lock now (status/current); an unlocked VM's
    /// inventory lock is not re-read (a lock taken since then is caught when the task runs: "changed since the plan").</summary>
    private async Task<List<VmView>> WithLiveLocksAsync(List<VmView> targets, CancellationToken ct)
    {
        var locked = targets.Select((v, i) => (v, i)).Where(x => x.v.Guest.Lock is not null).ToList();
        if (locked.Count == 0) return targets;
        var result = targets.ToList();
        await Parallel.ForEachAsync(locked, new ParallelOptions { MaxDegreeOfParallelism = PlanParallelism, CancellationToken = ct }, async (x, token) =>
        {
            try
            {
                var status = await connections.Get(x.v.Connection).GetGuestStatusAsync(x.v.Node, x.v.VmId, x.v.Guest.Type, token);
                if (status.Lock != x.v.Guest.Lock) result[x.i] = x.v with { Guest = x.v.Guest with { Lock = status.Lock } };
            }
            catch (ProxmoxException ex)
            {
                // Planned as the inventory has it (locked): never planned to run on a guess.
                _logger.LogDebug("Live lock of {VmId} not read: {Message}", x.v.VmId, ex.Message);
            }
        });
        return result;
    }

    private BulkPlanEntry CreateEntry(BulkCreateSpec spec)
    {
        var name = spec.Name.Trim();
        var connection = string.IsNullOrWhiteSpace(spec.Connection) ? null : spec.Connection.Trim();
        var templates = vms.List(new VmFilter(Connection: connection)).Where(v => v.Guest.Template).ToList();
        var template = int.TryParse(spec.TemplateId, NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
            ? templates.FirstOrDefault(t => t.VmId == tid)
            : templates.FirstOrDefault(t => string.Equals(t.Name, spec.TemplateId.Trim(), StringComparison.OrdinalIgnoreCase));
        var node = string.IsNullOrWhiteSpace(spec.NodeId) ? template?.Node ?? "" : spec.NodeId.Trim();
        var entry = new BulkPlanEntry(null, name, template?.Connection ?? connection ?? "", node, "qemu", "create", true) { ProposedName = name, Create = spec };
        if (template is null)
            return entry with { WouldSucceed = false, Reason = $"No template '{spec.TemplateId}'.", ReasonCode = BulkReasons.NotFound };
        if (vms.List(new VmFilter(Connection: template.Connection)).Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
            return entry with { WouldSucceed = false, Reason = $"A VM named '{name}' exists already.", ReasonCode = BulkReasons.Invalid };
        return entry;
    }

    private static async Task<List<BulkPlanEntry>> ForEachAsync(List<VmView> targets, Func<VmView, CancellationToken, Task<BulkPlanEntry>> plan, CancellationToken ct)
    {
        var result = new BulkPlanEntry[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count), new ParallelOptions { MaxDegreeOfParallelism = PlanParallelism, CancellationToken = ct },
            async (i, token) => result[i] = await plan(targets[i], token));
        return [.. result];
    }

    // ---- queuing -----------------------------------------------------------------------------------------

    private async Task<BulkSubmitResult> QueueAsync(Actor actor, BulkOperation op, List<BulkPlanEntry> entries, IReadOnlyList<string> warnings, bool isNew, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var tasks = entries.Select((e, i) => new BulkTask
        {
            OperationId = op.Id, Seq = i, Connection = e.Connection, Node = e.Node, VmId = e.VmId, VmName = e.VmName, GuestType = e.GuestType,
            Action = e.Action, ProposedName = e.ProposedName, PlannedLock = e.Lock, PlannedProtected = e.Protected,
            // Deleting snapshots does not depend on the VM's power state: only a lock (or a move) stops it.
            PlannedStatus = e.Action == "snapshot-delete" ? null : e.Status,
            ParametersJson = e.Create is not null ? JsonSerializer.Serialize(e.Create, Json)
                : e.Snapshots is { } decided ? JsonSerializer.Serialize(new BulkSnapshotDeleteTask([.. decided.Where(d => d.Delete).Select(d => d.Name)]), Json)
                : null,
            Status = e.WouldSucceed ? BulkTaskStatus.Pending : BulkTaskStatus.Skipped,
            Error = e.WouldSucceed ? null : Truncate(e.Reason, 512), Message = e.WouldSucceed ? null : e.Reason,
            Step = op.SnapshotBeforeTtlHours is not null && BulkRules.IsDestructive(e.Action) && e.VmId is not null ? 0 : 1,
            CreatedAt = now, FinishedAt = e.WouldSucceed ? null : now,
        }).ToList();
        var queued = tasks.Count(t => t.Status == BulkTaskStatus.Pending);
        await using (var db = await dbs.CreateAsync(ct))
        {
            if (isNew) db.BulkOperations.Add(op);
            else db.BulkOperations.Attach(op);
            op.Status = queued == 0 ? BulkStatus.Completed : BulkStatus.Queued;
            if (queued == 0) op.FinishedAt = now;
            op.TotalTasks = tasks.Count;
            db.BulkTasks.AddRange(tasks);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw ValidationException.For("planId", $"Plan {op.Id} was already executed.");
            }
        }
        await WriteAuditAsync(new AuditRecord(actor, "BULK_" + op.Kind.ToUpperInvariant().Replace('-', '_'), "BULK", op.Id, true, time.GetElapsedTime(started),
            Details: new
            {
                kind = op.Kind, action = op.Action, source = op.Source, tenant = op.Tenant, total = tasks.Count, queued, skipped = tasks.Count - queued,
                options = new { parallel = !op.Sequential, op.MaxParallel, op.PerNodeLimit, op.TimeoutSeconds, op.Force, op.SnapshotBeforeTtlHours },
                retryOf = op.RetryOf, warnings,
                plan = entries.Select(e => new { e.VmId, e.VmName, e.Connection, e.Node, e.Action, e.ProposedName, e.WouldSucceed, e.Reason,
                    keep = e.Snapshots?.Where(d => !d.Delete).Select(d => $"{d.Name}: {d.Reason}") }),
            }));
        feed.Publish(new BulkProgressEvent(op.Id, op.Status, BulkCounts.Of(tasks.Select(t => t.Status)), now,
            LogLine: $"{queued} task(s) queued, {tasks.Count - queued} skipped ({op.Source})"));
        signal.Notify();
        return new BulkSubmitResult(op.Id, tasks.Count, queued, tasks.Count - queued, op.Status);
    }

    // ---- views -------------------------------------------------------------------------------------------

    internal BulkOperationView View(BulkOperation op, List<BulkTask>? tasks, List<BulkPlanEntry>? plan)
    {
        var options = new BulkOptions
        {
            Parallel = !op.Sequential, MaxParallel = op.MaxParallel, PerNodeLimit = op.PerNodeLimit, TimeoutSeconds = op.TimeoutSeconds,
            TaskTimeoutSeconds = op.TaskTimeoutSeconds, Force = op.Force, MaxAttempts = op.MaxAttempts, SnapshotBeforeTtlHours = op.SnapshotBeforeTtlHours,
        };
        var end = op.FinishedAt ?? (op.StartedAt is null ? null : time.GetUtcNow());
        return new BulkOperationView(op.Id, op.Kind, op.Action, op.Status, tasks is null ? BulkCounts.Empty : BulkCounts.Of(tasks.Select(t => t.Status)),
            op.RequestedBy, op.Source, op.Tenant, op.RetryOf, op.CreatedAt, op.StartedAt, op.FinishedAt, options, op.ParametersJson,
            tasks is null ? [] : [.. tasks.Select(ToView)])
        {
            AbortRequested = op.AbortRequestedAt is not null,
            Plan = plan ?? [],
            DurationSeconds = op.StartedAt is { } s && end is { } e ? Math.Round((e - s).TotalSeconds, 1) : null,
        };
    }

    public static BulkTaskView ToView(BulkTask t) =>
        new(t.Id, t.Seq, t.VmId, t.VmName, t.Connection, t.Node, t.Action, t.ProposedName, t.Status, t.Upid, t.Message, t.Error, t.Attempts, t.StartedAt, t.FinishedAt)
        {
            PreSnapshotUpid = t.PreSnapshotUpid,
        };

    private static BulkCounts CountsOf(IEnumerable<(string Status, int Count)> groups) =>
        BulkCounts.Of(groups.SelectMany(g => Enumerable.Repeat(g.Status, g.Count)));

    private static double TypicalSeconds(string action) => action switch
    {
        "start" => 3, "stop" => 2, "shutdown" => 10, "reboot" => 15, "suspend" or "resume" => 3,
        "snapshot" => 5, "backup" => 60, "add" or "remove" => 1, "delete" => 5, "create" => 30, "snapshot-delete" => 5, _ => 5,
    };

    private static string Describe(string code) => code switch
    {
        BulkReasons.Locked => "locked",
        BulkReasons.AlreadyInState => "already in the wanted state",
        BulkReasons.WrongState => "not in a state that allows it",
        BulkReasons.Protected => "protected",
        BulkReasons.Template => "templates",
        BulkReasons.NotFound => "not found",
        BulkReasons.NoChange => "nothing to change",
        _ => "invalid",
    };

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    private static void RequireOperator(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.CanOperate) throw new ForbiddenException($"{actor.UserName} may not run bulk operations (Viewer role).");
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceId}", record.Operation, record.ResourceId);
        }
    }
}
