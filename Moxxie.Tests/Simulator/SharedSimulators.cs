using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// One "demo" and one "small" simulator shared by the tests of one class (class fixture). For classes whose tests
/// only read, or change state they restore; tests that drive guests through tasks start their own simulator.
/// </summary>
public sealed class SharedSimulators : IAsyncLifetime
{
    public SimulatorHarness Demo { get; private set; } = null!;
    public SimulatorHarness Small { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var demo = SimulatorHarness.StartAsync("demo", taskSpeed: 50);
        var small = SimulatorHarness.StartAsync("small", taskSpeed: 50);
        Demo = await demo;
        Small = await small;
    }

    public async ValueTask DisposeAsync()
    {
        await Demo.DisposeAsync();
        await Small.DisposeAsync();
    }
}
