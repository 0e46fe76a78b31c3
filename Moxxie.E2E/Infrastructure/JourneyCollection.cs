namespace Moxxie.E2E.Infrastructure;

/// <summary>All journeys share one simulator + app + browser and run sequentially (they share cluster state).</summary>
[CollectionDefinition(Name)]
public sealed class JourneyCollection : ICollectionFixture<MoxxieE2EHost>
{
    public const string Name = "journeys";
}
