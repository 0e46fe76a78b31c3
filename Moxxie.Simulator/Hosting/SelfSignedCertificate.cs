using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moxxie.Simulator.Hosting;

/// <summary>A self-signed RSA certificate like the one pveproxy serves on :8006 (SAN 127.0.0.1, ::1, localhost).</summary>
internal static class SelfSignedCertificate
{
    // Generating an RSA key takes 0.1–1 s; one key per process serves every simulator it starts (tests start many).
    // Simulators in one process therefore also share the ticket signing key (PveAuth signs with this key).
    private static readonly Lazy<RSA> Key = new(() => RSA.Create(2048));

    public static X509Certificate2 Create(string nodeName, DateTimeOffset now)
    {
        var rsa = Key.Value;
        var request = new CertificateRequest(
            $"CN={nodeName}, OU=PVE Cluster Node, O=Proxmox Virtual Environment", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName(nodeName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.NonRepudiation, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        X509Certificate2 cert;
        lock (Key) cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        using var _ = cert;
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>SHA-256 of the DER encoding, upper-case hex pairs separated by ':' (as PVE shows it).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)));
}
