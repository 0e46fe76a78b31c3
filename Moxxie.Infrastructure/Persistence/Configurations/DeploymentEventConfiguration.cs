using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Deployments;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class DeploymentEventConfiguration : IEntityTypeConfiguration<DeploymentEvent>
{
    public void Configure(EntityTypeBuilder<DeploymentEvent> b)
    {
        b.ToTable("DeploymentEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.DeploymentId).HasMaxLength(24);
        b.Property(e => e.Level).HasMaxLength(8);
        b.Property(e => e.Upid).HasMaxLength(256);
        b.HasIndex(e => new { e.DeploymentId, e.Id });
    }
}
