using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>Per-user UI preferences (e.g. the VM list's visible columns), keyed by (UserId, Key), removed with the user.
/// Hand-written; MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261205190000_AddUserPreferences")]
public sealed class PostgresAddUserPreferencesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "UserPreferences",
            columns: table => new
            {
                UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                Value = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
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
