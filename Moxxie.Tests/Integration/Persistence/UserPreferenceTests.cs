using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Preferences;
using Moxxie.Core.Vms;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>The VM list's column choice is stored per user in the database, on both providers.</summary>
public sealed class UserPreferenceTests
{
    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task ColumnPreference_IsStoredPerUser_ReplacedOnChange_AndRemovedWithTheUser(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock();
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var alice = await AddUserAsync(host, "alice", ct);
        var bob = await AddUserAsync(host, "bob", ct);
        var preferences = new UserPreferenceService(host.Get<Moxxie.Core.Persistence.IMoxxieDbFactory>(), clock);

        Assert.Null(await preferences.GetAsync(alice, VmListColumns.PreferenceKey, ct));

        var hidden = VmListColumns.With(VmListColumns.With(VmListColumns.AllMask, VmColumn.Network, false), VmColumn.Tags, false);
        await preferences.SetAsync(alice, VmListColumns.PreferenceKey, VmListColumns.Format(hidden), ct);
        await preferences.SetAsync(bob, VmListColumns.PreferenceKey, "name,cpu", ct);

        // A second "application instance" over the same database reads what the first wrote.
        await using (var other = await PersistenceHost.AttachAsync(host.Database, ct))
        {
            var stored = await new UserPreferenceService(other.Get<Moxxie.Core.Persistence.IMoxxieDbFactory>(), TimeProvider.System)
                .GetAsync(alice, VmListColumns.PreferenceKey, ct);
            Assert.Equal("status,vmid,name,node,cpu,memory,disk,uptime", stored);
            Assert.Equal(hidden, VmListColumns.Parse(stored));
            Assert.False(VmListColumns.Has(VmListColumns.Parse(stored), VmColumn.Network));
        }
        Assert.Equal("name,cpu", await preferences.GetAsync(bob, VmListColumns.PreferenceKey, ct));

        clock.Now = clock.Now.AddMinutes(5);
        await preferences.SetAsync(alice, VmListColumns.PreferenceKey, "name", ct);
        await using (var db = (MoxxieDbContext)await host.Get<Moxxie.Core.Persistence.IMoxxieDbFactory>().CreateAsync(ct))
        {
            var row = Assert.Single(await db.UserPreferences.AsNoTracking().Where(p => p.UserId == alice).ToListAsync(ct));
            Assert.Equal("name", row.Value);
            Assert.Equal(clock.Now, row.UpdatedAt);

            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == alice, ct));
            await db.SaveChangesAsync(ct);
        }
        Assert.Null(await preferences.GetAsync(alice, VmListColumns.PreferenceKey, ct));
        Assert.Equal("name,cpu", await preferences.GetAsync(bob, VmListColumns.PreferenceKey, ct));
    }

    private static async Task<string> AddUserAsync(PersistenceHost host, string name, CancellationToken ct)
    {
        await using var db = (MoxxieDbContext)await host.Get<Moxxie.Core.Persistence.IMoxxieDbFactory>().CreateAsync(ct);
        var user = new MoxxieUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString() };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user.Id;
    }
}
