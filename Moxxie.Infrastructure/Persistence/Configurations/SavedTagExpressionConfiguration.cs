using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Tags;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class SavedTagExpressionConfiguration : IEntityTypeConfiguration<SavedTagExpression>
{
    public void Configure(EntityTypeBuilder<SavedTagExpression> b)
    {
        b.ToTable("SavedTagExpressions");
        b.HasKey(e => e.Id);
        b.Property(e => e.Name).HasMaxLength(SavedTagExpressionService.MaxNameLength);
        b.Property(e => e.Expression).HasMaxLength(SavedTagExpressionService.MaxExpressionLength);
        b.Property(e => e.OwnerUserName).HasMaxLength(256);
        b.Property(e => e.CreatedBy).HasMaxLength(256);
        b.HasIndex(e => e.OwnerUserName);
    }
}
