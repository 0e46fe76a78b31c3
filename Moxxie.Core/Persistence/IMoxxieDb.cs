using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Clusters;
using Moxxie.Core.Preferences;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;

namespace Moxxie.Core.Persistence;

/// <summary>
/// Core's view of the database: the DbSets Core services query with plain LINQ. Implemented by Infrastructure's
/// MoxxieDbContext (which also holds Identity's and Data Protection's tables). Core references EF Core for DbSet only,
/// never a provider. Create one per operation through <see cref="IMoxxieDbFactory"/>.
/// </summary>
public interface IMoxxieDb : IAsyncDisposable
{
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<ProxmoxConnectionEntity> ProxmoxConnections { get; }
    DbSet<ApiTokenEntity> ApiTokens { get; }
    DbSet<UserPreference> UserPreferences { get; }
    DbSet<SnapshotTtl> SnapshotTtls { get; }
    DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords { get; }
    DbSet<Deployments.Deployment> Deployments { get; }
    DbSet<Deployments.DeploymentEvent> DeploymentEvents { get; }
    DbSet<Tags.SavedTagExpression> SavedTagExpressions { get; }
    DbSet<Tags.TagCatalogEntry> TagCatalog { get; }
    DbSet<Bulk.BulkOperation> BulkOperations { get; }
    DbSet<Bulk.BulkTask> BulkTasks { get; }
    DbSet<Scheduling.ScheduledJob> ScheduledJobs { get; }
    DbSet<Scheduling.ScheduledJobRun> ScheduledJobRuns { get; }

    Task<int> SaveChangesAsync(CancellationToken ct = default);
}

public interface IMoxxieDbFactory
{
    Task<IMoxxieDb> CreateAsync(CancellationToken ct);
}
