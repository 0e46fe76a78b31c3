using Xunit;
using System.Diagnostics;
using System.Net;

namespace Moxxie.Tests.Simulator;

/// <summary>Authentication exactly as pveproxy: 401 kinds, ticket + CSRF, API token without CSRF.</summary>
public sealed class SimulatorAuthTests(SharedSimulators simulators) : IClassFixture<SharedSimulators>
{
    private readonly SimulatorHarness _sim = simulators.Small;

    [Fact]
    public async Task NoCredentials_Answers401NoTicket()
    {
        var r = await _sim.Anonymous().GetJsonAsync("nodes");
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("No ticket", r.Reason);
        Assert.Equal("""{"data":null}""", r.Body.ToJsonString());
    }

    [Theory]
    [InlineData("PVEAPIToken=root@pam!moxxie=wrong")]
    [InlineData("PVEAPIToken=root@pam!other=5ecret-token")]
    [InlineData("PVEAPIToken=garbage")]
    [InlineData("PVEAuthCookie=PVE:root@pam:5FBE5C9B::bm90IGEgc2lnbmF0dXJl")]
    public async Task BadTokenOrTicket_Answers401AuthenticationFailed(string authorization)
    {
        var client = _sim.Create(c => c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization));
        var r = await client.GetJsonAsync("nodes");
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("Authentication failed!", r.Reason);
    }

    [Fact]
    public async Task Token_InSpaceForm_IsAccepted_AndWritesNeedNoCsrf()
    {
        var client = _sim.Create(c => c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"PVEAPIToken {_sim.Server.TokenId}={_sim.Server.TokenSecret}"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("nodes")).Status);

        var start = await client.PostFormAsync("nodes/pve/qemu/101/status/start");
        Assert.Equal(HttpStatusCode.OK, start.Status);
        Assert.EndsWith(":qmstart:101:root@pam!moxxie:", start.Data!.GetValue<string>());
    }

    [Fact]
    public async Task WrongPassword_Answers401AuthenticationFailure()
    {
        var r = await _sim.Anonymous().PostFormAsync("access/ticket",
            new Dictionary<string, string> { ["username"] = "root@pam", ["password"] = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("authentication failure", r.Reason);
        Assert.Null(r.Data);
    }

    [Fact]
    public async Task Login_ReturnsTicketCsrfAndCap_InPveFormat()
    {
        var r = await _sim.Anonymous().PostFormAsync("access/ticket",
            new Dictionary<string, string> { ["username"] = "root", ["realm"] = "pam", ["password"] = _sim.Server.RootPassword });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("root@pam", r.Data!["username"]!.GetValue<string>());
        Assert.Matches("^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/]+=*$", r.Data["ticket"]!.GetValue<string>());
        Assert.Matches("^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$", r.Data["CSRFPreventionToken"]!.GetValue<string>());
        Assert.Equal(1, r.Data["cap"]!["vms"]!["VM.PowerMgmt"]!.GetValue<int>());
        Assert.Null(r.Data["clustername"]);   // "single" is a standalone node
    }

    [Fact]
    public async Task Ticket_WorksAsCookieAndHeader_WritesNeedCsrf()
    {
        var (ticket, csrf) = await _sim.LoginAsync();
        var cookie = _sim.Create(c => c.DefaultRequestHeaders.Add("Cookie", $"PVEAuthCookie={Uri.EscapeDataString(ticket)}"));
        var header = _sim.Create(c => c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"PVEAuthCookie={ticket}"));

        Assert.Equal(HttpStatusCode.OK, (await cookie.GetJsonAsync("cluster/status")).Status);
        Assert.Equal(HttpStatusCode.OK, (await header.GetJsonAsync("cluster/status")).Status);

        var noCsrf = await cookie.PostFormAsync("nodes/pve/qemu/101/status/start");
        Assert.Equal(HttpStatusCode.Unauthorized, noCsrf.Status);
        Assert.Equal("Permission denied - invalid csrf token", noCsrf.Reason);

        var badCsrf = await cookie.SendAsync(HttpMethod.Post, "nodes/pve/qemu/101/status/start", new Dictionary<string, string>(),
            m => m.Headers.Add("CSRFPreventionToken", csrf[..9] + new string('A', 43)));
        Assert.Equal("Permission denied - invalid csrf token", badCsrf.Reason);

        var ok = await cookie.SendAsync(HttpMethod.Post, "nodes/pve/qemu/101/status/start", new Dictionary<string, string>(),
            m => m.Headers.Add("CSRFPreventionToken", csrf));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.EndsWith(":qmstart:101:root@pam:", ok.Data!.GetValue<string>());
    }

    [Fact]
    public async Task Ticket_CanBeRenewed_ByPassingItAsPassword()
    {
        var (ticket, _) = await _sim.LoginAsync();
        var r = await _sim.Anonymous().PostFormAsync("access/ticket",
            new Dictionary<string, string> { ["username"] = "root@pam", ["password"] = ticket });
        Assert.Equal(HttpStatusCode.OK, r.Status);
    }

    [Fact]
    public async Task DelayUnauthorized_DelaysThe401ByAboutThreeSeconds()
    {
        await using var slow = await SimulatorHarness.StartAsync(preset: "single", delayUnauthorized: true);
        var watch = Stopwatch.StartNew();
        var r = await slow.Anonymous().GetJsonAsync("version");
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.9), $"401 came after {watch.Elapsed}");
    }
}
