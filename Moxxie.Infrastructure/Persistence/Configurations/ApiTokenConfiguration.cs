using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Security;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiTokenEntity>
{
    public void Configure(EntityTypeBuilder<ApiTokenEntity> b)
    {
        b.ToTable("ApiTokens");
        b.HasKey(e => e.Id);
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.Name).HasMaxLength(128);
        b.Property(e => e.Prefix).HasMaxLength(16);
        b.Property(e => e.TokenHash).HasMaxLength(64);
        b.HasIndex(e => e.TokenHash).IsUnique();
        b.HasIndex(e => e.UserId);
        b.HasOne<MoxxieUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
