using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>Bulk operations (the job: kind, parameters, selection, plan, limits, who and where from, lifecycle) and one
/// task row per VM (status, about-to-POST marker, UPID, attempts, claim and lease). Hand-written;
/// MigrationsMatchModelTests compares the migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261207010000_AddBulkOperations")]
public sealed class PostgresAddBulkOperationsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "BulkOperations",
            columns: table => new
            {
                Id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                ParametersJson = table.Column<string>(type: "text", nullable: false),
                SelectionJson = table.Column<string>(type: "text", nullable: false),
                PlanJson = table.Column<string>(type: "text", nullable: false),
                Sequential = table.Column<bool>(type: "boolean", nullable: false),
                MaxParallel = table.Column<int>(type: "integer", nullable: false),
                PerNodeLimit = table.Column<int>(type: "integer", nullable: false),
                TimeoutSeconds = table.Column<int>(type: "integer", nullable: true),
                TaskTimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                Force = table.Column<bool>(type: "boolean", nullable: false),
                MaxAttempts = table.Column<int>(type: "integer", nullable: false),
                SnapshotBeforeTtlHours = table.Column<int>(type: "integer", nullable: true),
                TotalTasks = table.Column<int>(type: "integer", nullable: false),
                RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                RequestedFrom = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                Tenant = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                RetryOf = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                StartedAt = table.Column<long>(type: "bigint", nullable: true),
                FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                AbortRequestedAt = table.Column<long>(type: "bigint", nullable: true),
                AbortRequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                AbortStopsRunning = table.Column<bool>(type: "boolean", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_BulkOperations", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_BulkOperations_CreatedAt", table: "BulkOperations", column: "CreatedAt");
        migrationBuilder.CreateIndex(name: "IX_BulkOperations_Status", table: "BulkOperations", column: "Status");

        migrationBuilder.CreateTable(
            name: "BulkTasks",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                OperationId = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                Seq = table.Column<int>(type: "integer", nullable: false),
                Connection = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                Node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                VmId = table.Column<int>(type: "integer", nullable: true),
                VmName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                GuestType = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                ProposedName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                PlannedStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                PlannedLock = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                PlannedProtected = table.Column<bool>(type: "boolean", nullable: true),
                ParametersJson = table.Column<string>(type: "text", nullable: true),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                Step = table.Column<int>(type: "integer", nullable: false),
                PostingAt = table.Column<long>(type: "bigint", nullable: true),
                Upid = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                PreSnapshotUpid = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                DeploymentId = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                Message = table.Column<string>(type: "text", nullable: true),
                Error = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                Attempts = table.Column<int>(type: "integer", nullable: false),
                NotBefore = table.Column<long>(type: "bigint", nullable: true),
                ClaimedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                LeaseUntil = table.Column<long>(type: "bigint", nullable: true),
                CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                StartedAt = table.Column<long>(type: "bigint", nullable: true),
                FinishedAt = table.Column<long>(type: "bigint", nullable: true),
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
