using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Idempotency keys of the API's POSTs: one row per (user, key) with the request's hash and, once answered, the
/// status, content type and (protected) body; CreatedAt indexed for the 24 h expiry. Hand-written; MigrationsMatchModelTests
/// compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261206040000_AddIdempotencyRecords")]
public sealed class SqliteAddIdempotencyRecordsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "IdempotencyRecords",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                Key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Path = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                ContentType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_IdempotencyRecords", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_IdempotencyRecords_CreatedAt", table: "IdempotencyRecords", column: "CreatedAt");
        migrationBuilder.CreateIndex(
            name: "IX_IdempotencyRecords_UserId_Key",
            table: "IdempotencyRecords",
            columns: ["UserId", "Key"],
            unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "IdempotencyRecords");
}
