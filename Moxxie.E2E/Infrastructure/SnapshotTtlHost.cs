using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Snapshots;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// Its own simulator + app (the TTL journey moves clocks forward, which must not leak into the other journeys' cluster),
/// with the snapshot reaper on a test-only <see cref="AdvanceableClock"/> and a 1 s ReapInterval.
/// Only the reaper's clock is advanced, not the whole app's: moving Moxxie's TimeProvider past the TTL would also move
/// it past the sign-in cookie's and the antiforgery/Data Protection lifetimes, so the open page (and any reload) would
/// be sent back to sign in. The reaper is the only component whose "now" decides the expiry (it compares the stored
/// ExpiresAt with its clock), so advancing its clock is exactly "time passed" for the TTL while the browser session
/// stays valid. The simulator's own clock is advanced through /_sim so PVE's side agrees.
/// </summary>
public sealed class SnapshotTtlHost : MoxxieE2EHost
{
    public AdvanceableClock ReaperClock { get; } = new();

    protected override void ConfigureApp(IWebHostBuilder builder)
    {
        builder.UseSetting("Moxxie:Snapshots:ReapInterval", "00:00:01");
        // Runs after the app's registrations: this SnapshotReaper (the one the hosted reaper service gets) wins.
        builder.ConfigureServices(services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SnapshotReaper>(sp, (TimeProvider)ReaperClock)));
    }
}

[CollectionDefinition(Name)]
public sealed class SnapshotTtlCollection : ICollectionFixture<SnapshotTtlHost>
{
    public const string Name = "snapshot-ttl";
}
