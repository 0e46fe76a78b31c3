using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>GET /api/v1/nodes/{node} and /services against the guide's "Node Management" examples, field by field; service
/// actions by role. Real app, demo simulator, Moxxie's own PVE client.</summary>
public sealed class NodeApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsAsync(string role) => AppSession.ApiClientAsync(App, "node" + role.ToLowerInvariant(), role,
        async c => (await c.GetFromJsonAsync<JsonElement>("/api/v1/nodes", Ct)).GetArrayLength() > 0);

    private static void Number(JsonElement item, string key) =>
        Assert.True(item.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number, $"{key} should be a number in {item}");

    private static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, body.GetProperty("error").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.True(body.TryGetProperty("details", out _));
    }

    [Fact]
    public async Task NodeStatus_HasTheGuidesFields()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var node = await client.GetFromJsonAsync<JsonElement>("/api/v1/nodes/proxmox-01", Ct);

        Assert.Equal("proxmox-01", node.GetProperty("node").GetString());
        Assert.Equal("online", node.GetProperty("status").GetString());
        foreach (var key in new[] { "cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime" })
            Number(node, key);
        Assert.True(node.GetProperty("maxcpu").GetInt32() > 0);
        Assert.StartsWith("pve-manager/", node.GetProperty("pveversion").GetString());
        Assert.StartsWith("Linux ", node.GetProperty("kversion").GetString());
        var load = node.GetProperty("loadavg").EnumerateArray().ToList();
        Assert.Equal(3, load.Count);
        Assert.All(load, l => Assert.Equal(JsonValueKind.Number, l.ValueKind));
        var cpu = node.GetProperty("cpuinfo");
        Assert.False(string.IsNullOrWhiteSpace(cpu.GetProperty("model").GetString()));
        foreach (var key in new[] { "sockets", "cores", "threads", "mhz" })
            Number(cpu, key);
        foreach (var part in new[] { "rootfs", "swap" })
        {
            var fs = node.GetProperty(part);
            foreach (var key in new[] { "total", "used", "free" })
                Number(fs, key);
            Assert.True(fs.GetProperty("total").GetInt64() >= fs.GetProperty("used").GetInt64());
        }
    }

    [Fact]
    public async Task Services_AreNameDescState_WithTheGuidesServices()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var services = (await client.GetFromJsonAsync<JsonElement>("/api/v1/nodes/proxmox-01/services", Ct)).EnumerateArray().ToList();

        var names = services.Select(s => s.GetProperty("name").GetString()).ToList();
        foreach (var expected in new[] { "pve-cluster", "pvedaemon", "pve-firewall", "pveproxy" })
            Assert.Contains(expected, names);
        var proxy = services.Single(s => s.GetProperty("name").GetString() == "pveproxy");
        Assert.Equal("running", proxy.GetProperty("state").GetString());
        Assert.False(string.IsNullOrWhiteSpace(proxy.GetProperty("desc").GetString()));
    }

    [Fact]
    public async Task UnknownNode_Is404_ForStatusAndServices()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        using var status = await client.GetAsync("/api/v1/nodes/no-such-node", Ct);
        await ErrorAsync(status, HttpStatusCode.NotFound, "NOT_FOUND");
        using var services = await client.GetAsync("/api/v1/nodes/no-such-node/services", Ct);
        await ErrorAsync(services, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task ServiceRestart_ByAViewer_Is403_ByAnOperator_StartsATask()
    {
        using var viewer = await ClientAsAsync(MoxxieRoles.Viewer);
        using var forbidden = await viewer.PostAsync("/api/v1/nodes/proxmox-02/services/pvestatd/restart", null, Ct);
        await ErrorAsync(forbidden, HttpStatusCode.Forbidden, "FORBIDDEN");

        using var op = await ClientAsAsync(MoxxieRoles.Operator);
        using var accepted = await op.PostAsync("/api/v1/nodes/proxmox-02/services/pvestatd/restart", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Matches("^UPID:proxmox-02:.*:srvrestart:pvestatd:", body.GetProperty("task").GetString());
    }
}
