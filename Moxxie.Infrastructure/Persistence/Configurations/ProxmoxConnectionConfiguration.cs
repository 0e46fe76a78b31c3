using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Clusters;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class ProxmoxConnectionConfiguration : IEntityTypeConfiguration<ProxmoxConnectionEntity>
{
    public void Configure(EntityTypeBuilder<ProxmoxConnectionEntity> b)
    {
        b.ToTable("ProxmoxConnections");
        b.HasKey(e => e.Id);
        b.Property(e => e.Name).HasMaxLength(128);
        b.Property(e => e.Url).HasMaxLength(512);
        b.Property(e => e.TokenId).HasMaxLength(256);
        b.Property(e => e.Fingerprint).HasMaxLength(128);
        b.HasIndex(e => e.Name).IsUnique();
    }
}
