using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;

namespace Moxxie.Core.Scheduling;

/// <summary>
/// Runs a scheduled job through the bulk engine (<see cref="IBulkOperationService"/>): one bulk operation per connection
/// over the VMIDs the selectors chose, with Source "scheduler job {id} fire {fireTime:O}" (MANUAL runs: "… manual …"), so
/// the run inherits the engine's limits, durability, audit and live progress. The operation ids go on the run row
/// (comma-separated; a later phase after '|'). Before submitting it looks for an operation with the same Source, so a
/// restart between submit and save does not submit twice. The outcome is read from the operations' tasks.
/// snapshot_delete is the engine's "delete snapshots" (age, name pattern, TTL marker, safe mode; a dry run plans and
/// reports without deleting). snapshot_create with maxSnapshots has a second phase once the snapshots exist: a "delete
/// snapshots" keeping the newest N this job made on each VM (<see cref="SnapshotSelection.MadeByJob"/>), Source "… prune".
/// </summary>
public sealed class BulkRunExecutor(IServiceScopeFactory scopes) : IScheduledRunExecutor
{
    private const string Created = "Snapshot created: ";
    private const string PruneSuffix = " prune";

    public static string Source(ScheduledJob job, ScheduledJobRun run) =>
        run.Trigger == ScheduledRunTrigger.Manual
            ? string.Create(CultureInfo.InvariantCulture, $"scheduler job {job.Id} manual {run.FireTime:O}")
            : string.Create(CultureInfo.InvariantCulture, $"scheduler job {job.Id} fire {run.FireTime:O}");

    public async Task<ScheduledRunOutcome?> StartAsync(ScheduledRunContext context, CancellationToken ct)
    {
        var (job, run) = (context.Job, context.Run);
        using var scope = scopes.CreateScope();
        var bulk = Bulk(scope);
        var source = Source(job, run);
        var multi = context.Vms.Select(v => v.Connection).Distinct().Count() > 1;
        if (context.Parameters is SnapshotDeleteParameters { DryRun: true })
        {
            // A dry run plans (nothing is deleted) and reports per VM what would go and what stays.
            var results = new List<ScheduledRunVmResult>();
            foreach (var group in context.Vms.GroupBy(v => v.Connection, StringComparer.Ordinal))
            {
                var plan = await bulk.PlanAsync(Actor.System, Request(context, [.. group.Select(v => v.Guest.VmId)], group.Key, source), ct);
                results.AddRange(plan.Entries.Select(DryRunResult));
            }
            return new ScheduledRunOutcome(results);
        }
        var ids = new List<string>();
        foreach (var group in context.Vms.GroupBy(v => v.Connection, StringComparer.Ordinal))
        {
            var request = Request(context, [.. group.Select(v => v.Guest.VmId)], group.Key, source + (multi ? $" connection {group.Key}" : ""));
            ids.Add(await SubmitOnceAsync(bulk, request, ct));
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
        var views = new List<List<BulkOperationView>>();
        foreach (var phase in phases)
        {
            var list = new List<BulkOperationView>();
            foreach (var id in phase.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var view = await bulk.GetAsync(id, ct);
                if (view is null) return new ScheduledRunOutcome([], $"Bulk operation {id} is gone.");
                if (!BulkStatus.IsFinal(view.Status)) return null;
                list.Add(view);
            }
            views.Add(list);
        }

        var results = views[0].SelectMany(v => v.Tasks).Select(Result).ToList();
        if (context.Parameters is SnapshotCreateParameters { MaxSnapshots: { } keep })
        {
            if (phases.Length == 1)
            {
                // The snapshots exist now: keep only the newest N this job made on each VM that got one.
                var made = views[0].SelectMany(v => v.Tasks).Where(t => t.Success && t.VmId is not null).ToList();
                if (made.Count == 0) return new ScheduledRunOutcome(results);
                var source = Source(context.Job, run) + PruneSuffix;
                var groups = made.GroupBy(t => t.Connection, StringComparer.Ordinal).ToList();
                var ids = new List<string>();
                foreach (var group in groups)
                {
                    ids.Add(await SubmitOnceAsync(bulk, new BulkRequest
                    {
                        Kind = BulkKinds.SnapshotDelete,
                        Selection = new BulkSelection(VmIds: [.. group.Select(t => t.VmId!.Value).Distinct()], Connection: group.Key),
                        SnapshotDelete = new BulkSnapshotDeleteParameters(KeepNewest: keep, MadeByJob: context.Job.Id),
                        Source = source + (groups.Count > 1 ? $" connection {group.Key}" : ""),
                    }, ct));
                }
                run.OperationId += "|" + string.Join(',', ids);
                return null;
            }
            var prune = views[1].SelectMany(v => v.Tasks).Where(t => t.VmId is not null)
                .ToDictionary(t => (t.Connection, t.VmId!.Value));
            results = [.. results.Select(r => prune.TryGetValue((r.Connection ?? "", r.VmId), out var p) ? WithPrune(r, p, keep) : r)];
        }
        return new ScheduledRunOutcome(results);
    }

    private static ScheduledRunVmResult WithPrune(ScheduledRunVmResult r, BulkTaskView p, int keep) => p.Status switch
    {
        BulkTaskStatus.Succeeded => r with { Message = $"{r.Message}; kept the newest {keep}: {p.Message}" },
        BulkTaskStatus.Skipped => r with { Message = $"{r.Message}; kept the newest {keep}: nothing older to delete" },
        _ => r with { Status = ScheduledRunStatus.Failed, Message = $"{r.Message}; keeping the newest {keep} failed: {p.Error ?? p.Message ?? p.Status}" },
    };

    /// <summary>Submits, unless an operation with the same Source exists (a restart between submit and saving the run).</summary>
    private static async Task<string> SubmitOnceAsync(IBulkOperationService bulk, BulkRequest request, CancellationToken ct)
    {
        var existing = await bulk.ListAsync(new BulkListQuery(PageSize: 5, SourcePrefix: request.Source), ct);
        if (existing.Items.FirstOrDefault(o => o.Source == request.Source) is { } again) return again.Id;
        return (await bulk.SubmitAsync(Actor.System, request, ct)).OperationId;
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
            SnapshotDeleteParameters p => new BulkRequest
            {
                Kind = BulkKinds.SnapshotDelete, Selection = selection, Source = source,
                SnapshotDelete = p.ToBulkParameters(),
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

    /// <summary>A dry run's line per VM: what would be deleted (SUCCESS), nothing to delete (SKIPPED, as a real run reports
    /// it), or why it would fail (FAILED, e.g. locked).</summary>
    private static ScheduledRunVmResult DryRunResult(BulkPlanEntry e)
    {
        var doomed = e.Snapshots?.Where(d => d.Delete).Select(d => d.Name).ToList() ?? [];
        if (e.WouldSucceed)
            return new(e.VmId ?? 0, e.VmName, e.Connection, ScheduledRunStatus.Success, "Dry run, would delete: " + string.Join(", ", doomed));
        var status = e.ReasonCode == BulkReasons.NoChange ? ScheduledRunStatus.Skipped : ScheduledRunStatus.Failed;
        return new(e.VmId ?? 0, e.VmName, e.Connection, status, "Dry run: " + (e.Reason ?? "would not succeed"));
    }
}
