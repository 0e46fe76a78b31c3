using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Moxxie.Infrastructure.Persistence.Migrations;

/// <summary>The model as of the latest migrations (Initial, AddUserPreferences, AddSnapshotTtls, AddIdempotencyRecords, AddDeployments, AddSavedTagExpressions, AddTagCatalog, AddBulkOperations, AddTagDescription, AddScheduledJobs), for the per-provider model snapshots (what
/// HasPendingModelChanges and Migrate compare the current model against). A new hand-written migration updates this too;
/// ModelSnapshotTests fails when the snapshot and the model differ.</summary>
internal static class InitialModelSnapshot
{
    private const string Role = "Microsoft.AspNetCore.Identity.IdentityRole";
    private const string User = "Moxxie.Infrastructure.Persistence.MoxxieUser";

    public static void Build(ModelBuilder mb, SnapshotTypes t)
    {
        mb.HasAnnotation("ProductVersion", "10.0.14");

        mb.Entity("Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey", b =>
        {
            IntId(b, t);
            b.Property<string>("FriendlyName").HasColumnType(t.Text);
            b.Property<string>("Xml").HasColumnType(t.Text);
            b.HasKey("Id");
            b.ToTable("DataProtectionKeys");
        });

        mb.Entity(Role, b =>
        {
            b.Property<string>("Id").HasColumnType(t.Text);
            b.Property<string>("ConcurrencyStamp").IsConcurrencyToken().HasColumnType(t.Text);
            VarChar(b, t, "Name", 256);
            VarChar(b, t, "NormalizedName", 256);
            b.HasKey("Id");
            b.HasIndex("NormalizedName").IsUnique().HasDatabaseName("RoleNameIndex");
            b.ToTable("AspNetRoles");
        });

        mb.Entity("Microsoft.AspNetCore.Identity.IdentityRoleClaim<string>", b =>
        {
            IntId(b, t);
            b.Property<string>("ClaimType").HasColumnType(t.Text);
            b.Property<string>("ClaimValue").HasColumnType(t.Text);
            b.Property<string>("RoleId").IsRequired().HasColumnType(t.Text);
            b.HasKey("Id");
            b.HasIndex("RoleId");
            b.ToTable("AspNetRoleClaims");
        });

        mb.Entity("Microsoft.AspNetCore.Identity.IdentityUserClaim<string>", b =>
        {
            IntId(b, t);
            b.Property<string>("ClaimType").HasColumnType(t.Text);
            b.Property<string>("ClaimValue").HasColumnType(t.Text);
            b.Property<string>("UserId").IsRequired().HasColumnType(t.Text);
            b.HasKey("Id");
            b.HasIndex("UserId");
            b.ToTable("AspNetUserClaims");
        });

        mb.Entity("Microsoft.AspNetCore.Identity.IdentityUserLogin<string>", b =>
        {
            b.Property<string>("LoginProvider").HasColumnType(t.Text);
            b.Property<string>("ProviderKey").HasColumnType(t.Text);
            b.Property<string>("ProviderDisplayName").HasColumnType(t.Text);
            b.Property<string>("UserId").IsRequired().HasColumnType(t.Text);
            b.HasKey("LoginProvider", "ProviderKey");
            b.HasIndex("UserId");
            b.ToTable("AspNetUserLogins");
        });

        mb.Entity("Microsoft.AspNetCore.Identity.IdentityUserRole<string>", b =>
        {
            b.Property<string>("UserId").HasColumnType(t.Text);
            b.Property<string>("RoleId").HasColumnType(t.Text);
            b.HasKey("UserId", "RoleId");
            b.HasIndex("RoleId");
            b.ToTable("AspNetUserRoles");
        });

        mb.Entity("Microsoft.AspNetCore.Identity.IdentityUserToken<string>", b =>
        {
            b.Property<string>("UserId").HasColumnType(t.Text);
            b.Property<string>("LoginProvider").HasColumnType(t.Text);
            b.Property<string>("Name").HasColumnType(t.Text);
            b.Property<string>("Value").HasColumnType(t.Text);
            b.HasKey("UserId", "LoginProvider", "Name");
            b.ToTable("AspNetUserTokens");
        });

        mb.Entity(User, b =>
        {
            b.Property<string>("Id").HasColumnType(t.Text);
            b.Property<int>("AccessFailedCount").HasColumnType(t.Int);
            Time(b, t, "CreatedAt", nullable: false);
            b.Property<string>("ConcurrencyStamp").IsConcurrencyToken().HasColumnType(t.Text);
            VarChar(b, t, "Email", 256);
            b.Property<bool>("EmailConfirmed").HasColumnType(t.Bool);
            b.Property<bool>("LockoutEnabled").HasColumnType(t.Bool);
            Time(b, t, "LockoutEnd", nullable: true);
            VarChar(b, t, "NormalizedEmail", 256);
            VarChar(b, t, "NormalizedUserName", 256);
            b.Property<string>("PasswordHash").HasColumnType(t.Text);
            b.Property<string>("PhoneNumber").HasColumnType(t.Text);
            b.Property<bool>("PhoneNumberConfirmed").HasColumnType(t.Bool);
            b.Property<string>("SecurityStamp").HasColumnType(t.Text);
            b.Property<bool>("TwoFactorEnabled").HasColumnType(t.Bool);
            VarChar(b, t, "UserName", 256);
            b.HasKey("Id");
            b.HasIndex("NormalizedEmail").HasDatabaseName("EmailIndex");
            b.HasIndex("NormalizedUserName").IsUnique().HasDatabaseName("UserNameIndex");
            b.ToTable("AspNetUsers");
        });

        mb.Entity("Moxxie.Core.Audit.AuditEntry", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            Time(b, t, "Timestamp", nullable: false);
            VarChar(b, t, "User", 256).IsRequired();
            VarChar(b, t, "SourceIp", 64);
            VarChar(b, t, "Operation", 64).IsRequired();
            VarChar(b, t, "ResourceType", 32).IsRequired();
            VarChar(b, t, "ResourceId", 128);
            VarChar(b, t, "Node", 128);
            VarChar(b, t, "Connection", 128);
            b.Property<string>("DetailsJson").HasColumnType(t.Text);
            b.Property<bool>("Success").HasColumnType(t.Bool);
            b.Property<string>("Error").HasColumnType(t.Text);
            b.Property<double>("Duration").HasColumnType(t.Double);
            VarChar(b, t, "Upid", 256);
            b.HasKey("Id");
            b.HasIndex("Timestamp");
            b.HasIndex("Upid");
            b.ToTable("AuditEntries");
        });

