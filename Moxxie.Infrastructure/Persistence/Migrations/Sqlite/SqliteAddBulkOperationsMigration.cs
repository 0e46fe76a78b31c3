using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Bulk operations (the job: kind, parameters, selection, plan, limits, who and where from, lifecycle) and one
/// task row per VM (status, about-to-POST marker, UPID, attempts, claim and lease). Hand-written;
/// MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261207010000_AddBulkOperations")]
public sealed class SqliteAddBulkOperationsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "BulkOperations",
            columns: table => new
            {
                Id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                SelectionJson = table.Column<string>(type: "TEXT", nullable: false),
                PlanJson = table.Column<string>(type: "TEXT", nullable: false),
                Sequential = table.Column<bool>(type: "INTEGER", nullable: false),
                MaxParallel = table.Column<int>(type: "INTEGER", nullable: false),
                PerNodeLimit = table.Column<int>(type: "INTEGER", nullable: false),
                TimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                TaskTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                Force = table.Column<bool>(type: "INTEGER", nullable: false),
                MaxAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                SnapshotBeforeTtlHours = table.Column<int>(type: "INTEGER", nullable: true),
                TotalTasks = table.Column<int>(type: "INTEGER", nullable: false),
                RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                RequestedFrom = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                Source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                Tenant = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                RetryOf = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                AbortRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                AbortRequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                AbortStopsRunning = table.Column<bool>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_BulkOperations", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_BulkOperations_CreatedAt", table: "BulkOperations", column: "CreatedAt");
        migrationBuilder.CreateIndex(name: "IX_BulkOperations_Status", table: "BulkOperations", column: "Status");

        migrationBuilder.CreateTable(
            name: "BulkTasks",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                OperationId = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                Seq = table.Column<int>(type: "INTEGER", nullable: false),
                Connection = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Node = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                VmId = table.Column<int>(type: "INTEGER", nullable: true),
                VmName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                GuestType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                ProposedName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                PlannedStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                PlannedLock = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                PlannedProtected = table.Column<bool>(type: "INTEGER", nullable: true),
                ParametersJson = table.Column<string>(type: "TEXT", nullable: true),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Step = table.Column<int>(type: "INTEGER", nullable: false),
                PostingAt = table.Column<long>(type: "INTEGER", nullable: true),
                Upid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                PreSnapshotUpid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                DeploymentId = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                Message = table.Column<string>(type: "TEXT", nullable: true),
                Error = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                NotBefore = table.Column<long>(type: "INTEGER", nullable: true),
                ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_BulkTasks", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_BulkTasks_OperationId_Seq", table: "BulkTasks", columns: ["OperationId", "Seq"]);
        migrationBuilder.CreateIndex(name: "IX_BulkTasks_Status_NotBefore", table: "BulkTasks", columns: ["Status", "NotBefore"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "BulkTasks");
        migrationBuilder.DropTable(name: "BulkOperations");
    }
}
