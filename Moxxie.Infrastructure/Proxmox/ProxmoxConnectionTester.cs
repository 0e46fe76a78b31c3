using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>"Test connection": a throw-away client with the given settings asks for the version and the cluster status,
/// and reports the certificate fingerprint PVE presented (also when pinning or validation failed).</summary>
internal sealed class ProxmoxConnectionTester(ProxmoxClientFactory factory) : IProxmoxConnectionTester
{
    public async Task<ConnectionTestResult> TestAsync(ProxmoxConnectionSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = factory.Options;
        var quick = new ProxmoxOptions { Timeout = TimeSpan.FromSeconds(Math.Min(options.Timeout.TotalSeconds, 15)), ReadRetries = 0, TicketRenewAfter = options.TicketRenewAfter };
        using var client = factory.Create(settings with { Name = string.IsNullOrWhiteSpace(settings.Name) ? "test" : settings.Name }, quick);
        var gateway = new ProxmoxGateway(client);
        try
        {
            var version = await gateway.GetVersionAsync(ct);
            var cluster = await gateway.GetClusterStatusAsync(ct);
            return new ConnectionTestResult(true, null, version.Version, cluster.Name, client.Certificates?.LastPresentedFingerprint, cluster.Nodes.Count);
        }
        catch (ProxmoxException ex)
        {
            return new ConnectionTestResult(false, ex.Message, null, null, client.Certificates?.LastPresentedFingerprint, null);
        }
    }
}
