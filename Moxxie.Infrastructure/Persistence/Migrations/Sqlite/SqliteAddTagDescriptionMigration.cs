using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>A free-text description per catalogued tag (what the tag means, who owns it). Hand-written;
/// MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261207030000_AddTagDescription")]
public sealed class SqliteAddTagDescriptionMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Description", table: "TagCatalog", type: "TEXT", maxLength: 500, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Description", table: "TagCatalog");
}
