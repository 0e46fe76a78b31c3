using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Infrastructure.Persistence;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>The start-up key: made once when no key is usable for the next days, never again while one is.</summary>
public sealed class DataProtectionKeyBootstrapTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("moxxie-dpkeys-");
    private readonly ServiceProvider _services;

    public DataProtectionKeyBootstrapTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().PersistKeysToFileSystem(_dir).SetApplicationName("Moxxie");
        _services = services.BuildServiceProvider();
    }

    private IKeyManager Keys => _services.GetRequiredService<IKeyManager>();

    [Fact]
    public void A_key_is_made_when_none_is_usable_and_not_while_one_is()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(DataProtectionKeyBootstrap.EnsureKey(Keys, Lifetime, now));
        var key = Assert.Single(Keys.GetAllKeys());
        Assert.Equal(now, key.ActivationDate);
        Assert.Equal(now + Lifetime, key.ExpirationDate);

        Assert.False(DataProtectionKeyBootstrap.EnsureKey(Keys, Lifetime, now.AddMinutes(1)));
        Assert.False(DataProtectionKeyBootstrap.EnsureKey(Keys, Lifetime, now.AddDays(80)));
        Assert.Single(Keys.GetAllKeys());

        // Within two days of its expiry the key no longer counts: a new one is made.
        Assert.True(DataProtectionKeyBootstrap.EnsureKey(Keys, Lifetime, now + Lifetime - TimeSpan.FromDays(1)));
        Assert.Equal(2, Keys.GetAllKeys().Count);
    }

    [Fact]
    public void A_revoked_key_does_not_count()
    {
        var now = DateTimeOffset.UtcNow;
        var revoked = Keys.CreateNewKey(now, now + Lifetime);
        Keys.RevokeKey(revoked.KeyId, "test");
        Assert.True(DataProtectionKeyBootstrap.EnsureKey(Keys, Lifetime, now.AddSeconds(2)));
        Assert.Single(Keys.GetAllKeys(), k => !k.IsRevoked && k.KeyId != revoked.KeyId);
    }

    public void Dispose()
    {
        _services.Dispose();
        _dir.Delete(recursive: true);
    }
}
