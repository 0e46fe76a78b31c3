using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Bulk;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class BulkOperationConfiguration : IEntityTypeConfiguration<BulkOperation>
{
    public void Configure(EntityTypeBuilder<BulkOperation> b)
    {
        b.ToTable("BulkOperations");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).HasMaxLength(24);
        b.Property(e => e.Kind).HasMaxLength(16);
        b.Property(e => e.Action).HasMaxLength(16);
        b.Property(e => e.Status).HasMaxLength(16).IsConcurrencyToken();
        b.Property(e => e.RequestedBy).HasMaxLength(256);
        b.Property(e => e.RequestedFrom).HasMaxLength(64);
        b.Property(e => e.Source).HasMaxLength(256);
        b.Property(e => e.Tenant).HasMaxLength(128);
        b.Property(e => e.RetryOf).HasMaxLength(24);
        b.Property(e => e.AbortRequestedBy).HasMaxLength(256);
        b.HasIndex(e => e.CreatedAt);
        b.HasIndex(e => e.Status);
    }
}

public sealed class BulkTaskConfiguration : IEntityTypeConfiguration<BulkTask>
{
    public void Configure(EntityTypeBuilder<BulkTask> b)
    {
        b.ToTable("BulkTasks");
        b.HasKey(e => e.Id);
        b.Property(e => e.OperationId).HasMaxLength(24);
        b.Property(e => e.Connection).HasMaxLength(128);
        b.Property(e => e.Node).HasMaxLength(64);
        b.Property(e => e.VmName).HasMaxLength(128);
        b.Property(e => e.GuestType).HasMaxLength(8);
        b.Property(e => e.Action).HasMaxLength(16);
        b.Property(e => e.ProposedName).HasMaxLength(128);
        b.Property(e => e.PlannedStatus).HasMaxLength(16);
        b.Property(e => e.PlannedLock).HasMaxLength(32);
        b.Property(e => e.Status).HasMaxLength(16);
        b.Property(e => e.Upid).HasMaxLength(256);
        b.Property(e => e.PreSnapshotUpid).HasMaxLength(256);
        b.Property(e => e.DeploymentId).HasMaxLength(24);
        b.Property(e => e.Error).HasMaxLength(512);
        b.Property(e => e.ClaimedBy).HasMaxLength(128).IsConcurrencyToken();
        b.HasIndex(e => new { e.OperationId, e.Seq });
        b.HasIndex(e => new { e.Status, e.NotBefore });
    }
}
