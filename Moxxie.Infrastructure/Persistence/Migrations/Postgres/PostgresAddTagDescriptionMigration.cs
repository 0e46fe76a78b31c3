using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>A free-text description per catalogued tag (what the tag means, who owns it). Hand-written;
/// MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261207030000_AddTagDescription")]
public sealed class PostgresAddTagDescriptionMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Description", table: "TagCatalog", type: "character varying(500)", maxLength: 500, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Description", table: "TagCatalog");
}
