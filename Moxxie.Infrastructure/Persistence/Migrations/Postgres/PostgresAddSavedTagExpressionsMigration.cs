using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>Saved tag expressions: named filters of the VM list, personal (OwnerUserName) or shared (null owner).
/// Hand-written; MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261206050000_AddSavedTagExpressions")]
public sealed class PostgresAddSavedTagExpressionsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SavedTagExpressions",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                Expression = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                OwnerUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SavedTagExpressions", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_SavedTagExpressions_OwnerUserName", table: "SavedTagExpressions", column: "OwnerUserName");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "SavedTagExpressions");
}
