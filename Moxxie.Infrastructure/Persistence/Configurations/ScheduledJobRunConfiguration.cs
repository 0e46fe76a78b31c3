using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Scheduling;

namespace Moxxie.Infrastructure.Persistence.Configurations;

/// <summary>The unique (JobId, Trigger, FireTime) index is the scheduler's claim: one insert per fire time wins.</summary>
public sealed class ScheduledJobRunConfiguration : IEntityTypeConfiguration<ScheduledJobRun>
{
    public void Configure(EntityTypeBuilder<ScheduledJobRun> b)
    {
        b.ToTable("ScheduledJobRuns");
        b.HasKey(e => e.Id);
        b.Property(e => e.JobId).HasMaxLength(36);
        b.Property(e => e.Trigger).HasMaxLength(16);
        b.Property(e => e.Status).HasMaxLength(16);
        b.Property(e => e.Instance).HasMaxLength(128);
        b.Property(e => e.RequestedBy).HasMaxLength(256);
        b.Property(e => e.OperationId).HasMaxLength(512);
        b.HasIndex(e => new { e.JobId, e.Trigger, e.FireTime }).IsUnique();
        b.HasIndex(e => e.Status);
    }
}
