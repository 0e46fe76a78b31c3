using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Tags;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class TagCatalogEntryConfiguration : IEntityTypeConfiguration<TagCatalogEntry>
{
    public void Configure(EntityTypeBuilder<TagCatalogEntry> b)
    {
        b.ToTable("TagCatalog");
        b.HasKey(e => e.Name);
        b.Property(e => e.Name).HasMaxLength(128);
        b.Property(e => e.Category).HasMaxLength(TagCatalogService.MaxCategoryLength);
        b.Property(e => e.Color).HasMaxLength(7);
        b.Property(e => e.Description).HasMaxLength(TagCatalogService.MaxDescriptionLength);
        b.Property(e => e.UpdatedBy).HasMaxLength(256);
    }
}
