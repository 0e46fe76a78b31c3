using Xunit;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Moxxie.Simulator;

namespace Moxxie.Tests.Simulator;

/// <summary>A started simulator plus HttpClients that pin its certificate by SHA-256 fingerprint.</summary>
public sealed class SimulatorHarness : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private SimulatorHarness(SimulatorServer server) => Server = server;

    public SimulatorServer Server { get; }
    public SimulatedCluster Cluster => Server.Cluster;
    public Uri ApiBase => new(Server.BaseUrl, "api2/json/");

    public static async Task<SimulatorHarness> StartAsync(string preset = "demo", int seed = 1, double taskSpeed = 20,
        TimeProvider? time = null, bool delayUnauthorized = false)
    {
        var options = new SimulatorOptions
        {
            Preset = preset, Seed = seed, TaskSpeed = taskSpeed, Token = "root@pam!moxxie=5ecret-token",
            RootPassword = "r00t-pass", DelayUnauthorized = delayUnauthorized,
            ValidateResponses = true,   // every answer is checked against the schema's "returns" (contract part c)
        };
        if (time is not null) options.TimeProvider = time;
        return new SimulatorHarness(await SimulatorServer.StartAsync(options, TestContext.Current.CancellationToken));
    }

    /// <summary>A client without credentials; validates the server certificate by its pinned fingerprint only.</summary>
    public HttpClient Anonymous() => Create(null);

    /// <summary>A client that sends "Authorization: PVEAPIToken=…".</summary>
    public HttpClient WithToken() =>
        Create(c => c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"PVEAPIToken={Server.TokenId}={Server.TokenSecret}"));

    public HttpClient Create(Action<HttpClient>? configure)
    {
        var expected = Server.CertificateFingerprint;
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) =>
                cert is not null && string.Join(':', Convert.ToHexString(SHA256.HashData(cert.GetRawCertData())).Chunk(2).Select(c => new string(c))) == expected },
        };
        var client = new HttpClient(handler) { BaseAddress = ApiBase, DefaultRequestVersion = HttpVersion.Version11 };
        configure?.Invoke(client);
        _clients.Add(client);
        return client;
    }

    /// <summary>Logs in as root@pam and returns (ticket, CSRF token).</summary>
    public async Task<(string Ticket, string Csrf)> LoginAsync()
    {
        using var response = await Anonymous().PostAsync("access/ticket",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "root@pam", ["password"] = Server.RootPassword }),
            TestContext.Current.CancellationToken);
        var body = await ApiCall.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (body["data"]!["ticket"]!.GetValue<string>(), body["data"]!["CSRFPreventionToken"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        await Server.DisposeAsync();
    }
}
