namespace Moxxie.Core.Scheduling;

/// <summary>Carries out a run: Moxxie's implementation (<c>BulkRunExecutor</c>) hands it to the bulk engine, which owns
/// execution (limits, durability, audit, live progress). The scheduler only decides when and for which VMs.</summary>
public interface IScheduledRunExecutor
{
    /// <summary>Submits the run; writes what it started into <see cref="ScheduledRunContext.Run"/> (OperationId) and returns
    /// null, or returns the outcome when the run is complete at once (e.g. a dry run).</summary>
    Task<ScheduledRunOutcome?> StartAsync(ScheduledRunContext context, CancellationToken ct);

    /// <summary>Moves a started run on (e.g. submits the "keep newest N" prune once the snapshots exist): the outcome once
    /// everything it started has ended, null while it is still going. May update <see cref="ScheduledJobRun.OperationId"/>.</summary>
    Task<ScheduledRunOutcome?> AdvanceAsync(ScheduledRunContext context, CancellationToken ct);
}

/// <summary>The job, its checked parameters, the VMs the selectors chose at the run's start (empty in AdvanceAsync) and
/// the run row (tracked by the caller, saved after each call).</summary>
public sealed record ScheduledRunContext(ScheduledJob Job, JobParameters Parameters, IReadOnlyList<SelectableVm> Vms, ScheduledJobRun Run, TimeZoneInfo Zone);

public sealed record ScheduledRunOutcome(IReadOnlyList<ScheduledRunVmResult> Results, string? Message = null)
{
    public int Succeeded => Results.Count(r => r.Status == ScheduledRunStatus.Success);
    public int Failed => Results.Count(r => r.Status == ScheduledRunStatus.Failed);

    public string Status => Results.Count == 0 ? ScheduledRunStatus.Success
        : Failed == 0 ? ScheduledRunStatus.Success
        : Succeeded == 0 ? ScheduledRunStatus.Failed
        : ScheduledRunStatus.Partial;
}
