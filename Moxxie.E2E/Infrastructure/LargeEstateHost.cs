using Moxxie.Simulator;

namespace Moxxie.E2E.Infrastructure;

/// <summary>The same app and browser over the simulator's "large" preset (16 nodes, 3,400 guests): for journeys that need
/// an estate too big for one page. Its own collection, so the demo journeys' cluster state is untouched.</summary>
public sealed class LargeEstateHost : MoxxieE2EHost
{
    protected override SimulatorOptions CreateSimulatorOptions() => new() { Preset = "large", Seed = 1, TaskSpeed = 5 };
}

[CollectionDefinition(Name)]
public sealed class LargeEstateCollection : ICollectionFixture<LargeEstateHost>
{
    public const string Name = "large-estate";
}
