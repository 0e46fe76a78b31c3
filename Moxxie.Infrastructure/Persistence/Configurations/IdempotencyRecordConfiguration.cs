using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Idempotency;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyRecords");
        b.HasKey(e => e.Id);
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.Key).HasMaxLength(IdempotencyService.MaxKeyLength);
        b.Property(e => e.RequestHash).HasMaxLength(64);
        b.Property(e => e.Method).HasMaxLength(16);
        b.Property(e => e.Path).HasMaxLength(IdempotencyService.MaxPathLength);
        b.Property(e => e.ContentType).HasMaxLength(256);
        b.HasIndex(e => new { e.UserId, e.Key }).IsUnique();
        b.HasIndex(e => e.CreatedAt);
    }
}
