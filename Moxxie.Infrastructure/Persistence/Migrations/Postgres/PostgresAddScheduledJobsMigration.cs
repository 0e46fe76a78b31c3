using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>Scheduled jobs and their runs. The unique (JobId, Trigger, FireTime) index is the claim that makes a fire time
/// run once when several instances share the database. Hand-written; MigrationsMatchModelTests compares the migrated
/// schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261207020000_AddScheduledJobs")]
public sealed class PostgresAddScheduledJobsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ScheduledJobs",
            columns: table => new
            {
                Id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                TaskType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                CronExpression = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Enabled = table.Column<bool>(type: "boolean", nullable: false),
                ParametersJson = table.Column<string>(type: "text", nullable: false),
                SelectorsJson = table.Column<string>(type: "text", nullable: false),
                ScheduleAnchor = table.Column<long>(type: "bigint", nullable: false),
                CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ScheduledJobs", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_ScheduledJobs_Name", table: "ScheduledJobs", column: "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "ScheduledJobRuns",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                JobId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                FireTime = table.Column<long>(type: "bigint", nullable: false),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                StartedAt = table.Column<long>(type: "bigint", nullable: false),
                EndedAt = table.Column<long>(type: "bigint", nullable: true),
                Instance = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                HeartbeatAt = table.Column<long>(type: "bigint", nullable: false),
                RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                OperationId = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                AffectedVms = table.Column<int>(type: "integer", nullable: false),
                Succeeded = table.Column<int>(type: "integer", nullable: false),
                Failed = table.Column<int>(type: "integer", nullable: false),
                Message = table.Column<string>(type: "text", nullable: true),
                ResultsJson = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ScheduledJobRuns", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_ScheduledJobRuns_JobId_Trigger_FireTime", table: "ScheduledJobRuns",
            columns: ["JobId", "Trigger", "FireTime"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_ScheduledJobRuns_Status", table: "ScheduledJobRuns", column: "Status");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "ScheduledJobRuns");
        migrationBuilder.DropTable(name: "ScheduledJobs");
    }
}
