using System.Threading.Channels;

namespace Moxxie.Core.Deployments;

/// <summary>Deployments waiting for the worker (Infrastructure's DeploymentWorker reads this). Unbounded: a request is a
/// row id, and the API answers before the work starts.</summary>
public sealed class DeploymentQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string deploymentId) => _channel.Writer.TryWrite(deploymentId);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
