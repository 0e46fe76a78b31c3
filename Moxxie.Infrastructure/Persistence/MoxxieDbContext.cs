using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Clusters;
using Moxxie.Core.Persistence;
using Moxxie.Core.Preferences;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>
/// The one database: Identity's tables, Data Protection keys, audit log, stored PVE connections, personal API
/// tokens, user preferences and snapshot TTLs. Provider-specific subclasses (<see cref="SqliteMoxxieDbContext"/>, <see cref="PostgresMoxxieDbContext"/>)
/// exist only so that each provider has its own migrations.
/// </summary>
public abstract class MoxxieDbContext(DbContextOptions options) : IdentityDbContext<MoxxieUser>(options), IDataProtectionKeyContext, IMoxxieDb
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ProxmoxConnectionEntity> ProxmoxConnections => Set<ProxmoxConnectionEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();
    public DbSet<SnapshotTtl> SnapshotTtls => Set<SnapshotTtl>();
    public DbSet<Core.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Core.Idempotency.IdempotencyRecord>();
    public DbSet<Core.Deployments.Deployment> Deployments => Set<Core.Deployments.Deployment>();
    public DbSet<Core.Deployments.DeploymentEvent> DeploymentEvents => Set<Core.Deployments.DeploymentEvent>();
    public DbSet<Core.Tags.SavedTagExpression> SavedTagExpressions => Set<Core.Tags.SavedTagExpression>();
    public DbSet<Core.Tags.TagCatalogEntry> TagCatalog => Set<Core.Tags.TagCatalogEntry>();
    public DbSet<Core.Bulk.BulkOperation> BulkOperations => Set<Core.Bulk.BulkOperation>();
    public DbSet<Core.Bulk.BulkTask> BulkTasks => Set<Core.Bulk.BulkTask>();
    public DbSet<Core.Scheduling.ScheduledJob> ScheduledJobs => Set<Core.Scheduling.ScheduledJob>();
    public DbSet<Core.Scheduling.ScheduledJobRun> ScheduledJobRuns => Set<Core.Scheduling.ScheduledJobRun>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    Task<int> IMoxxieDb.SaveChangesAsync(CancellationToken ct) => SaveChangesAsync(ct);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>().ToTable("DataProtectionKeys");
        builder.ApplyConfigurationsFromAssembly(typeof(MoxxieDbContext).Assembly, t => t.Namespace == typeof(Configurations.AuditEntryConfiguration).Namespace);
    }

    /// <summary>DateTimeOffset values are stored as UTC ticks (bigint) on both providers: SQLite cannot order
    /// DateTimeOffset text, and one representation keeps both schemas alike.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class SqliteMoxxieDbContext(DbContextOptions<SqliteMoxxieDbContext> options) : MoxxieDbContext(options);

public sealed class PostgresMoxxieDbContext(DbContextOptions<PostgresMoxxieDbContext> options) : MoxxieDbContext(options);
