using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Bulk;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Core.Scheduling;

/// <summary>
/// Runs a scheduled job through the bulk engine (<see cref="IBulkOperationService"/>): one bulk operation per connection
/// over the VMIDs the selectors chose, with Source "scheduler job {id} fire {fireTime:O}" (MANUAL runs: "… manual …"), so
/// the run inherits the engine's limits, durability, audit and live progress. The operation ids go on the run row
/// (comma-separated; a later phase after '|'). Before submitting it looks for an operation with the same Source, so a
/// restart between submit and save does not submit twice. The outcome is read from the operations' tasks.
/// snapshot_delete and the maxSnapshots prune decide here which snapshots go (read from PVE) and need the engine's
/// snapshot deletion (requested in the bulk contract); until then a dry run reports them and a real run says so per VM.
/// </summary>
public sealed class BulkRunExecutor(IServiceScopeFactory scopes, IMoxxieDbFactory dbFactory, IProxmoxConnections connections, InventoryHub inventory, TimeProvider time)
    : IScheduledRunExecutor
{
    private const string Created = "Snapshot created: ";

    public static string Source(ScheduledJob job, ScheduledJobRun run) =>
        run.Trigger == ScheduledRunTrigger.Manual
            ? string.Create(CultureInfo.InvariantCulture, $"scheduler job {job.Id} manual {run.FireTime:O}")
            : string.Create(CultureInfo.InvariantCulture, $"scheduler job {job.Id} fire {run.FireTime:O}");

    public async Task<ScheduledRunOutcome?> StartAsync(ScheduledRunContext context, CancellationToken ct)
    {
        var (job, run) = (context.Job, context.Run);
        if (context.Parameters is SnapshotDeleteParameters delete)
        {
            // Decided now, from PVE's snapshot lists; the results are the run's outcome.
            return new ScheduledRunOutcome(await PlanDeletesAsync(job, delete, context.Vms, ct));
        }
        var ids = new List<string>();
        using var scope = scopes.CreateScope();
        var bulk = Bulk(scope);
        var source = Source(job, run);
        foreach (var group in context.Vms.GroupBy(v => v.Connection, StringComparer.Ordinal))
        {
            var request = Request(context, [.. group.Select(v => v.Guest.VmId)], group.Key, source + (context.Vms.Select(v => v.Connection).Distinct().Count() > 1 ? $" connection {group.Key}" : ""));
            var existing = await bulk.ListAsync(new BulkListQuery(PageSize: 5, SourcePrefix: request.Source), ct);
            if (existing.Items.FirstOrDefault(o => o.Source == request.Source) is { } again)
            {
                ids.Add(again.Id);
                continue;
            }
            ids.Add((await bulk.SubmitAsync(Actor.System, request, ct)).OperationId);
        }
        run.OperationId = string.Join(',', ids);
        return null;
    }

    public async Task<ScheduledRunOutcome?> AdvanceAsync(ScheduledRunContext context, CancellationToken ct)
    {
        var run = context.Run;
        var phases = run.OperationId!.Split('|');
        using var scope = scopes.CreateScope();
        var bulk = Bulk(scope);
        var views = new List<BulkOperationView>();
        foreach (var id in phases.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            var view = await bulk.GetAsync(id, ct);
            if (view is null) return new ScheduledRunOutcome([], $"Bulk operation {id} is gone.");
            if (!BulkStatus.IsFinal(view.Status)) return null;
            views.Add(view);
        }

        var results = views.SelectMany(v => v.Tasks).Select(Result).ToList();
        if (phases.Length == 1 && context.Parameters is SnapshotCreateParameters { MaxSnapshots: { } keep })
        {
            var prune = await PlanPruneAsync(context.Job, keep, [.. views.SelectMany(v => v.Tasks).Where(t => t.Success && t.VmId is not null)
                .Select(t => (t.Connection, t.VmId!.Value, t.VmName)).Distinct()], ct);
            results = [.. results.Select(r => prune.FirstOrDefault(p => p.VmId == r.VmId && p.Connection == r.Connection) is { } p
                ? r with { Message = $"{r.Message}; {p.Message}", Status = p.Status == ScheduledRunStatus.Failed ? ScheduledRunStatus.Failed : r.Status }
                : r)];
        }
        return new ScheduledRunOutcome(results);
    }

    private static IBulkOperationService Bulk(IServiceScope scope) =>
        scope.ServiceProvider.GetService<IBulkOperationService>()
        ?? throw new InvalidOperationException("The bulk engine is not available in this build; scheduled runs need it.");

    private BulkRequest Request(ScheduledRunContext context, IReadOnlyList<int> vmIds, string connection, string source)
    {
        var selection = new BulkSelection(VmIds: vmIds, Connection: connection);
        var local = TimeZoneInfo.ConvertTime(context.Run.FireTime, context.Zone);
        return context.Parameters switch
        {
            SnapshotCreateParameters p => new BulkRequest
            {
                Kind = BulkKinds.Snapshot, Selection = selection, Source = source,
                // Date and time are the fire time in the job's zone; {vm} and {vmid} are filled per VM by the engine.
                Snapshot = new BulkSnapshotParameters(FillTime(p.SnapshotNamePattern, local), p.Description, p.SnapshotTtlHours, p.IncludeVmState),
            },
            BackupCreateParameters p => new BulkRequest
            {
                Kind = BulkKinds.Backup, Selection = selection, Source = source,
                Backup = new BulkBackupParameters(p.Storage, p.Mode, p.Compression, p.Notes, p.Protected),
            },
            PowerOnParameters => new BulkRequest { Kind = BulkKinds.Power, PowerAction = PowerAction.Start, Selection = selection, Source = source },
            PowerOffParameters p => new BulkRequest
            {
                Kind = BulkKinds.Power, Selection = selection, Source = source,
                PowerAction = p.Mode == "stop" ? PowerAction.Stop : PowerAction.Shutdown,
                Options = new BulkOptions { TimeoutSeconds = p.TimeoutSeconds },
            },
            _ => throw new InvalidOperationException($"Task type {context.Job.TaskType} has no bulk request."),
        };
    }

    internal static string FillTime(string pattern, DateTimeOffset local) => pattern
        .Replace("{datetime}", local.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{date}", local.ToString("yyyyMMdd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{time}", local.ToString("HHmmss", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static ScheduledRunVmResult Result(BulkTaskView t)
    {
        var status = t.Status switch
        {
            BulkTaskStatus.Succeeded => ScheduledRunStatus.Success,
            BulkTaskStatus.Skipped => ScheduledRunStatus.Skipped,
            _ => ScheduledRunStatus.Failed,
        };
        var message = t.Status switch
        {
            BulkTaskStatus.Succeeded when t.Action == "snapshot" && t.ProposedName is not null => Created + t.ProposedName,
            BulkTaskStatus.Succeeded => t.Message ?? $"{t.Action} done",
            BulkTaskStatus.Cancelled => "Cancelled",
            _ => t.Error ?? t.Message ?? t.Status,
        };
        return new ScheduledRunVmResult(t.VmId ?? 0, t.VmName, t.Connection, status, message);
    }

    private async Task<IReadOnlyList<ScheduledRunVmResult>> PlanDeletesAsync(ScheduledJob job, SnapshotDeleteParameters p, IReadOnlyList<SelectableVm> vms, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var results = new List<ScheduledRunVmResult>();
        foreach (var vm in vms)
        {
            try
            {
                var snapshots = await connections.Get(vm.Connection).GetSnapshotsAsync(vm.Guest.Node, vm.Guest.VmId, vm.Guest.Type, ct);
                var made = p.SafeMode ? await MadeByMoxxieAsync(vm.Connection, vm.Guest.VmId, null, ct) : new HashSet<string>();
                var doomed = SnapshotSelection.ToDelete(snapshots, p, made, now);
                if (doomed.Count == 0)
                    results.Add(new(vm.Guest.VmId, vm.Guest.Name, vm.Connection, ScheduledRunStatus.Success, "Nothing to delete"));
                else if (p.DryRun)
                    results.Add(new(vm.Guest.VmId, vm.Guest.Name, vm.Connection, ScheduledRunStatus.Success, "Dry run, would delete: " + string.Join(", ", doomed.Select(s => s.Name))));
                else
                    results.Add(new(vm.Guest.VmId, vm.Guest.Name, vm.Connection, ScheduledRunStatus.Failed,
                        "Not deleted (the bulk engine has no snapshot deletion yet): " + string.Join(", ", doomed.Select(s => s.Name))));
            }
            catch (ProxmoxException ex)
            {
                results.Add(new(vm.Guest.VmId, vm.Guest.Name, vm.Connection, ScheduledRunStatus.Failed, ex.Message));
            }
        }
        return results;
    }

    private async Task<IReadOnlyList<ScheduledRunVmResult>> PlanPruneAsync(ScheduledJob job, int keep, IReadOnlyList<(string Connection, int VmId, string VmName)> vms, CancellationToken ct)
    {
        var results = new List<ScheduledRunVmResult>();
        foreach (var (connection, vmId, name) in vms)
        {
            try
            {
                var guest = inventory.Get(connection)?.Resources.Guests.FirstOrDefault(g => g.VmId == vmId);
                if (guest is null) continue;
                var snapshots = await connections.Get(connection).GetSnapshotsAsync(guest.Node, vmId, guest.Type, ct);
                var mine = await MadeByMoxxieAsync(connection, vmId, job.Id, ct);
                var doomed = SnapshotSelection.Prune(snapshots, mine, keep);
                if (doomed.Count > 0)
                    results.Add(new(vmId, name, connection, ScheduledRunStatus.Failed,
                        $"keep newest {keep}: not pruned (the bulk engine has no snapshot deletion yet): " + string.Join(", ", doomed.Select(s => s.Name))));
            }
            catch (ProxmoxException ex)
            {
                results.Add(new(vmId, name, connection, ScheduledRunStatus.Failed, "Prune: " + ex.Message));
            }
        }
        return results;
    }

    /// <summary>Snapshot names Moxxie made on a VM: succeeded bulk snapshot tasks (only this job's when <paramref name="jobId"/>
    /// is given) and, for any job, audited SNAPSHOT_CREATE rows (the single-VM dialog and API).</summary>
    internal async Task<HashSet<string>> MadeByMoxxieAsync(string connection, int vmId, string? jobId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var prefix = jobId is null ? null : $"scheduler job {jobId} ";
        var fromBulk = await (from t in db.BulkTasks
                              join o in db.BulkOperations on t.OperationId equals o.Id
                              where o.Kind == BulkKinds.Snapshot && t.Status == BulkTaskStatus.Succeeded && t.Connection == connection && t.VmId == vmId
                                    && t.ProposedName != null && (prefix == null || o.Source.StartsWith(prefix))
                              select t.ProposedName!).ToListAsync(ct);
        var names = new HashSet<string>(fromBulk, StringComparer.Ordinal);
        if (jobId is null)
        {
            var idPrefix = vmId.ToString(CultureInfo.InvariantCulture) + "/";
            var audited = await db.AuditEntries.AsNoTracking()
                .Where(a => a.Operation == "SNAPSHOT_CREATE" && a.Success && a.Connection == connection && a.ResourceId != null && a.ResourceId.StartsWith(idPrefix))
                .Select(a => a.ResourceId!).ToListAsync(ct);
            names.UnionWith(audited.Select(r => r[idPrefix.Length..]));
        }
        return names;
    }
}
