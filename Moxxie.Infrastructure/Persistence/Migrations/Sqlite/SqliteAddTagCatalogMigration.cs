using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>The tag catalogue: category and colour per tag name. Hand-written; MigrationsMatchModelTests compares the
/// migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261206060000_AddTagCatalog")]
public sealed class SqliteAddTagCatalogMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "TagCatalog",
            columns: table => new
            {
                Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Category = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                Color = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_TagCatalog", x => x.Name));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "TagCatalog");
}
