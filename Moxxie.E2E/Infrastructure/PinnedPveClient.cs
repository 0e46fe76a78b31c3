using System.Net.Security;
using System.Security.Cryptography;

namespace Moxxie.E2E.Infrastructure;

/// <summary>An HttpClient to a PVE API (the simulator): token auth, its self-signed certificate pinned by SHA-256.</summary>
public static class PinnedPveClient
{
    public static HttpClient Create(Uri baseUrl, string fingerprint, string tokenId, string tokenSecret)
    {
        var expected = fingerprint.Replace(":", "", StringComparison.Ordinal);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && Convert.ToHexString(SHA256.HashData(cert.GetRawCertData())) == expected,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl, "api2/json/") };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"PVEAPIToken={tokenId}={tokenSecret}");
        return client;
    }
}
