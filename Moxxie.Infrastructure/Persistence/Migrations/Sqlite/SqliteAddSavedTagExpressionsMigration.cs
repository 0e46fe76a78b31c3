using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Saved tag expressions: named filters of the VM list, personal (OwnerUserName) or shared (null owner).
/// Hand-written; MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261206050000_AddSavedTagExpressions")]
public sealed class SqliteAddSavedTagExpressionsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SavedTagExpressions",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Expression = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                OwnerUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SavedTagExpressions", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_SavedTagExpressions_OwnerUserName", table: "SavedTagExpressions", column: "OwnerUserName");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "SavedTagExpressions");
}
