using Microsoft.Extensions.Hosting;

namespace Moxxie.Simulator.Hosting;

/// <summary>In-process hosts (demo mode, tests) must not react to Ctrl+C or SIGTERM themselves: their owner stops them.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
