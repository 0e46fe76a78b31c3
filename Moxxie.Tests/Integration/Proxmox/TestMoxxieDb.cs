using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Clusters;
using Moxxie.Core.Persistence;
using Moxxie.Core.Preferences;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>A minimal IMoxxieDb over an in-memory SQLite database (one shared connection), for testing the connection
/// registry and ConnectionService without the full persistence layer.</summary>
public sealed class TestMoxxieDb(DbContextOptions<TestMoxxieDb> options) : DbContext(options), IMoxxieDb
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ProxmoxConnectionEntity> ProxmoxConnections => Set<ProxmoxConnectionEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();
    public DbSet<SnapshotTtl> SnapshotTtls => Set<SnapshotTtl>();
    public DbSet<Moxxie.Core.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Moxxie.Core.Idempotency.IdempotencyRecord>();
    public DbSet<Moxxie.Core.Deployments.Deployment> Deployments => Set<Moxxie.Core.Deployments.Deployment>();
    public DbSet<Moxxie.Core.Deployments.DeploymentEvent> DeploymentEvents => Set<Moxxie.Core.Deployments.DeploymentEvent>();
    public DbSet<Moxxie.Core.Tags.SavedTagExpression> SavedTagExpressions => Set<Moxxie.Core.Tags.SavedTagExpression>();
    public DbSet<Moxxie.Core.Tags.TagCatalogEntry> TagCatalog => Set<Moxxie.Core.Tags.TagCatalogEntry>();
    public DbSet<Moxxie.Core.Bulk.BulkOperation> BulkOperations => Set<Moxxie.Core.Bulk.BulkOperation>();
    public DbSet<Moxxie.Core.Bulk.BulkTask> BulkTasks => Set<Moxxie.Core.Bulk.BulkTask>();
    public DbSet<Moxxie.Core.Scheduling.ScheduledJob> ScheduledJobs => Set<Moxxie.Core.Scheduling.ScheduledJob>();
    public DbSet<Moxxie.Core.Scheduling.ScheduledJobRun> ScheduledJobRuns => Set<Moxxie.Core.Scheduling.ScheduledJobRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AuditEntry>();
        modelBuilder.Entity<ProxmoxConnectionEntity>().HasIndex(c => c.Name).IsUnique();
        modelBuilder.Entity<ApiTokenEntity>();
        modelBuilder.Entity<UserPreference>().HasKey(p => new { p.UserId, p.Key });
        modelBuilder.Entity<SnapshotTtl>().Property(t => t.ExpiresAt).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
        modelBuilder.Entity<SnapshotTtl>().Property(t => t.CreatedAt).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
        modelBuilder.Entity<Moxxie.Core.Deployments.Deployment>().Property(t => t.CreatedAt).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
        modelBuilder.Entity<Moxxie.Core.Deployments.Deployment>().Property(t => t.UpdatedAt).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
        modelBuilder.Entity<Moxxie.Core.Tags.TagCatalogEntry>().HasKey(e => e.Name);
        modelBuilder.Entity<Moxxie.Core.Tags.TagCatalogEntry>().Property(t => t.UpdatedAt).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
        modelBuilder.Entity<Moxxie.Core.Deployments.DeploymentEvent>().Property(t => t.Time).HasConversion(t => t.UtcTicks, t => new DateTimeOffset(t, TimeSpan.Zero));
    }
}

public sealed class TestMoxxieDbFactory : IMoxxieDbFactory, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<TestMoxxieDb> _options;

    public TestMoxxieDbFactory()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<TestMoxxieDb>().UseSqlite(_connection).Options;
        using var db = new TestMoxxieDb(_options);
        db.Database.EnsureCreated();
    }

    public Task<IMoxxieDb> CreateAsync(CancellationToken ct) => Task.FromResult<IMoxxieDb>(new TestMoxxieDb(_options));

    public void Dispose() => _connection.Dispose();
}

/// <summary>Reversible but visibly "encrypted" (never equal to the plaintext).</summary>
public sealed class TestSecretProtector : ISecretProtector
{
    public string Protect(string plaintext) => "enc:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new string(plaintext.Reverse().ToArray())));

    public string Unprotect(string protectedText) =>
        protectedText.StartsWith("enc:", StringComparison.Ordinal)
            ? new string(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(protectedText[4..])).Reverse().ToArray())
            : throw new System.Security.Cryptography.CryptographicException("not protected by this protector");
}
