using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>The tag catalogue: category and colour per tag name. Hand-written; MigrationsMatchModelTests compares the
/// migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261206060000_AddTagCatalog")]
public sealed class PostgresAddTagCatalogMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "TagCatalog",
            columns: table => new
            {
                Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                Category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                Color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_TagCatalog", x => x.Name));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "TagCatalog");
}
