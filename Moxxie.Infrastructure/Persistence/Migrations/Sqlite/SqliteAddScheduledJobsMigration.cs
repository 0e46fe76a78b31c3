using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Scheduled jobs and their runs. The unique (JobId, Trigger, FireTime) index is the claim that makes a fire time
/// run once when several instances share the database. Hand-written; MigrationsMatchModelTests compares the migrated
/// schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261207020000_AddScheduledJobs")]
public sealed class SqliteAddScheduledJobsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ScheduledJobs",
            columns: table => new
            {
                Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                TaskType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                CronExpression = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                SelectorsJson = table.Column<string>(type: "TEXT", nullable: false),
                ScheduleAnchor = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ScheduledJobs", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_ScheduledJobs_Name", table: "ScheduledJobs", column: "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "ScheduledJobRuns",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                JobId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                FireTime = table.Column<long>(type: "INTEGER", nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                Instance = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false),
                RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                OperationId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                AffectedVms = table.Column<int>(type: "INTEGER", nullable: false),
                Succeeded = table.Column<int>(type: "INTEGER", nullable: false),
                Failed = table.Column<int>(type: "INTEGER", nullable: false),
                Message = table.Column<string>(type: "TEXT", nullable: true),
                ResultsJson = table.Column<string>(type: "TEXT", nullable: true),
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
