using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Tests.Simulator;

namespace Moxxie.Tests.Contract;

/// <summary>Answers each request with the next recorded PVE response (status, reason phrase, body) and remembers the
/// requests, so tests see exactly what Moxxie's client sent and how it read what real PVE answered.</summary>
public sealed class FixtureReplayHandler : HttpMessageHandler
{
    private readonly Queue<JsonObject> _fixtures = new();

    public FixtureReplayHandler(params string[] fixtures)
    {
        foreach (var f in fixtures) _fixtures.Enqueue(SharedProxmoxData.Fixture(f));
    }

    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
        if (_fixtures.Count == 0) throw new InvalidOperationException($"No recorded response left for {request.Method} {request.RequestUri}");
        var response = _fixtures.Dequeue()["response"]!.AsObject();
        var status = (HttpStatusCode)response["status"]!.GetValue<int>();
        var message = new HttpResponseMessage(status)
        {
            ReasonPhrase = response["reason"]?.GetValue<string>() ?? "OK",
            Content = new StringContent(response["body"]?.ToJsonString() ?? "", Encoding.UTF8, "application/json"),
            RequestMessage = request,
            Version = HttpVersion.Version11,
        };
        return message;
    }

    public static string RequestPath(string fixture) => SharedProxmoxData.Fixture(fixture)["request"]!["path"]!.GetValue<string>();

    internal static ProxmoxGateway Gateway(FixtureReplayHandler handler, ProxmoxConnectionSettings? settings = null) =>
        new(new ProxmoxClient(
            settings ?? new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006"), "root@pam!moxxie", "s3cret", null, false),
            handler, new ProxmoxOptions { ReadRetries = 0 }, TimeProvider.System, NullLogger.Instance));
}

public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    /// <summary>The path as PVE sees it (percent-escapes decoded), e.g. /api2/json/nodes/pve/tasks/UPID:pve:…:/status.</summary>
    public string Path => Uri.UnescapeDataString(Uri.AbsolutePath);
}
