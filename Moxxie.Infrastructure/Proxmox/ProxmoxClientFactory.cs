using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Builds one <see cref="ProxmoxClient"/> (own HttpClient and primary handler with the TLS policy) per connection.</summary>
internal sealed class ProxmoxClientFactory(IOptions<ProxmoxOptions> options, TimeProvider time, ILoggerFactory loggers)
{
    public ProxmoxOptions Options => options.Value;

    public ProxmoxClient Create(ProxmoxConnectionSettings settings, ProxmoxOptions? overrides = null)
    {
        var policy = new CertificatePolicy(settings.Fingerprint, settings.InsecureSkipVerify);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false, // the ticket cookie is set per request
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => policy.Validate(certificate, errors);
        return new ProxmoxClient(settings, handler, overrides ?? options.Value, time, loggers.CreateLogger("Moxxie.Proxmox"), policy);
    }

    public ProxmoxGateway CreateGateway(ProxmoxConnectionSettings settings) => new(Create(settings));
}
