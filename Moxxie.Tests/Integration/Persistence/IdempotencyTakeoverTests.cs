using Moxxie.Core.Idempotency;
using Moxxie.Core.Persistence;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>An Idempotency-Key whose first request never got an answer (its instance crashed) is refused as in flight only
/// for <see cref="IdempotencyService.InFlightTimeout"/>; then the same request takes it over, once.</summary>
public sealed class IdempotencyTakeoverTests
{
    private const string Hash = "5f1d0c8e6b3a49e2a7c4d1b0e9f8a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task An_unanswered_key_is_in_flight_until_the_timeout_then_the_same_request_takes_it_over_once(DbProvider provider)
    {
        var clock = new SettableClock();
        await using var host = await PersistenceHost.StartAsync(provider, clock, Ct);
        var service = new IdempotencyService(host.Get<IMoxxieDbFactory>(), clock);
        Task<IdempotencyDecision> Begin(string hash = Hash) => service.BeginAsync("user-1", "key-1", "POST", "/api/v1/vms/101/snapshots", hash, Ct);

        var first = Assert.IsType<IdempotencyDecision.Proceed>(await Begin());   // ... and its instance dies: no Complete, no Abandon
        clock.Now += IdempotencyService.InFlightTimeout - TimeSpan.FromSeconds(1);
        Assert.IsType<IdempotencyDecision.InFlight>(await Begin());
        Assert.IsType<IdempotencyDecision.Mismatch>(await Begin(Hash.Replace('5', '6')));

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.IsType<IdempotencyDecision.Mismatch>(await Begin(Hash.Replace('5', '6')));   // another request never takes a key over
        var retries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Begin(), Ct)));
        var takeover = Assert.Single(retries.OfType<IdempotencyDecision.Proceed>());
        Assert.Equal(first.RecordId, takeover.RecordId);
        Assert.All(retries.Where(r => r is not IdempotencyDecision.Proceed), r => Assert.IsType<IdempotencyDecision.InFlight>(r));

        // The taking-over request is in flight afresh; its answer is what the key answers from then on.
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.IsType<IdempotencyDecision.InFlight>(await Begin());
        await service.CompleteAsync(takeover.RecordId, 202, "application/json", "stored");
        Assert.Equal(new IdempotencyDecision.Replay(202, "application/json", "stored"), await Begin());
        clock.Now += IdempotencyService.InFlightTimeout * 2;
        Assert.IsType<IdempotencyDecision.Replay>(await Begin());   // an answered key is never taken over
    }
}
