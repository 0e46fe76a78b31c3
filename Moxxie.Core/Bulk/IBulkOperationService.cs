using Moxxie.Core.Security;

namespace Moxxie.Core.Bulk;

/// <summary>Bulk operations: plan (dry run), submit, execute a plan exactly, follow, abort, retry the failed. Submitting
/// commits the operation and one task per VM, then returns; the background worker runs the tasks (any Moxxie instance on
/// the same database may). Viewers are refused (<see cref="ForbiddenException"/>); bad requests throw
/// <see cref="Validation.ValidationException"/> with per-field details.</summary>
public interface IBulkOperationService
{
    /// <summary>The plan for a request without running anything (the dry run). Kept as an operation in status
    /// <see cref="BulkStatus.Planned"/> whose id is <see cref="BulkPlan.PlanId"/>.</summary>
    Task<BulkPlan> PlanAsync(Actor actor, BulkRequest request, CancellationToken ct);

    /// <summary>Plans and queues at once. Entries that would not succeed become skipped tasks with their reason.</summary>
    Task<BulkSubmitResult> SubmitAsync(Actor actor, BulkRequest request, CancellationToken ct);

    /// <summary>Queues a plan made by <see cref="PlanAsync"/> exactly as planned: a VM that changed since (status, lock,
    /// protection, node) fails with the reason instead of being acted on. A plan runs once.</summary>
    Task<BulkSubmitResult> ExecutePlanAsync(Actor actor, string planId, CancellationToken ct);

    /// <summary>The operation with its tasks and plan; null when unknown.</summary>
    Task<BulkOperationView?> GetAsync(string id, CancellationToken ct);

    Task<BulkOperationPage> ListAsync(BulkListQuery query, CancellationToken ct);

    /// <summary>Cancels the tasks not started yet; with <paramref name="stopRunningTasks"/> also asks PVE to stop the
    /// tasks still running. Final once the running ones end.</summary>
    Task<BulkOperationView> AbortAsync(Actor actor, string id, bool stopRunningTasks, CancellationToken ct);

    /// <summary>A new operation (RetryOf = id) for the failed tasks only, planned afresh with the same parameters.</summary>
    Task<BulkSubmitResult> RetryFailedAsync(Actor actor, string id, CancellationToken ct);
}
