using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Backups;
using Moxxie.Core.Deployments;
using Moxxie.Core.Lifecycle;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Tags;
using Moxxie.Core.Tasks;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Bulk;

/// <summary>How the worker runs tasks (configuration section Moxxie:Bulk).</summary>
public sealed class BulkEngineOptions
{
    /// <summary>How often a running PVE task's status is read.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>First retry delay of a transient failure (doubles per attempt).</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How far before the "about to POST" marker PVE's task list is searched (clock skew between Moxxie and PVE).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Runs one claimed task to its end through the existing Core services (VmService, SnapshotService, BackupService,
/// TagOperationsService, VmLifecycleService, VmProvisioningService), which call PVE, track the UPID and audit each VM.
/// Protocol per step: the VM is checked against the plan (status, lock, node; protection for delete) — a change fails the
/// task with the reason; the "about to POST" marker is committed; the POST is sent once; the UPID is committed right after;
/// the task is followed until PVE ends it. A transient failure (PVE unreachable, 5xx without a verdict) releases the task
/// with a backoff; it is only sent again once PVE's task list (GET /nodes/{node}/tasks?vmid=&amp;since=) shows no task of
/// that type for the VM since the marker — otherwise that task is adopted and followed. Every change is committed only while
/// this worker still holds the claim.
/// </summary>
public sealed class BulkExecutor(
    VmService vms,
    SnapshotService snapshots,
    BackupService backups,
    TagOperationsService tags,
    VmLifecycleService lifecycle,
    VmProvisioningService provisioning,
    IProxmoxConnections connections,
    IBulkStore store,
    BulkProgressFeed feed,
    PveTaskWatch watch,
    IAuditLog audit,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<BulkEngineOptions>? options = null,
    ILogger<BulkExecutor>? logger = null)
{
    private readonly BulkEngineOptions _options = options?.Value ?? new BulkEngineOptions();
    private readonly ILogger _logger = logger ?? NullLogger<BulkExecutor>.Instance;

    /// <summary>Thrown inside when the claim was lost: stop touching the task.</summary>
    private sealed class ClaimLostException() : Exception("claim lost");

    /// <summary>A failure worth retrying (nothing was decided by PVE).</summary>
    private sealed class TransientException(string message, Exception? inner = null) : Exception(message, inner);

    public async Task RunAsync(BulkClaim claim, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var t = claim.Task;
        var op = claim.Operation;
        var ctx = new Ctx(t, op, owner);
        try
        {
            if (op.AbortRequestedAt is not null && t.Upid is null && t.PostingAt is null)
            {
                await FinishAsync(ctx, BulkTaskStatus.Cancelled, $"Cancelled by {op.AbortRequestedBy} (abort).", null, ct);
                return;
            }
            await PublishAsync(ctx, t.Attempts == 0 && t.PostingAt is null ? "started" : "resumed");
            if (t.Action is "tag-add" or "tag-remove")
            {
                await RunTagsAsync(ctx, ct);
                return;
            }
            if (t.Action == "create")
            {
                await RunCreateAsync(ctx, ct);
                return;
            }
            if (t.Action == "snapshot-delete")
            {
                await RunSnapshotDeletesAsync(ctx, ct);
                return;
            }
            while (true)
            {
                var result = await RunStepAsync(ctx, ct);
                if (result is null) return; // released for a retry, or finished inside
                if (!result.Succeeded)
                {
                    var why = result.ExitStatus ?? "unknown";
                    await FinishAsync(ctx, BulkTaskStatus.Failed, t.Step == 0 ? $"Pre-change snapshot failed: {why}" : why, Short(why), ct);
                    return;
                }
                if (t.Step == 0)
                {
                    await UpdateAsync(ctx, x => { x.PreSnapshotUpid = x.Upid; x.Upid = null; x.PostingAt = null; x.Step = 1; }, ct);
                    await PublishAsync(ctx, $"pre-change snapshot done ({t.PreSnapshotUpid})");
                    continue;
                }
                await FinishAsync(ctx, BulkTaskStatus.Succeeded, SuccessMessage(t), null, ct);
                return;
            }
        }
        catch (ClaimLostException)
        {
            _logger.LogWarning("Bulk task {Task} of {Operation}: claim lost to another worker", t.Id, op.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the task is resumed (by this owner at its next start, or another).
        }
        catch (Exception ex) when (IsDatabaseError(ex))
        {
            // Nothing was decided: the task goes back to the queue as it is (its "about to POST" marker and UPID kept), so
            // whoever claims it next follows its UPID or checks PVE's task list before any POST — never a second POST, and
            // never "failed" for a VM whose action PVE may have done.
            _logger.LogWarning(ex, "Bulk task {Task} of {Operation}: database error; released to be resumed", t.Id, op.Id);
            try
            {
                await ReleaseAsync(ctx, _options.RetryBackoff, $"Database error ({Short(ex.Message)}); resumed in {_options.RetryBackoff.TotalSeconds:0.#} s.", CancellationToken.None);
            }
            catch (Exception)
            {
                // the lease runs out and the task is resumed
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Bulk task {Task} of {Operation} failed unexpectedly", t.Id, op.Id);
            try
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, ex.Message, Short(ex.Message), CancellationToken.None);
            }
            catch (Exception)
            {
                // the lease will expire and the task be resumed
            }
        }
    }

    private sealed record Ctx(BulkTask Task, BulkOperation Op, string Owner)
    {
        public Actor Actor { get; } = new(Op.RequestedBy, [MoxxieRoles.Operator], Op.RequestedFrom);
        public GuestType Type => Task.GuestType == "lxc" ? GuestType.Lxc : GuestType.Qemu;
        public VmRef Vm => new(Task.VmId!.Value, Task.Connection);
    }

    /// <summary>One PVE step (pre-change snapshot or the action): returns PVE's final task status, or null when the task was
    /// released for a retry or finished already (refused, changed).</summary>
    private async Task<PveTask?> RunStepAsync(Ctx ctx, CancellationToken ct)
    {
        var t = ctx.Task;
        var gateway = connections.Get(t.Connection);
        var type = t.Step == 0 ? BulkRules.TaskType("snapshot", t.GuestType)! : BulkRules.TaskType(t.Action, t.GuestType)!;
        try
        {
            if (t.Upid is null && t.PostingAt is { } marker)
            {
                // Resumed after a crash or a transient failure: did the earlier POST start a task?
                var since = marker - _options.ClockSkew;
                var found = (await gateway.GetGuestTasksSinceAsync(t.Node, t.VmId!.Value, since, type, ct))
                    .Where(x => x.Type == type && x.Id == t.VmId.Value.ToString(CultureInfo.InvariantCulture) && x.StartTime >= since.AddSeconds(-1))
                    .OrderBy(x => x.StartTime).FirstOrDefault();
                if (found is not null)
                {
                    await UpdateAsync(ctx, x => x.Upid = found.Upid, ct);
                    await AuditAdoptedAsync(ctx, found.Upid, ct);
                    await PublishAsync(ctx, $"found the task started before the interruption: {found.Upid}");
                }
                else
                {
                    await UpdateAsync(ctx, x => x.PostingAt = null, ct);
                }
            }

            if (t.Upid is null)
            {
                if (t.Step == 1 && await ChangedSincePlanAsync(ctx, gateway, ct) is { } change)
                {
                    var label = $"{t.VmName} ({t.VmId}) {change}";
                    await FinishAsync(ctx, BulkTaskStatus.Failed, $"Not done: {label} (the plan was made for the VM as it was).", Short($"VM changed since the plan: {change}"), ct);
                    return null;
                }
                await UpdateAsync(ctx, x => { x.PostingAt = time.GetUtcNow(); x.Attempts++; }, ct);
                string upid;
                try
                {
                    upid = await PostAsync(ctx, ct);
                }
                catch (ProxmoxException ex) when (!IsTransient(ex))
                {
                    await FinishAsync(ctx, BulkTaskStatus.Failed, ex.Message, Short(ex.Message), ct);
                    return null;
                }
                catch (ValidationException ex)
                {
                    await FinishAsync(ctx, BulkTaskStatus.Failed, ex.Message, Short(ex.Errors.Values.FirstOrDefault() ?? ex.Message), ct);
                    return null;
                }
                await UpdateAsync(ctx, x => x.Upid = upid, ct);
                await PublishAsync(ctx, $"{(t.Step == 0 ? "pre-change snapshot" : t.Action)} started: {upid}");
            }

            return await FollowAsync(ctx, gateway, ct);
        }
        catch (Exception ex) when (ex is TransientException || ex is ProxmoxException pe && IsTransient(pe) || ex is HttpRequestException
                                   || ex is TimeoutException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            await ReleaseForRetryAsync(ctx, ex.Message, ct);
            return null;
        }
    }

    /// <summary>The VM's audit row for a PVE task found in PVE's task list after an interruption: the service writes it right
    /// after its POST returns, which a crash between the two prevents. Written once (none may name that UPID yet).</summary>
    private async Task AuditAdoptedAsync(Ctx ctx, string upid, CancellationToken ct)
    {
        if (await audit.HasUpidAsync(upid, ct)) return;
        var t = ctx.Task;
        var vmid = t.VmId!.Value.ToString(CultureInfo.InvariantCulture);
        var (operation, resourceType, resourceId) = (t.Step, t.Action) switch
        {
            (0, _) => ("SNAPSHOT_CREATE", SnapshotService.ResourceType, vmid),
            (_, "snapshot") => ("SNAPSHOT_CREATE", SnapshotService.ResourceType, SnapshotService.ResourceId(t.VmId.Value, t.ProposedName)),
            (_, "backup") => ("BACKUP_CREATE", BackupService.ResourceType, vmid),
            _ => ("VM_" + t.Action.ToUpperInvariant(), "VM", vmid),
        };
        await audit.WriteAsync(new AuditRecord(ctx.Actor, operation, resourceType, resourceId, true, TimeSpan.Zero, t.Node, t.Connection,
            new { action = t.Step == 0 ? "pre-change snapshot" : t.Action, vmid = t.VmId, name = t.VmName, bulkOperation = ctx.Op.Id,
                  resumed = "sent before an interruption; found in PVE's task list" }, Upid: upid), ct);
    }

    /// <summary>The POST through the Core service that owns it (audited per VM with the UPID, tracked).</summary>
    private async Task<string> PostAsync(Ctx ctx, CancellationToken ct)
    {
        var t = ctx.Task;
        var op = ctx.Op;
        if (t.Step == 0)
        {
            var name = BulkRules.SnapshotName("pre-bulk-{datetime}", t.VmName, t.VmId, time.GetUtcNow());
            var r = await snapshots.CreateAsync(ctx.Actor, ctx.Vm,
                new SnapshotCreate(name, $"Before bulk {op.Action} {op.Id}", false, op.SnapshotBeforeTtlHours), ct);
            return r.Upid;
        }
        var request = JsonSerializer.Deserialize<BulkRequest>(op.ParametersJson, BulkOperationService.Json)!;
        switch (t.Action)
        {
            case "start" or "stop" or "shutdown" or "reboot" or "suspend" or "resume":
                var action = Enum.Parse<PowerAction>(t.Action, ignoreCase: true);
                var options = new PowerOptions(op.TimeoutSeconds, ForceStop: op.Force && action == PowerAction.Shutdown,
                    OverruleShutdown: op.Force && action == PowerAction.Stop);
                var power = await vms.PowerAsync(ctx.Actor, ctx.Vm, action, options, ct);
                if (power.Success) return power.Upid!;
                if (power.Failure == PowerFailure.Proxmox && (power.ProxmoxStatus is null or 502 or 503 or 504 or 595 or 596))
                    throw new TransientException(power.Message);
                throw new ProxmoxException(t.Connection, power.ProxmoxStatus ?? 400, power.Message);
            case "snapshot":
                var s = request.Snapshot!;
                return (await snapshots.CreateAsync(ctx.Actor, ctx.Vm, new SnapshotCreate(t.ProposedName, s.Description, s.IncludeVmState, s.TtlHours), ct)).Upid;
            case "backup":
                var b = request.Backup!;
                return (await backups.BackupNowAsync(ctx.Actor, ctx.Vm, new BackupNowRequest(b.Storage, b.Mode, b.Compress, b.Notes, b.Protected), ct)).Upid;
            case "delete":
                return (await lifecycle.RemoveAsync(ctx.Actor, ctx.Vm, null, ct)).Upid!;
            default:
                throw new InvalidOperationException($"No PVE action for '{t.Action}'.");
        }
    }

    /// <summary>The VM now (status/current, and config for delete) against the plan; null when unchanged.</summary>
    private static async Task<string?> ChangedSincePlanAsync(Ctx ctx, IProxmoxGateway gateway, CancellationToken ct)
    {
        var t = ctx.Task;
        GuestStatusDetail now;
        try
        {
            now = await gateway.GetGuestStatusAsync(t.Node, t.VmId!.Value, ctx.Type, ct);
        }
        catch (ProxmoxException ex) when (ex.StatusCode is 500 or 404 && ex.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
        {
            return $"is no longer on {t.Node} ({ex.Message})";
        }
        bool? isProtected = null;
        if (t.PlannedProtected is not null)
            isProtected = (await gateway.GetGuestConfigDetailAsync(t.Node, t.VmId.Value, ctx.Type, false, ct)).Protection;
        return BulkRules.Changed(t, t.Node, BulkRules.EffectiveStatus(now.Status, now.QmpStatus), now.Lock, isProtected);
    }

    private async Task<PveTask> FollowAsync(Ctx ctx, IProxmoxGateway gateway, CancellationToken ct)
    {
        var t = ctx.Task;
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(ctx.Op.TaskTimeoutSeconds);
        var failures = 0;
        while (true)
        {
            try
            {
                // One read of the node's task list per tick answers every task followed on that node.
                var status = await watch.StatusAsync(t.Connection, t.Node, t.Upid!, ct);
                failures = 0;
                if (status is { Running: false }) return status;
            }
            catch (ProxmoxException ex) when (IsTransient(ex) && ++failures < 30)
            {
                _logger.LogDebug("Following {Upid} failed ({Failures}): {Message}", t.Upid, failures, ex.Message);
            }
            if (time.GetUtcNow() > deadline)
                return new PveTask(t.Upid!, t.Node, "", null, "", time.GetUtcNow(), null, false,
                    $"still running after {ctx.Op.TaskTimeoutSeconds} s; Moxxie stopped waiting (the PVE task goes on)");
            await Task.Delay(_options.FollowInterval, time, ct);
        }
    }

    /// <summary>Deletes the task's snapshots one after another (PVE locks the VM during each deletion), each with the protocol
    /// of a step: the "about to POST" marker, the DELETE through SnapshotService (audited SNAPSHOT_DELETE with the UPID, TTL
    /// row dropped), the UPID, the task followed to its end. <see cref="BulkTask.Step"/> is 1 + the index of the snapshot in
    /// hand; what was deleted, found gone and the UPIDs done are committed with it, so a resumed task goes on where it
    /// stopped and never adopts an earlier deletion's task as the current one. A snapshot already gone counts as done; the
    /// first refusal ends the task as failed, saying what was deleted before.</summary>
    private async Task RunSnapshotDeletesAsync(Ctx ctx, CancellationToken ct)
    {
        var t = ctx.Task;
        var gateway = connections.Get(t.Connection);
        var state = DeleteState(t);
        var type = BulkRules.TaskType(t.Action, t.GuestType)!;
        var vmid = t.VmId!.Value.ToString(CultureInfo.InvariantCulture);
        HashSet<string>? existing = null;
        try
        {
            while (t.Step - 1 < state.Names.Count)
            {
                var name = state.Names[Math.Max(0, t.Step - 1)];
                if (t.Upid is null && t.PostingAt is { } marker)
                {
                    // Resumed: did the DELETE sent before the interruption start a task?
                    var since = marker - _options.ClockSkew;
                    var found = (await gateway.GetGuestTasksSinceAsync(t.Node, t.VmId.Value, since, type, ct))
                        .Where(x => x.Type == type && x.Id == vmid && x.StartTime >= since.AddSeconds(-1) && !state.Upids.Contains(x.Upid))
                        .OrderBy(x => x.StartTime).FirstOrDefault();
                    if (found is not null)
                    {
                        await UpdateAsync(ctx, x => x.Upid = found.Upid, ct);
                        await PublishAsync(ctx, $"found the deletion of {name} started before the interruption: {found.Upid}");
                    }
                    else await UpdateAsync(ctx, x => x.PostingAt = null, ct);
                }

                if (t.Upid is null)
                {
                    if (state.Deleted.Count + state.Gone.Count == 0 && await ChangedSincePlanAsync(ctx, gateway, ct) is { } change)
                    {
                        var label = $"{t.VmName} ({t.VmId}) {change}";
                        await FinishAsync(ctx, BulkTaskStatus.Failed, $"Not done: {label} (the plan was made for the VM as it was).", Short($"VM changed since the plan: {change}"), ct);
                        return;
                    }
                    existing ??= (await gateway.GetSnapshotsAsync(t.Node, t.VmId.Value, ctx.Type, ct)).Where(s => !s.IsCurrent).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
                    if (!existing.Contains(name))
                    {
                        state = state with { Gone = [.. state.Gone, name] };
                        await NextSnapshotAsync(ctx, state, $"snapshot {name} is gone already", ct);
                        continue;
                    }
                    await UpdateAsync(ctx, x => { x.PostingAt = time.GetUtcNow(); x.Attempts++; }, ct);
                    string upid;
                    try
                    {
                        upid = (await snapshots.DeleteAsync(ctx.Actor, ctx.Vm, name, ct)).Upid;
                    }
                    catch (ProxmoxException ex) when (!IsTransient(ex))
                    {
                        await FinishAsync(ctx, BulkTaskStatus.Failed, DeleteProgress(state, $"{name}: {ex.Message}"), Short(ex.Message), ct);
                        return;
                    }
                    catch (ValidationException ex)
                    {
                        await FinishAsync(ctx, BulkTaskStatus.Failed, DeleteProgress(state, $"{name}: {ex.Message}"), Short(ex.Errors.Values.FirstOrDefault() ?? ex.Message), ct);
                        return;
                    }
                    await UpdateAsync(ctx, x => x.Upid = upid, ct);
                    await PublishAsync(ctx, $"deleting snapshot {name}: {upid}");
                }

                var result = await FollowAsync(ctx, gateway, ct);
                if (!result.Succeeded)
                {
                    var why = result.ExitStatus ?? "unknown";
                    if (why.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
                    {
                        state = state with { Gone = [.. state.Gone, name] };
                        await NextSnapshotAsync(ctx, state, $"snapshot {name} is gone already", ct);
                        continue;
                    }
                    await FinishAsync(ctx, BulkTaskStatus.Failed, DeleteProgress(state, $"{name}: {why}"), Short(why), ct);
                    return;
                }
                state = state with { Deleted = [.. state.Deleted, name], Upids = [.. state.Upids, t.Upid!] };
                await NextSnapshotAsync(ctx, state, $"snapshot {name} deleted", ct);
            }
            var last = state.Upids.LastOrDefault();
            await UpdateAsync(ctx, x => x.Upid = last, ct);
            await FinishAsync(ctx, BulkTaskStatus.Succeeded, DeleteProgress(state, null), null, ct);
        }
        catch (Exception ex) when (ex is TransientException || ex is ProxmoxException pe && IsTransient(pe) || ex is HttpRequestException
                                   || ex is TimeoutException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            await ReleaseForRetryAsync(ctx, ex.Message, ct);
        }
    }

    private static BulkSnapshotDeleteTask DeleteState(BulkTask t) =>
        JsonSerializer.Deserialize<BulkSnapshotDeleteTask>(t.ParametersJson ?? "{\"names\":[]}", BulkOperationService.Json) ?? new BulkSnapshotDeleteTask([]);

    /// <summary>Commits one snapshot as done (deleted or gone) and moves to the next: a fresh step (no marker, no UPID).</summary>
    private async Task NextSnapshotAsync(Ctx ctx, BulkSnapshotDeleteTask state, string line, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(state, BulkOperationService.Json);
        var message = DeleteProgress(state, null);
        await UpdateAsync(ctx, x => { x.ParametersJson = json; x.Step++; x.Upid = null; x.PostingAt = null; x.Attempts = 0; x.Message = message; }, ct);
        await PublishAsync(ctx, line);
    }

    private static string DeleteProgress(BulkSnapshotDeleteTask s, string? failure)
    {
        var parts = new List<string>();
        if (s.Deleted.Count > 0) parts.Add($"Deleted {s.Deleted.Count} snapshot(s): {string.Join(", ", s.Deleted)}");
        if (s.Gone.Count > 0) parts.Add($"already gone: {string.Join(", ", s.Gone)}");
        if (failure is not null)
        {
            parts.Add($"failed on {failure}");
            var left = s.Names.Except(s.Deleted).Except(s.Gone).Skip(1).ToList();
            if (left.Count > 0) parts.Add($"not tried: {string.Join(", ", left)}");
        }
        if (parts.Count == 0) return "Nothing deleted";
        var text = string.Join("; ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private async Task RunTagsAsync(Ctx ctx, CancellationToken ct)
    {
        var t = ctx.Task;
        var request = JsonSerializer.Deserialize<BulkRequest>(ctx.Op.ParametersJson, BulkOperationService.Json)!;
        await UpdateAsync(ctx, x => { x.PostingAt = time.GetUtcNow(); x.Attempts++; }, ct);
        var result = await tags.BulkAsync(ctx.Actor, new TagSelection(VmIds: [t.VmId!.Value], Connection: t.Connection),
            request.TagAdd ? TagAction.Add : TagAction.Remove, request.Tags!.Tags, ct);
        var one = result.Results.FirstOrDefault();
        if (one is { Success: true })
            await FinishAsync(ctx, BulkTaskStatus.Succeeded, $"Tags now: {string.Join(", ", one.CurrentTags)}", null, ct);
        else
            await FinishAsync(ctx, BulkTaskStatus.Failed, one?.Error ?? "No result.", Short(one?.Error ?? "No result."), ct);
    }

    private async Task RunCreateAsync(Ctx ctx, CancellationToken ct)
    {
        var t = ctx.Task;
        var spec = JsonSerializer.Deserialize<BulkCreateSpec>(t.ParametersJson!, BulkOperationService.Json)!;
        if (t.DeploymentId is null)
        {
            var template = vms.List(new VmFilter(Connection: t.Connection)).FirstOrDefault(v => v.Guest.Template &&
                (int.TryParse(spec.TemplateId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? v.VmId == id
                    : string.Equals(v.Name, spec.TemplateId, StringComparison.OrdinalIgnoreCase)));
            if (template is null)
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, $"No template '{spec.TemplateId}'.", "template not found", ct);
                return;
            }
            await UpdateAsync(ctx, x => { x.PostingAt = time.GetUtcNow(); x.Attempts++; }, ct);
            try
            {
                var d = await provisioning.RequestAsync(ctx.Actor, new DeploymentRequest(template.VmId, spec.Name)
                {
                    Connection = t.Connection, RequireTemplate = true, Node = spec.NodeId, Storage = spec.Storage, Cores = spec.Cpu,
                    MemoryMb = spec.MemoryMb, Start = spec.Start,
                }, ct);
                await UpdateAsync(ctx, x => x.DeploymentId = d.Id, ct);
                await PublishAsync(ctx, $"deployment {d.Id} requested");
            }
            catch (ValidationException ex)
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, ex.Message, Short(ex.Errors.Values.FirstOrDefault() ?? ex.Message), ct);
                return;
            }
        }
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(ctx.Op.TaskTimeoutSeconds);
        while (true)
        {
            var d = await provisioning.GetAsync(t.DeploymentId!, ct);
            if (d is null)
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, $"Deployment {t.DeploymentId} disappeared.", "deployment missing", ct);
                return;
            }
            if (d.Upid != t.Upid || d.VmId != t.VmId) await UpdateAsync(ctx, x => { x.Upid = d.Upid; x.VmId = d.VmId; }, ct);
            if (d.Status == DeploymentStatus.Active)
            {
                await FinishAsync(ctx, BulkTaskStatus.Succeeded, $"VM {d.VmId} '{d.Name}' created on {d.TargetNode}.", null, ct);
                return;
            }
            if (d.Status == DeploymentStatus.Error)
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, d.LastError ?? "Deployment failed.", Short(d.LastError ?? "Deployment failed."), ct);
                return;
            }
            if (time.GetUtcNow() > deadline)
            {
                await FinishAsync(ctx, BulkTaskStatus.Failed, $"Deployment {d.Id} still {d.Status} after {ctx.Op.TaskTimeoutSeconds} s.", "timeout", ct);
                return;
            }
            await Task.Delay(_options.FollowInterval, time, ct);
        }
    }

    private async Task ReleaseForRetryAsync(Ctx ctx, string message, CancellationToken ct)
    {
        var t = ctx.Task;
        if (t.Attempts >= ctx.Op.MaxAttempts && t.Upid is null)
        {
            // Out of attempts: only fail when PVE proves no task started (else it is adopted next time round).
            await UpdateAsync(ctx, x => x.Message = $"Attempt {x.Attempts} failed: {message}", ct);
            if (t.PostingAt is not null && await StartedSinceMarkerAsync(ctx, ct) is { } adopted)
            {
                await UpdateAsync(ctx, x => x.Upid = adopted, ct);
                await ReleaseAsync(ctx, TimeSpan.Zero, $"Found task {adopted} after a transient failure; following it.", ct);
                return;
            }
            await FinishAsync(ctx, BulkTaskStatus.Failed, $"Gave up after {t.Attempts} attempt(s): {message}", Short(message), ct);
            return;
        }
        var delay = TimeSpan.FromTicks(_options.RetryBackoff.Ticks * (1L << Math.Clamp(t.Attempts - 1, 0, 6)));
        await ReleaseAsync(ctx, delay, $"Attempt {t.Attempts} failed ({message}); retrying in {delay.TotalSeconds:0.#} s.", ct);
    }

    private async Task<string?> StartedSinceMarkerAsync(Ctx ctx, CancellationToken ct)
    {
        try
        {
            var t = ctx.Task;
            var type = t.Step == 0 ? BulkRules.TaskType("snapshot", t.GuestType)! : BulkRules.TaskType(t.Action, t.GuestType)!;
            var since = t.PostingAt!.Value - _options.ClockSkew;
            // A snapshot-delete task's earlier deletions are not the one in hand.
            var done = t.Action == "snapshot-delete" ? DeleteState(t).Upids : [];
            return (await connections.Get(t.Connection).GetGuestTasksSinceAsync(t.Node, t.VmId!.Value, since, type, ct))
                .Where(x => x.Type == type && x.StartTime >= since.AddSeconds(-1) && !done.Contains(x.Upid)).OrderBy(x => x.StartTime).FirstOrDefault()?.Upid;
        }
        catch (ProxmoxException)
        {
            return null;
        }
    }

    private async Task ReleaseAsync(Ctx ctx, TimeSpan delay, string message, CancellationToken ct)
    {
        await UpdateAsync(ctx, x =>
        {
            x.Status = BulkTaskStatus.Pending;
            x.NotBefore = time.GetUtcNow() + delay;
            x.ClaimedBy = null;
            x.LeaseUntil = null;
            x.Message = message;
        }, ct);
        await PublishAsync(ctx, message);
    }

    private async Task FinishAsync(Ctx ctx, string status, string message, string? error, CancellationToken ct)
    {
        await UpdateAsync(ctx, x =>
        {
            x.Status = status;
            x.Message = message;
            x.Error = error;
            x.FinishedAt = time.GetUtcNow();
            x.LeaseUntil = null; // ClaimedBy stays: which instance ran it
        }, ct);
        await PublishAsync(ctx, $"{status}: {message}");
    }

    private async Task UpdateAsync(Ctx ctx, Action<BulkTask> change, CancellationToken ct)
    {
        if (!await store.UpdateTaskAsync(ctx.Task.Id, ctx.Owner, change, ct)) throw new ClaimLostException();
        change(ctx.Task);
    }

    /// <summary>A task event with the operation's counts as committed now (over every instance). The counts are read only
    /// while someone watches the operation: an unwatched 1,000-task run costs no extra queries.</summary>
    private async Task PublishAsync(Ctx ctx, string line)
    {
        var t = ctx.Task;
        var counts = BulkCounts.Empty;
        if (feed.IsWatched(ctx.Op.Id))
        {
            try
            {
                counts = await store.CountsAsync(ctx.Op.Id, CancellationToken.None);
            }
            catch (Exception ex) when (IsDatabaseError(ex))
            {
                _logger.LogDebug(ex, "Counts of {Operation} not read for a progress event", ctx.Op.Id);
            }
        }
        feed.Publish(new BulkProgressEvent(ctx.Op.Id, BulkStatus.Running, counts, time.GetUtcNow(), t.Id, t.VmId, t.VmName, t.Status, t.Upid,
            $"{t.VmName}{(t.VmId is { } id ? $" ({id})" : "")}: {line}"));
    }

    /// <summary>The database failed (unreachable, timed out, pool exhausted, a transient error): nothing about the task was
    /// decided, so it is released, never failed.</summary>
    public static bool IsDatabaseError(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is System.Data.Common.DbException) return true;
        return false;
    }

    /// <summary>PVE could not be reached or answered a gateway/availability error: nothing was decided.</summary>
    public static bool IsTransient(ProxmoxException ex) => ex.StatusCode is null or 502 or 503 or 504 or 595 or 596;

    private static string SuccessMessage(BulkTask t) => t.Action switch
    {
        "start" => "VM started successfully",
        "stop" => "VM stopped successfully",
        "shutdown" => "VM shut down successfully",
        "reboot" => "VM rebooted successfully",
        "suspend" => "VM suspended successfully",
        "resume" => "VM resumed successfully",
        "snapshot" => $"Snapshot {t.ProposedName} created",
        "backup" => "Backup finished",
        "delete" => "VM removed",
        _ => "Done",
    };

    private static string Short(string s) => s.Length <= 500 ? s : s[..500];
}
