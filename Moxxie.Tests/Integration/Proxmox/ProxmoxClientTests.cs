using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

public sealed class ProxmoxClientTests : IAsyncLifetime
{
    private PveTestHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PveTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TokenAuth_ReadsVersionClusterAndResources()
    {
        var gw = _host.Gateway(_host.TokenSettings());

        var version = await gw.GetVersionAsync(Ct);
        var cluster = await gw.GetClusterStatusAsync(Ct);
        var resources = await gw.GetResourcesAsync(Ct);

        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.Equal("production-cluster", cluster.Name);
        Assert.Equal(["proxmox-01", "proxmox-02", "proxmox-03"], cluster.Nodes.Select(n => n.Name));
        var web = Assert.Single(resources.Guests, g => g.VmId == 101);
        Assert.Equal("web-server-01", web.Name);
        Assert.Equal("running", web.Status);
        Assert.Contains("env-prod", web.Tags);
        Assert.Contains(resources.Guests, g => g.Template);
        Assert.Equal(3, resources.Nodes.Count);
        Assert.NotEmpty(resources.Storage);
    }

    [Fact]
    public async Task TicketAuth_WritesWithCsrf_AndStartsAVm()
    {
        var gw = _host.Gateway(_host.TicketSettings());

        var upid = await gw.PowerAsync("proxmox-01", 102, GuestType.Qemu, PowerAction.Start, Ct);

        Assert.StartsWith("UPID:proxmox-01:", upid);
        var done = await Eventually.HoldsAsync(() => gw.GetTaskStatusAsync("proxmox-01", upid, Ct), t => !t.Running, TimeSpan.FromSeconds(15), "the start task to end");
        Assert.True(done.Succeeded, done.ExitStatus);
        Assert.Equal("running", _host.Cluster.FindGuest(102)!.Status);
        var log = await gw.GetTaskLogAsync("proxmox-01", upid, 0, 50, Ct);
        Assert.Equal("TASK OK", log.Lines[^1].Text);
    }

    [Fact]
    public async Task WrongPassword_SurfacesPvesMessage()
    {
        var gw = _host.Gateway(_host.TicketSettings() with { Password = "nope" });

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("authentication failure", ex.Message);
        Assert.DoesNotContain("nope", ex.ToString());
    }

    [Fact]
    public async Task WrongToken_IsRefusedWithoutLeakingTheSecret()
    {
        var gw = _host.Gateway(_host.TokenSettings() with { TokenSecret = "wrong-secret-value" });

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.DoesNotContain("wrong-secret-value", ex.ToString());
    }

    [Fact]
    public async Task PveError_CarriesTheReasonPhrase()
    {
        var gw = _host.Gateway(_host.TokenSettings());

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.PowerAsync("proxmox-01", 4242, GuestType.Qemu, PowerAction.Start, Ct));

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("4242", ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public async Task PinnedFingerprint_Mismatch_IsRejectedAndNamesThePresentedOne()
    {
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        var gw = _host.Gateway(_host.TokenSettings() with { Fingerprint = wrong });

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Null(ex.StatusCode);
        Assert.Contains(_host.Server.CertificateFingerprint, ex.Message);
    }

    [Fact]
    public async Task PinnedFingerprint_IsCaseInsensitive()
    {
        var gw = _host.Gateway(_host.TokenSettings() with { Fingerprint = _host.Server.CertificateFingerprint.ToLowerInvariant() });

        var version = await gw.GetVersionAsync(Ct);

        Assert.False(string.IsNullOrEmpty(version.Version));
    }

    [Fact]
    public async Task SelfSignedCertificate_WithoutPinOrSkip_IsRejected_InsecureSkipVerifyAccepts()
    {
        var strict = _host.Gateway(_host.TokenSettings() with { Fingerprint = null });
        var lab = _host.Gateway(_host.TokenSettings() with { Fingerprint = null, InsecureSkipVerify = true });

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => strict.GetVersionAsync(Ct));
        var version = await lab.GetVersionAsync(Ct);

        Assert.Null(ex.StatusCode);
        Assert.Contains("not trusted", ex.Message);
        Assert.False(string.IsNullOrEmpty(version.Version));
    }

    [Fact]
    public async Task Tester_ReportsVersionClusterNodesAndFingerprint_EvenWhenPinFails()
    {
        var tester = new ProxmoxConnectionTester(PveTestHost.Factory());

        var ok = await tester.TestAsync(_host.TokenSettings(), Ct);
        var mismatch = await tester.TestAsync(_host.TokenSettings() with { Fingerprint = string.Join(':', Enumerable.Repeat("00", 32)) }, Ct);

        Assert.True(ok.Success, ok.Error);
        Assert.Equal("production-cluster", ok.ClusterName);
        Assert.Equal(3, ok.NodeCount);
        Assert.Equal(_host.Server.CertificateFingerprint, ok.CertificateFingerprint);
        Assert.False(mismatch.Success);
        Assert.Equal(_host.Server.CertificateFingerprint, mismatch.CertificateFingerprint);
    }

    [Fact]
    public async Task Unreachable_IsAPlainTransportError()
    {
        var gw = PveTestHost.Factory(new ProxmoxOptions { ReadRetries = 0 })
            .CreateGateway(new ProxmoxConnectionSettings("down", new Uri("https://127.0.0.1:1/"), "root@pam!x", "s", null, true));
        using var _ = gw;

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.True(ex.Unreachable);
        Assert.Contains("127.0.0.1:1", ex.Message);
    }
}
