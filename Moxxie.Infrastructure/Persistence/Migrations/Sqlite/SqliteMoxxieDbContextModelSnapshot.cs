using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

[DbContext(typeof(SqliteMoxxieDbContext))]
public sealed class SqliteMoxxieDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => InitialModelSnapshot.Build(modelBuilder, SnapshotTypes.Sqlite);
}
