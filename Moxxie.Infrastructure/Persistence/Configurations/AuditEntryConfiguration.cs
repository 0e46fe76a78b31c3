using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Audit;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasKey(e => e.Id);
        b.Property(e => e.User).HasMaxLength(256);
        b.Property(e => e.SourceIp).HasMaxLength(64);
        b.Property(e => e.Operation).HasMaxLength(64);
        b.Property(e => e.ResourceType).HasMaxLength(32);
        b.Property(e => e.ResourceId).HasMaxLength(128);
        b.Property(e => e.Node).HasMaxLength(128);
        b.Property(e => e.Connection).HasMaxLength(128);
        b.Property(e => e.Upid).HasMaxLength(256);
        b.HasIndex(e => e.Timestamp);
        b.HasIndex(e => e.Upid);
    }
}
