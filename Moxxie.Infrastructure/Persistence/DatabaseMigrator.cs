using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>Applies pending migrations when the host starts, before any other hosted service touches the database, then makes
/// sure there is a Data Protection key (<see cref="DataProtectionKeyBootstrap"/>); one instance at a time (<see cref="StartupLock"/>).</summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<MoxxieDbContext> factory, IKeyManager keys, IOptions<KeyManagementOptions> keyOptions, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var startup = await StartupLock.AcquireAsync(factory, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            logger.LogInformation("Applying database migrations: {Migrations}", string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
        // Data Protection's own clock (it compares key dates with the system time).
        if (DataProtectionKeyBootstrap.EnsureKey(keys, keyOptions.Value.NewKeyLifetime, DateTimeOffset.UtcNow))
            logger.LogInformation("Created the Data Protection key");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
