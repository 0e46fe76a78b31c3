using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Snapshots;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class SnapshotTtlConfiguration : IEntityTypeConfiguration<SnapshotTtl>
{
    public void Configure(EntityTypeBuilder<SnapshotTtl> b)
    {
        b.ToTable("SnapshotTtls");
        b.HasKey(e => e.Id);
        b.Property(e => e.Connection).HasMaxLength(128);
        b.Property(e => e.SnapshotName).HasMaxLength(SnapshotRules.MaxNameLength);
        b.Property(e => e.CreatedBy).HasMaxLength(256);
        b.Property(e => e.Upid).HasMaxLength(256);
        b.HasIndex(e => e.ExpiresAt);
        b.HasIndex(e => new { e.Connection, e.VmId, e.SnapshotName }).IsUnique();
    }
}
