using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Tests.Unit.Support;
using Xunit;

namespace Moxxie.Tests.Unit.Proxmox;

/// <summary>Retries only for reads, ticket renewal and the single re-login on 401, with a scripted handler.</summary>
public sealed class ProxmoxClientBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ScriptedHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(respond(request, Requests.Count));
        }
    }

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK, string reason = "OK") =>
        new(status) { ReasonPhrase = reason, Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Ticket(string ticket) =>
        Json("{\"data\":{\"username\":\"root@pam\",\"ticket\":\"" + ticket + "\",\"CSRFPreventionToken\":\"CSRF-" + ticket + "\"}}");

    private const string Version = """{"data":{"version":"8.4.1","release":"8.4","repoid":"abc"}}""";

    private static ProxmoxGateway Gateway(HttpMessageHandler handler, TimeProvider time, bool ticket = false) =>
        new(new ProxmoxClient(
            ticket
                ? new ProxmoxConnectionSettings("pve", new Uri("https://pve:8006"), null, null, null, false, "root@pam", "pw")
                : new ProxmoxConnectionSettings("pve", new Uri("https://pve:8006"), "root@pam!m", "s", null, false),
            handler, new ProxmoxOptions { ReadRetries = 2 }, time, NullLogger.Instance));

    [Fact]
    public async Task Get_IsRetriedAfterATransportFailure()
    {
        var handler = new ScriptedHandler((_, n) => n == 1 ? throw new HttpRequestException("reset", null, null) : Json(Version));
        using var gw = Gateway(handler, TimeProvider.System);

        var version = await gw.GetVersionAsync(Ct);

        Assert.Equal("8.4.1", version.Version);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Post_IsNeverRetried()
    {
        var handler = new ScriptedHandler((_, _) => throw new HttpRequestException("reset", null, null));
        using var gw = Gateway(handler, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct));

        Assert.True(ex.Unreachable);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task PveErrors_AreNotRetried_EvenForGets()
    {
        var handler = new ScriptedHandler((_, _) => Json("""{"data":null}""", HttpStatusCode.InternalServerError, "VM 100 not running"));
        using var gw = Gateway(handler, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal("VM 100 not running", ex.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Ticket_IsReused_ThenRenewedBeforeItExpires()
    {
        var clock = new ManualClock();
        var logins = 0;
        var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("access/ticket", StringComparison.Ordinal)
            ? Ticket($"T{++logins}")
            : Json(Version));
        using var gw = Gateway(handler, clock, ticket: true);

        await gw.GetVersionAsync(Ct);
        clock.Advance(TimeSpan.FromMinutes(60));
        await gw.GetVersionAsync(Ct);
        Assert.Equal(1, logins);

        clock.Advance(TimeSpan.FromMinutes(31));
        await gw.GetVersionAsync(Ct);

        Assert.Equal(2, logins);
        Assert.Equal("PVEAuthCookie=T2", handler.Requests[^1].Headers.GetValues("Cookie").Single());
        Assert.False(handler.Requests[^1].Headers.Contains("CSRFPreventionToken")); // GETs need no CSRF token
    }

    [Fact]
    public async Task Unauthorized_LogsInAgainOnce_AndResendsWithCsrf()
    {
        var logins = 0;
        var handler = new ScriptedHandler((r, _) =>
        {
            if (r.RequestUri!.AbsolutePath.EndsWith("access/ticket", StringComparison.Ordinal)) return Ticket($"T{++logins}");
            return r.Headers.GetValues("Cookie").Single() == "PVEAuthCookie=T1"
                ? Json("""{"data":null}""", HttpStatusCode.Unauthorized, "Authentication failed!")
                : Json("""{"data":"UPID:pve:00000001:00000002:5FBE5E6D:qmstart:100:root@pam:"}""");
        });
        using var gw = Gateway(handler, TimeProvider.System, ticket: true);

        var upid = await gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct);

        Assert.StartsWith("UPID:", upid);
        Assert.Equal(2, logins);
        Assert.Equal("CSRF-T2", handler.Requests[^1].Headers.GetValues("CSRFPreventionToken").Single());
    }

    [Fact]
    public async Task Unauthorized_Twice_Surfaces401()
    {
        var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("access/ticket", StringComparison.Ordinal)
            ? Ticket("T")
            : Json("""{"data":null}""", HttpStatusCode.Unauthorized, "Authentication failed!"));
        using var gw = Gateway(handler, TimeProvider.System, ticket: true);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal((401, "Authentication failed!"), (ex.StatusCode, ex.Message));
        Assert.Equal(4, handler.Requests.Count); // login, call, login, call
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task SlowPve_TimesOut_AsAPlainUnreachableError()
    {
        using var gw = new ProxmoxGateway(new ProxmoxClient(
            new ProxmoxConnectionSettings("pve", new Uri("https://pve:8006"), "root@pam!m", "s", null, false),
            new HangingHandler(), new ProxmoxOptions { ReadRetries = 0, Timeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, NullLogger.Instance));

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct));

        Assert.True(ex.Unreachable);
        Assert.Contains("did not answer", ex.Message);
    }

    [Fact]
    public async Task RepeatedTransportFailures_OpenTheCircuit_SoCallsFailFastWithoutReachingPve()
    {
        var handler = new ScriptedHandler((_, _) => throw new HttpRequestException("refused", null, null));
        using var gw = new ProxmoxGateway(new ProxmoxClient(
            new ProxmoxConnectionSettings("pve", new Uri("https://pve:8006"), "root@pam!m", "s", null, false),
            handler, new ProxmoxOptions { ReadRetries = 0 }, TimeProvider.System, NullLogger.Instance));

        for (var i = 0; i < 8; i++) await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));
        var sent = handler.Requests.Count;
        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal(sent, handler.Requests.Count);
        Assert.Contains("unavailable after repeated failures", ex.Message);
        Assert.True(ex.Unreachable);
    }
}
