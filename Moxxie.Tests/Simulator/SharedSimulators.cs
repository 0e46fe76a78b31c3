using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// One "demo" (3-node production-cluster) and one "single" (one standalone node "pve") simulator shared by the tests of one class (class fixture). For classes whose tests
/// only read, or change state they restore; tests that drive guests through tasks start their own simulator.
/// </summary>
public sealed class SharedSimulators : IAsyncLifetime
{
    public SimulatorHarness Demo { get; private set; } = null!;
    /// <summary>The one-node "single" preset (node "pve"); called Small from when that preset was named "small".</summary>
    public SimulatorHarness Small { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var demo = SimulatorHarness.StartAsync("demo", taskSpeed: 50);
        var small = SimulatorHarness.StartAsync("single", taskSpeed: 50);
        Demo = await demo;
        Small = await small;
    }

    public async ValueTask DisposeAsync()
    {
        await Demo.DisposeAsync();
        await Small.DisposeAsync();
    }
}