        mb.Entity("Moxxie.Core.Clusters.ProxmoxConnectionEntity", b =>
        {
            IntId(b, t);
            VarChar(b, t, "Name", 128).IsRequired();
            VarChar(b, t, "Url", 512).IsRequired();
            VarChar(b, t, "TokenId", 256);
            b.Property<string>("ProtectedTokenSecret").HasColumnType(t.Text);
            VarChar(b, t, "Fingerprint", 128);
            b.Property<bool>("InsecureSkipVerify").HasColumnType(t.Bool);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "UpdatedAt", nullable: false);
            b.HasKey("Id");
            b.HasIndex("Name").IsUnique();
            b.ToTable("ProxmoxConnections");
        });

        mb.Entity("Moxxie.Core.Security.ApiTokenEntity", b =>
        {
            IntId(b, t);
            VarChar(b, t, "UserId", 450).IsRequired();
            VarChar(b, t, "Name", 128).IsRequired();
            VarChar(b, t, "Prefix", 16).IsRequired();
            VarChar(b, t, "TokenHash", 64).IsRequired();
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "ExpiresAt", nullable: true);
            Time(b, t, "LastUsedAt", nullable: true);
            Time(b, t, "RevokedAt", nullable: true);
            b.HasKey("Id");
            b.HasIndex("TokenHash").IsUnique();
            b.HasIndex("UserId");
            b.ToTable("ApiTokens");
        });

        mb.Entity("Moxxie.Core.Preferences.UserPreference", b =>
        {
            VarChar(b, t, "UserId", 450);
            VarChar(b, t, "Key", 128);
            VarChar(b, t, "Value", 4000).IsRequired();
            Time(b, t, "UpdatedAt", nullable: false);
            b.HasKey("UserId", "Key");
            b.ToTable("UserPreferences");
        });

        mb.Entity("Moxxie.Core.Snapshots.SnapshotTtl", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "Connection", 128).IsRequired();
            b.Property<int>("VmId").HasColumnType(t.Int);
            VarChar(b, t, "SnapshotName", 40).IsRequired();
            b.Property<int>("TtlHours").HasColumnType(t.Int);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "ExpiresAt", nullable: false);
            VarChar(b, t, "CreatedBy", 256).IsRequired();
            VarChar(b, t, "Upid", 256);
            b.HasKey("Id");
            b.HasIndex("ExpiresAt");
            b.HasIndex("Connection", "VmId", "SnapshotName").IsUnique();
            b.ToTable("SnapshotTtls");
        });

        mb.Entity("Moxxie.Core.Idempotency.IdempotencyRecord", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "UserId", 450).IsRequired();
            VarChar(b, t, "Key", 255).IsRequired();
            VarChar(b, t, "RequestHash", 64).IsRequired();
            VarChar(b, t, "Method", 16).IsRequired();
            VarChar(b, t, "Path", 1024).IsRequired();
            b.Property<int?>("StatusCode").HasColumnType(t.Int);
            VarChar(b, t, "ContentType", 256);
            b.Property<string>("ResponseBody").HasColumnType(t.Text);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "CompletedAt", nullable: true);
            b.HasKey("Id");
            b.HasIndex("CreatedAt");
            b.HasIndex("UserId", "Key").IsUnique();
            b.ToTable("IdempotencyRecords");
        });

        mb.Entity("Moxxie.Core.Deployments.Deployment", b =>
        {
            VarChar(b, t, "Id", 24);
            VarChar(b, t, "Connection", 128).IsRequired();
            VarChar(b, t, "Name", 128).IsRequired();
            VarChar(b, t, "Status", 16).IsRequired();
            b.Property<int>("SourceVmId").HasColumnType(t.Int);
            VarChar(b, t, "SourceNode", 64).IsRequired();
            VarChar(b, t, "SourceSnapshot", 40);
            b.Property<bool>("SourceIsTemplate").HasColumnType(t.Bool);
            VarChar(b, t, "TargetNode", 64).IsRequired();
            b.Property<bool>("NodeElected").HasColumnType(t.Bool);
            VarChar(b, t, "Storage", 64);
            b.Property<bool>("FullClone").HasColumnType(t.Bool);
            b.Property<int?>("VmId").HasColumnType(t.Int);
            b.Property<int?>("Cores").HasColumnType(t.Int);
            b.Property<int?>("MemoryMb").HasColumnType(t.Int);
            VarChar(b, t, "CiUser", 64);
            b.Property<string>("SshKeys").HasColumnType(t.Text);
            VarChar(b, t, "IpConfig0", 256);
            b.Property<bool>("StartAfter").HasColumnType(t.Bool);
            VarChar(b, t, "Upid", 256);
            b.Property<string>("LastError").HasColumnType(t.Text);
            VarChar(b, t, "RequestedBy", 256).IsRequired();
            VarChar(b, t, "RequestedFrom", 64);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "UpdatedAt", nullable: false);
            b.HasKey("Id");
            b.HasIndex("CreatedAt");
            b.ToTable("Deployments");
        });

        mb.Entity("Moxxie.Core.Deployments.DeploymentEvent", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "DeploymentId", 24).IsRequired();
            Time(b, t, "Time", nullable: false);
            VarChar(b, t, "Level", 8).IsRequired();
            b.Property<string>("Message").IsRequired().HasColumnType(t.Text);
            VarChar(b, t, "Upid", 256);
            b.HasKey("Id");
            b.HasIndex("DeploymentId", "Id");
            b.ToTable("DeploymentEvents");
        });

        mb.Entity("Moxxie.Core.Tags.SavedTagExpression", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "Name", 100).IsRequired();
            VarChar(b, t, "Expression", 2000).IsRequired();
            VarChar(b, t, "OwnerUserName", 256);
            Time(b, t, "CreatedAt", nullable: false);
            VarChar(b, t, "CreatedBy", 256).IsRequired();
            b.HasKey("Id");
            b.HasIndex("OwnerUserName");
            b.ToTable("SavedTagExpressions");
        });

        mb.Entity("Moxxie.Core.Tags.TagCatalogEntry", b =>
        {
            VarChar(b, t, "Name", 128);
            VarChar(b, t, "Category", 50).IsRequired();
            VarChar(b, t, "Color", 7).IsRequired();
            VarChar(b, t, "Description", 500);
            Time(b, t, "UpdatedAt", nullable: false);
            VarChar(b, t, "UpdatedBy", 256).IsRequired();
            b.HasKey("Name");
            b.ToTable("TagCatalog");
        });

        mb.Entity("Moxxie.Core.Bulk.BulkOperation", b =>
        {
            VarChar(b, t, "Id", 24);
            VarChar(b, t, "Kind", 16).IsRequired();
            VarChar(b, t, "Action", 16).IsRequired();
            VarChar(b, t, "Status", 16).IsRequired().IsConcurrencyToken();
            b.Property<string>("ParametersJson").IsRequired().HasColumnType(t.Text);
            b.Property<string>("SelectionJson").IsRequired().HasColumnType(t.Text);
            b.Property<string>("PlanJson").IsRequired().HasColumnType(t.Text);
            b.Property<bool>("Sequential").HasColumnType(t.Bool);
            b.Property<int>("MaxParallel").HasColumnType(t.Int);
            b.Property<int>("PerNodeLimit").HasColumnType(t.Int);
            b.Property<int?>("TimeoutSeconds").HasColumnType(t.Int);
            b.Property<int>("TaskTimeoutSeconds").HasColumnType(t.Int);
            b.Property<bool>("Force").HasColumnType(t.Bool);
            b.Property<int>("MaxAttempts").HasColumnType(t.Int);
            b.Property<int?>("SnapshotBeforeTtlHours").HasColumnType(t.Int);
            b.Property<int>("TotalTasks").HasColumnType(t.Int);
            VarChar(b, t, "RequestedBy", 256).IsRequired();
            VarChar(b, t, "RequestedFrom", 64);
            VarChar(b, t, "Source", 256).IsRequired();
            VarChar(b, t, "Tenant", 128);
            VarChar(b, t, "RetryOf", 24);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "StartedAt", nullable: true);
            Time(b, t, "FinishedAt", nullable: true);
            Time(b, t, "AbortRequestedAt", nullable: true);
            VarChar(b, t, "AbortRequestedBy", 256);
            b.Property<bool>("AbortStopsRunning").HasColumnType(t.Bool);
            b.HasKey("Id");
            b.HasIndex("CreatedAt");
            b.HasIndex("Status");
            b.ToTable("BulkOperations");
        });

        mb.Entity("Moxxie.Core.Bulk.BulkTask", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "OperationId", 24).IsRequired();
            b.Property<int>("Seq").HasColumnType(t.Int);
            VarChar(b, t, "Connection", 128).IsRequired();
            VarChar(b, t, "Node", 64).IsRequired();
            b.Property<int?>("VmId").HasColumnType(t.Int);
            VarChar(b, t, "VmName", 128).IsRequired();
            VarChar(b, t, "GuestType", 8).IsRequired();
            VarChar(b, t, "Action", 16).IsRequired();
            VarChar(b, t, "ProposedName", 128);
            VarChar(b, t, "PlannedStatus", 16);
            VarChar(b, t, "PlannedLock", 32);
            b.Property<bool?>("PlannedProtected").HasColumnType(t.Bool);
            b.Property<string>("ParametersJson").HasColumnType(t.Text);
            VarChar(b, t, "Status", 16).IsRequired();
            b.Property<int>("Step").HasColumnType(t.Int);
            Time(b, t, "PostingAt", nullable: true);
            VarChar(b, t, "Upid", 256);
            VarChar(b, t, "PreSnapshotUpid", 256);
            VarChar(b, t, "DeploymentId", 24);
            b.Property<string>("Message").HasColumnType(t.Text);
            VarChar(b, t, "Error", 512);
            b.Property<int>("Attempts").HasColumnType(t.Int);
            Time(b, t, "NotBefore", nullable: true);
            VarChar(b, t, "ClaimedBy", 128).IsConcurrencyToken();
            Time(b, t, "LeaseUntil", nullable: true);
            Time(b, t, "CreatedAt", nullable: false);
            Time(b, t, "StartedAt", nullable: true);
            Time(b, t, "FinishedAt", nullable: true);
            b.HasKey("Id");
            b.HasIndex("OperationId", "Seq");
            b.HasIndex("Status", "NotBefore");
            b.ToTable("BulkTasks");
        });

        mb.Entity("Moxxie.Core.Scheduling.ScheduledJob", b =>
        {
            VarChar(b, t, "Id", 36);
            VarChar(b, t, "Name", 100).IsRequired();
            VarChar(b, t, "Description", 1000);
            VarChar(b, t, "TaskType", 32).IsRequired();
            VarChar(b, t, "CronExpression", 200).IsRequired();
            VarChar(b, t, "TimeZone", 64).IsRequired();
            b.Property<bool>("Enabled").HasColumnType(t.Bool);
            b.Property<string>("ParametersJson").IsRequired().HasColumnType(t.Text);
            b.Property<string>("SelectorsJson").IsRequired().HasColumnType(t.Text);
            Time(b, t, "ScheduleAnchor", nullable: false);
            Time(b, t, "CreatedAt", nullable: false);
            VarChar(b, t, "CreatedBy", 256).IsRequired();
            Time(b, t, "UpdatedAt", nullable: false);
            VarChar(b, t, "UpdatedBy", 256).IsRequired();
            b.HasKey("Id");
            b.HasIndex("Name").IsUnique();
            b.ToTable("ScheduledJobs");
        });

        mb.Entity("Moxxie.Core.Scheduling.ScheduledJobRun", b =>
        {
            var id = b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType(t.Long);
            t.Identity(id);
            VarChar(b, t, "JobId", 36).IsRequired();
            VarChar(b, t, "Trigger", 16).IsRequired();
            Time(b, t, "FireTime", nullable: false);
            VarChar(b, t, "Status", 16).IsRequired();
            Time(b, t, "StartedAt", nullable: false);
            Time(b, t, "EndedAt", nullable: true);
            VarChar(b, t, "Instance", 128).IsRequired();
            Time(b, t, "HeartbeatAt", nullable: false);
            VarChar(b, t, "RequestedBy", 256).IsRequired();
            VarChar(b, t, "OperationId", 512);
            b.Property<int>("AffectedVms").HasColumnType(t.Int);
            b.Property<int>("Succeeded").HasColumnType(t.Int);
            b.Property<int>("Failed").HasColumnType(t.Int);
            b.Property<string>("Message").HasColumnType(t.Text);
            b.Property<string>("ResultsJson").HasColumnType(t.Text);
            b.HasKey("Id");
            b.HasIndex("JobId", "Trigger", "FireTime").IsUnique();
            b.HasIndex("Status");
            b.ToTable("ScheduledJobRuns");
        });

        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityRoleClaim<string>", Role, "RoleId");
        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityUserClaim<string>", User, "UserId");
        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityUserLogin<string>", User, "UserId");
        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityUserRole<string>", Role, "RoleId");
        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityUserRole<string>", User, "UserId");
        Cascade(mb, "Microsoft.AspNetCore.Identity.IdentityUserToken<string>", User, "UserId");
        Cascade(mb, "Moxxie.Core.Security.ApiTokenEntity", User, "UserId");
        Cascade(mb, "Moxxie.Core.Preferences.UserPreference", User, "UserId");
    }

    private static void IntId(EntityTypeBuilder b, SnapshotTypes t) =>
        t.Identity(b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType(t.Int));

    private static PropertyBuilder VarChar(EntityTypeBuilder b, SnapshotTypes t, string name, int length) =>
        b.Property<string>(name).HasMaxLength(length).HasColumnType(t.VarChar(length));

    private static void Time(EntityTypeBuilder b, SnapshotTypes t, string name, bool nullable) =>
        b.Property(nullable ? typeof(long?) : typeof(long), name).HasColumnType(t.Long);

    private static void Cascade(ModelBuilder mb, string dependent, string principal, string foreignKey) =>
        mb.Entity(dependent, b => b.HasOne(principal, null).WithMany().HasForeignKey(foreignKey).OnDelete(DeleteBehavior.Cascade).IsRequired());
}
