using Moxxie.Core.Clusters;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Xunit;

namespace Moxxie.Tests.Unit.Proxmox;

public sealed class ConnectionValidationTests
{
    private const string Fp = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    [Fact]
    public void ValidConfiguration_HasNoErrors()
    {
        var options = new ProxmoxOptions
        {
            Connections =
            [
                new() { Name = "prod", Url = "https://pve.example:8006", TokenId = "root@pam!moxxie", TokenSecret = "s", Fingerprint = Fp.ToLowerInvariant() },
                new() { Name = "lab", Url = "https://10.0.0.5:8006/", Username = "root@pam", Password = "p", InsecureSkipVerify = true },
            ],
        };

        Assert.Empty(ProxmoxOptionsValidator.Errors(options));
    }

    [Fact]
    public void EveryProblem_IsReportedUnderItsKey()
    {
        var options = new ProxmoxOptions
        {
            Connections =
            [
                new() { Name = "ok", Url = "https://pve:8006", TokenId = "root@pam!m", TokenSecret = "s" },
                new() { Name = "bad name!", Url = "pve:8006", TokenId = "root!m", Fingerprint = "12:34" },
                new() { Name = "ok", Url = "https://pve:8006", Username = "root", },
            ],
        };

        var errors = ProxmoxOptionsValidator.Errors(options);

        Assert.Contains(errors, e => e.StartsWith("Moxxie:Proxmox:Connections:1:Name must be", StringComparison.Ordinal));
        Assert.Contains("Moxxie:Proxmox:Connections:1:Url must be an absolute https URL", errors);
        Assert.Contains("Moxxie:Proxmox:Connections:1:TokenId must look like user@realm!tokenname", errors);
        Assert.Contains(errors, e => e.StartsWith("Moxxie:Proxmox:Connections:1:TokenSecret is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Moxxie:Proxmox:Connections:1:Fingerprint must be a SHA-256", StringComparison.Ordinal));
        Assert.Contains("Moxxie:Proxmox:Connections:2:Name 'ok' is used by another connection", errors);
        Assert.Contains("Moxxie:Proxmox:Connections:2:Username must look like user@realm", errors);
        Assert.Contains("Moxxie:Proxmox:Connections:2:Password is required with Username", errors);
        Assert.DoesNotContain(errors, e => e.Contains(":0:", StringComparison.Ordinal));
    }

    [Fact]
    public void SettingsRules_ReportPerField()
    {
        var errors = ConnectionRules.Validate(new ProxmoxConnectionSettings("", new Uri("http://pve:8006"), "nope", null, "zz", false));

        Assert.Equal(["fingerprint", "name", "tokenId", "tokenSecret", "url"], errors.Keys.Order());
    }

    [Fact]
    public void Settings_ToString_HidesSecrets()
    {
        var s = new ProxmoxConnectionSettings("prod", new Uri("https://pve:8006"), "root@pam!m", "tok-secret-1", null, false, "root@pam", "pw-secret-2");

        Assert.DoesNotContain("tok-secret-1", s.ToString());
        Assert.DoesNotContain("pw-secret-2", s.ToString());
        Assert.Contains("root@pam!m", s.ToString());
    }
}
