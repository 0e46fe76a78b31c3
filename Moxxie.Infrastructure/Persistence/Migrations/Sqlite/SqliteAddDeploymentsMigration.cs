using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Moxxie.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>Deployments (VMs being cloned from a template or a VM: the request, status REQUESTED → PROVISIONING → ACTIVE |
/// ERROR, the last UPID and error) and their ordered event log. Hand-written; MigrationsMatchModelTests compares the
/// migrated schema with the model.</summary>
[DbContext(typeof(SqliteMoxxieDbContext))]
[Migration("20261206030000_AddDeployments")]
public sealed class SqliteAddDeploymentsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Deployments",
            columns: table => new
            {
                Id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                Connection = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                SourceVmId = table.Column<int>(type: "INTEGER", nullable: false),
                SourceNode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                SourceSnapshot = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                SourceIsTemplate = table.Column<bool>(type: "INTEGER", nullable: false),
                TargetNode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                NodeElected = table.Column<bool>(type: "INTEGER", nullable: false),
                Storage = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                FullClone = table.Column<bool>(type: "INTEGER", nullable: false),
                VmId = table.Column<int>(type: "INTEGER", nullable: true),
                Cores = table.Column<int>(type: "INTEGER", nullable: true),
                MemoryMb = table.Column<int>(type: "INTEGER", nullable: true),
                CiUser = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                SshKeys = table.Column<string>(type: "TEXT", nullable: true),
                IpConfig0 = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                StartAfter = table.Column<bool>(type: "INTEGER", nullable: false),
                Upid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                LastError = table.Column<string>(type: "TEXT", nullable: true),
                RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                RequestedFrom = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Deployments", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_Deployments_CreatedAt", table: "Deployments", column: "CreatedAt");

        migrationBuilder.CreateTable(
            name: "DeploymentEvents",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                DeploymentId = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                Time = table.Column<long>(type: "INTEGER", nullable: false),
                Level = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                Message = table.Column<string>(type: "TEXT", nullable: false),
                Upid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_DeploymentEvents", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_DeploymentEvents_DeploymentId_Id", table: "DeploymentEvents", columns: ["DeploymentId", "Id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "DeploymentEvents");
        migrationBuilder.DropTable(name: "Deployments");
    }
}
