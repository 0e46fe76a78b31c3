using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moxxie.Core.Deployments;

namespace Moxxie.Infrastructure.Persistence.Configurations;

public sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> b)
    {
        b.ToTable("Deployments");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).HasMaxLength(24);
        b.Property(e => e.Connection).HasMaxLength(128);
        b.Property(e => e.Name).HasMaxLength(128);
        b.Property(e => e.Status).HasMaxLength(16);
        b.Property(e => e.SourceNode).HasMaxLength(64);
        b.Property(e => e.SourceSnapshot).HasMaxLength(40);
        b.Property(e => e.TargetNode).HasMaxLength(64);
        b.Property(e => e.Storage).HasMaxLength(64);
        b.Property(e => e.CiUser).HasMaxLength(64);
        b.Property(e => e.IpConfig0).HasMaxLength(256);
        b.Property(e => e.Upid).HasMaxLength(256);
        b.Property(e => e.RequestedBy).HasMaxLength(256);
        b.Property(e => e.RequestedFrom).HasMaxLength(64);
        b.HasIndex(e => e.CreatedAt);
    }
}
