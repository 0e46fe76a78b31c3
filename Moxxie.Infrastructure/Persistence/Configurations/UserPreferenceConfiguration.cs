using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Preferences;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class UserPreferenceConfiguration : IEntityTypeConfiguration<UserPreference>
{
    public void Configure(EntityTypeBuilder<UserPreference> b)
    {
        b.ToTable("UserPreferences");
        b.HasKey(e => new { e.UserId, e.Key });
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.Key).HasMaxLength(UserPreferenceService.MaxKeyLength);
        b.Property(e => e.Value).HasMaxLength(UserPreferenceService.MaxValueLength);
        b.HasOne<MoxxieUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
