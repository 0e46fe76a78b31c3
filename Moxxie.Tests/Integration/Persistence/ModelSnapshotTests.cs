using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>The hand-written model snapshots must equal the model (EF's own differ finds nothing), so
/// HasPendingModelChanges() is false and Migrate() needs no suppressed PendingModelChangesWarning.</summary>
public sealed class ModelSnapshotTests
{
    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Snapshot_MatchesTheModel_SoNoModelChangesArePending(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider, ct);
        await using var db = database.CreateContext();

        var migrations = db.GetService<IMigrationsAssembly>();
        // Every hand-written migration of this provider (Initial, AddUserPreferences, AddSnapshotTtls, AddIdempotencyRecords, …).
        Assert.Contains("20261206040000_AddIdempotencyRecords", migrations.Migrations.Keys);
        Assert.Equal(MigrationsMatchModelTests.HandWrittenMigrations(db.GetType()), migrations.Migrations.Keys.Order());
        Assert.Contains("20261206030000_AddDeployments", migrations.Migrations.Keys);
        Assert.NotNull(migrations.ModelSnapshot);
        var differences = Differences(db, migrations.ModelSnapshot!);
        Assert.True(differences.Count == 0, "The model snapshot differs from the model:\n  " + string.Join("\n  ", differences));
        Assert.False(db.Database.HasPendingModelChanges());
    }

    private static List<string> Differences(DbContext db, ModelSnapshot snapshot)
    {
        var snapshotModel = snapshot.Model;
        if (snapshotModel is IMutableModel mutable)
            snapshotModel = mutable.FinalizeModel();
        snapshotModel = db.GetService<IModelRuntimeInitializer>().Initialize(snapshotModel);
        return db.GetService<IMigrationsModelDiffer>()
            .GetDifferences(snapshotModel.GetRelationalModel(), db.GetService<IDesignTimeModel>().Model.GetRelationalModel())
            .Select(Describe)
            .ToList();
    }

    private static string Describe(MigrationOperation op) => op switch
    {
        AlterColumnOperation a => $"AlterColumn {a.Table}.{a.Name}: {a.OldColumn.ColumnType}/{a.OldColumn.ClrType.Name}/null={a.OldColumn.IsNullable}/len={a.OldColumn.MaxLength} -> {a.ColumnType}/{a.ClrType.Name}/null={a.IsNullable}/len={a.MaxLength}",
        ColumnOperation c => $"{op.GetType().Name} {c.Table}.{c.Name}",
        TableOperation t => $"{op.GetType().Name} {t.Name}",
        CreateIndexOperation i => $"CreateIndex {i.Table}.{i.Name}",
        DropIndexOperation i => $"DropIndex {i.Table}.{i.Name}",
        AddForeignKeyOperation f => $"AddForeignKey {f.Table}.{f.Name}",
        DropForeignKeyOperation f => $"DropForeignKey {f.Table}.{f.Name}",
        _ => op.GetType().Name,
    };
}
