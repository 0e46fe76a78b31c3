using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Clusters;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

public sealed class SecretProtectorTests
{
    private const string Secret = "0b6e5a1c-3f2d-4e7a-9c1b-2d8f4a6e0c13";

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Protect_RoundTrips_StoresCiphertext_AndKeepsKeysInTheDatabase(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await PersistenceHost.StartAsync(provider, ct: ct);
        {
            var protector = host.Get<ISecretProtector>();
            var stored = protector.Protect(Secret);
            Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
            Assert.Equal(Secret, protector.Unprotect(stored));

            await using var db = await host.Get<IMoxxieDbFactory>().CreateAsync(ct);
            var now = DateTimeOffset.UtcNow;
            db.ProxmoxConnections.Add(new ProxmoxConnectionEntity
            {
                Name = "lab", Url = "https://pve.lab:8006/", TokenId = "root@pam!moxxie", ProtectedTokenSecret = stored, CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(ct);

            // The raw column holds ciphertext, and the Data Protection key ring lives in the database.
            var context = (MoxxieDbContext)db;
            var raw = await context.Database.SqlQueryRaw<string>("SELECT \"ProtectedTokenSecret\" AS \"Value\" FROM \"ProxmoxConnections\"").SingleAsync(ct);
            Assert.Equal(stored, raw);
            Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
            Assert.NotEmpty(await context.DataProtectionKeys.ToListAsync(ct));

            Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("not-protected-text"));
        }
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Unprotect_WorksInASecondInstance_WithKeysFromTheDatabase(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await PersistenceHost.StartAsync(provider, ct: ct);
        var stored = host.Get<ISecretProtector>().Protect(Secret);

        await using var second = await PersistenceHost.AttachAsync(host.Database, ct);
        Assert.Equal(Secret, second.Get<ISecretProtector>().Unprotect(stored));
    }
}
