using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Scheduling;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class ScheduledJobConfiguration : IEntityTypeConfiguration<ScheduledJob>
{
    public void Configure(EntityTypeBuilder<ScheduledJob> b)
    {
        b.ToTable("ScheduledJobs");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).HasMaxLength(36);
        b.Property(e => e.Name).HasMaxLength(100);
        b.Property(e => e.Description).HasMaxLength(1000);
        b.Property(e => e.TaskType).HasMaxLength(32);
        b.Property(e => e.CronExpression).HasMaxLength(200);
        b.Property(e => e.TimeZone).HasMaxLength(64);
        b.Property(e => e.CreatedBy).HasMaxLength(256);
        b.Property(e => e.UpdatedBy).HasMaxLength(256);
        b.HasIndex(e => e.Name).IsUnique();
    }
}
