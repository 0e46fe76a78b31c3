using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

[DbContext(typeof(PostgresMoxxieDbContext))]
public sealed class PostgresMoxxieDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => InitialModelSnapshot.Build(modelBuilder, SnapshotTypes.Postgres);
}
