using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Moxxie.Infrastructure.Persistence.Migrations;

/// <summary>Store types of one provider, for the hand-written model snapshots (<see cref="InitialModelSnapshot"/>).
/// DateTimeOffset values are UTC ticks (see MoxxieDbContext.ConfigureConventions) on both providers.</summary>
internal abstract class SnapshotTypes
{
    public abstract string Text { get; }
    public abstract string VarChar(int length);
    public abstract string Int { get; }
    public abstract string Long { get; }
    public abstract string Bool { get; }
    public abstract string Double { get; }

    /// <summary>Marks an integer key as database-generated (identity column / autoincrement).</summary>
    public abstract void Identity(PropertyBuilder property);

    public static SnapshotTypes Sqlite { get; } = new SqliteTypes();
    public static SnapshotTypes Postgres { get; } = new PostgresTypes();

    private sealed class SqliteTypes : SnapshotTypes
    {
        public override string Text => "TEXT";
        public override string VarChar(int length) => "TEXT";
        public override string Int => "INTEGER";
        public override string Long => "INTEGER";
        public override string Bool => "INTEGER";
        public override string Double => "REAL";
        public override void Identity(PropertyBuilder property) { }
    }

    private sealed class PostgresTypes : SnapshotTypes
    {
        public override string Text => "text";
        public override string VarChar(int length) => $"character varying({length})";
        public override string Int => "integer";
        public override string Long => "bigint";
        public override string Bool => "boolean";
        public override string Double => "double precision";
        public override void Identity(PropertyBuilder property) =>
            property.HasAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
    }
}
