using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Moxxie.Infrastructure.Persistence.Migrations.Postgres;

/// <summary>Deployments (VMs being cloned from a template or a VM: the request, status REQUESTED → PROVISIONING → ACTIVE |
/// ERROR, the last UPID and error) and their ordered event log. Hand-written; MigrationsMatchModelTests compares the
/// migrated schema with the model.</summary>
[DbContext(typeof(PostgresMoxxieDbContext))]
[Migration("20261206030000_AddDeployments")]
public sealed class PostgresAddDeploymentsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Deployments",
            columns: table => new
            {
                Id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                Connection = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                SourceVmId = table.Column<int>(type: "integer", nullable: false),
                SourceNode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                SourceSnapshot = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                SourceIsTemplate = table.Column<bool>(type: "boolean", nullable: false),
                TargetNode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                NodeElected = table.Column<bool>(type: "boolean", nullable: false),
                Storage = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                FullClone = table.Column<bool>(type: "boolean", nullable: false),
                VmId = table.Column<int>(type: "integer", nullable: true),
                Cores = table.Column<int>(type: "integer", nullable: true),
                MemoryMb = table.Column<int>(type: "integer", nullable: true),
                CiUser = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                SshKeys = table.Column<string>(type: "text", nullable: true),
                IpConfig0 = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                StartAfter = table.Column<bool>(type: "boolean", nullable: false),
                Upid = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                LastError = table.Column<string>(type: "text", nullable: true),
                RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                RequestedFrom = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Deployments", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_Deployments_CreatedAt", table: "Deployments", column: "CreatedAt");

        migrationBuilder.CreateTable(
            name: "DeploymentEvents",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                DeploymentId = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                Time = table.Column<long>(type: "bigint", nullable: false),
                Level = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Message = table.Column<string>(type: "text", nullable: false),
                Upid = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
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
