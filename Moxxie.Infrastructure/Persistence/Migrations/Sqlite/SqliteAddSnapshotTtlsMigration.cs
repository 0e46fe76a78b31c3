using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Snapshot TTLs: one row per snapshot Moxxie created with a time to live (connection, VMID, name unique), read by
/// the snapshot reaper by expiry. Hand-written; MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261205200000_AddSnapshotTtls")]
public sealed class SqliteAddSnapshotTtlsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SnapshotTtls",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                Connection = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                VmId = table.Column<int>(type: "INTEGER", nullable: false),
                SnapshotName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                TtlHours = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                Upid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_SnapshotTtls", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_SnapshotTtls_ExpiresAt", table: "SnapshotTtls", column: "ExpiresAt");
        migrationBuilder.CreateIndex(
            name: "IX_SnapshotTtls_Connection_VmId_SnapshotName",
            table: "SnapshotTtls",
            columns: ["Connection", "VmId", "SnapshotName"],
            unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "SnapshotTtls");
}
