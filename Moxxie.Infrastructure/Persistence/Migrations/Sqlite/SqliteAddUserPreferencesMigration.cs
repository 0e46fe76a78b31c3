using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Per-user UI preferences (e.g. the VM list's visible columns), keyed by (UserId, Key), removed with the user.
/// Hand-written; MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261205190000_AddUserPreferences")]
public sealed class SqliteAddUserPreferencesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "UserPreferences",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Value = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_UserPreferences", x => new { x.UserId, x.Key });
                table.ForeignKey(
                    name: "FK_UserPreferences_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "UserPreferences");
}
