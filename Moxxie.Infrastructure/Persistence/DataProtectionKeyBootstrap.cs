using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>
/// Makes the Data Protection key at start, under <see cref="StartupLock"/> (<see cref="DatabaseMigrator"/>), instead of
/// lazily at the first Protect: instances started together on an empty database would otherwise each find no key and each
/// write one, and for up to a day (the key ring's refresh) cookies, API-token secrets and stored PVE secrets protected by
/// one would only read on another after an unknown-key refresh. The later instances find the key and make none.
/// </summary>
public static class DataProtectionKeyBootstrap
{
    /// <summary>A key this close to its expiry is about to be replaced by Data Protection itself (its default key
    /// propagation window), so it does not count as usable.</summary>
    public static readonly TimeSpan RenewWithin = TimeSpan.FromDays(2);

    /// <summary>Creates a key (active from <paramref name="now"/>, <paramref name="lifetime"/> long) when none is usable
    /// for at least <see cref="RenewWithin"/>; returns whether it did.</summary>
    public static bool EnsureKey(IKeyManager keys, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var usable = keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now + RenewWithin);
        if (usable) return false;
        keys.CreateNewKey(now, now + lifetime);
        return true;
    }
}
