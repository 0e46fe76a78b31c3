using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Nodes;
using Moxxie.Core.Tags;
using Moxxie.Core.Tasks;
using Moxxie.Core.VmDetail;
using Moxxie.Core.Vms;

namespace Moxxie.Core;

public static class DependencyInjection
{
    /// <summary>Registers Core services (InventoryHub, VmService, TaskService, ClusterService, ConnectionService, TimeProvider).
    /// The ports (IProxmoxConnections, ITaskTracker, IAuditLog, IMoxxieDbFactory, ISecretProtector) come from Infrastructure.</summary>
    public static IServiceCollection AddMoxxieCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InventoryHub>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Idempotency.IdempotencyService>(sp));
        // Factories (not type registrations): VmService and ConnectionService need ports that persistence provides
        // (IAuditLog, IMoxxieDbFactory, ISecretProtector); build-time validation must not fail where they are not used.
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<VmService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<TaskService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<ClusterService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<ConnectionService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<TagService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<SavedTagExpressionService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<TagOperationsService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<TagCatalogService>(sp));
        services.TryAddSingleton<TagPalette>();
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<DashboardService>(sp));
        services.TryAddSingleton<DashboardViewCache>();
        services.TryAddSingleton<Storage.StorageConfigCache>();
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Storage.StorageService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Network.NetworkService>(sp));
        services.TryAddSingleton<NodeInfoCache>();
        services.TryAddSingleton<VmRowCache>();
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Preferences.UserPreferenceService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<VmListService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<NodeManagementService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<VmDetailService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Snapshots.SnapshotService>(sp));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Snapshots.SnapshotReaper>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Restore.RestoreService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Backups.BackupService>(sp));
        services.TryAddSingleton<Deployments.DeploymentQueue>();
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Deployments.VmProvisioningService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Lifecycle.VmLifecycleService>(sp));
        services.TryAddSingleton<Scheduling.IScheduledRunExecutor>(sp => ActivatorUtilities.CreateInstance<Scheduling.BulkRunExecutor>(sp));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Scheduling.SchedulerEngine>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Scheduling.ScheduledJobService>(sp));
        services.TryAddSingleton<Bulk.BulkProgressFeed>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Tasks.PveTaskWatch>(sp));
        services.TryAddSingleton<Bulk.BulkWorkSignal>();
        services.TryAddScoped<Bulk.IBulkOperationService>(sp => ActivatorUtilities.CreateInstance<Bulk.BulkOperationService>(sp));
        services.TryAddScoped(sp => ActivatorUtilities.CreateInstance<Bulk.BulkExecutor>(sp));
        return services;
    }
}
