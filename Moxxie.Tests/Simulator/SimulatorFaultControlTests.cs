using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Faults;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>The /_sim/ control endpoint over raw HTTPS: authentication, listing, reset, patterns.</summary>
public sealed class SimulatorFaultControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static HttpClient Control(SimulatorHarness sim, string? authorization = "bearer")
    {
        var client = sim.Create(c =>
        {
            if (authorization == "bearer") c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {sim.Server.TokenSecret}");
            else if (authorization is not null) c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        });
        client.BaseAddress = new Uri(sim.Server.BaseUrl, "_sim/");
        return client;
    }

    internal static async Task<JsonObject> PostAsync(HttpClient control, string path, object? body = null)
    {
        using var response = await control.PostAsync(path, body is null ? null : JsonContent.Create(body), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"POST /_sim/{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    internal static async Task<JsonObject> GetAsync(HttpClient control, string path)
    {
        using var response = await control.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET /_sim/{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Control_RequiresTheSimulatorsToken_AsBearerOrPveApiToken()
    {
        await using var sim = await SimulatorHarness.StartAsync("single");

        using var anonymous = await Control(sim, null).GetAsync("faults", Ct);
        using var wrong = await Control(sim, "Bearer nope").GetAsync("faults", Ct);
        using var wrongId = await Control(sim, $"PVEAPIToken=root@pam!other={sim.Server.TokenSecret}").GetAsync("faults", Ct);
        using var bearer = await Control(sim).GetAsync("faults", Ct);
        using var pveToken = await Control(sim, $"PVEAPIToken={sim.Server.TokenId}={sim.Server.TokenSecret}").GetAsync("faults", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pveToken.StatusCode);
    }

    [Fact]
    public async Task Requests_CountsEveryApiCall_AnsweredFailedOrDropped_ButNotControlCalls()
    {
        await using var sim = await SimulatorHarness.StartAsync("single");
        var control = Control(sim);
        var api = sim.WithToken();
        var before = (await GetAsync(control, "faults"))["requests"]!.GetValue<long>();

        await api.GetJsonAsync("version");
        await api.GetJsonAsync("nodes/pve/qemu");
        await api.GetJsonAsync("nodes/nope/qemu");   // refused by PVE's checks: still a call
        await PostAsync(control, "faults", new { pattern = "GET version", status = 500 });
        await api.GetJsonAsync("version");   // failed by a fault: still a call
        await GetAsync(control, "clock");     // control calls are not API calls

        var after = (await GetAsync(control, "faults"))["requests"]!.GetValue<long>();
        Assert.Equal(4, after - before);
        Assert.Equal(after, sim.Server.Control.ApiRequests);

        // Per route: GET version twice (answered and failed), one GET on a qemu list (the unknown node's counts too).
        var matching = await GetAsync(control, "requests?pattern=" + Uri.EscapeDataString("GET version"));
        Assert.Equal(2, matching["matching"]!.GetValue<long>());
        Assert.Equal(2, sim.Server.Control.ApiRequestsMatching("GET nodes/*/qemu"));
        Assert.Equal(0, sim.Server.Control.ApiRequestsMatching("POST nodes/*/qemu"));
    }

    [Fact]
    public async Task Faults_AreListed_RemovedOneByOne_AndResetClearsEverything()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var control = Control(sim);

        var latency = await PostAsync(control, "faults", new { pattern = "GET nodes/*/qemu", latencyMs = 200, jitterMs = 50 });
        var error = await PostAsync(control, "faults", new { pattern = "POST nodes/*/qemu/*/status/**", status = 500, rate = 0.5 });
        await PostAsync(control, "faults", new { kind = "timeout", pattern = "GET version", count = 2 });
        await PostAsync(control, "nodes/proxmox-02/offline");
        await PostAsync(control, "api/down", new { mode = "503" });

        var listed = await GetAsync(control, "faults");
        Assert.Equal("latency", latency["kind"]!.GetValue<string>());
        Assert.Equal(["latency", "error", "timeout"], listed["faults"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()));
        Assert.Equal("cluster not ready - no quorum?", error["message"]!.GetValue<string>());   // PVE wording when none is given
        Assert.Equal(2, listed["faults"]![2]!["count"]!.GetValue<int>());
        Assert.Equal(["proxmox-02"], listed["offlineNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("503", listed["apiDown"]!.GetValue<string>());

        using var removed = await control.DeleteAsync($"faults/{latency["id"]}", Ct);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(2, (await GetAsync(control, "faults"))["faults"]!.AsArray().Count);
        using var missing = await control.DeleteAsync($"faults/{latency["id"]}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var reset = await PostAsync(control, "reset");
        Assert.Empty(reset["faults"]!.AsArray());
        Assert.Empty(reset["offlineNodes"]!.AsArray());
        Assert.Null(reset["apiDown"]);
        Assert.Equal(HttpStatusCode.OK, (await sim.WithToken().GetJsonAsync("version")).Status);
        Assert.Empty(sim.Server.Control.Status.Faults);
    }

    [Fact]
    public async Task BadFaultDefinitions_AreRefusedWith400AndAReason()
    {
        await using var sim = await SimulatorHarness.StartAsync("single");
        var control = Control(sim);

        foreach (var body in new object[]
                 {
                     new { latencyMs = 10 },                                    // no pattern
                     new { pattern = "GET version" },                           // no kind
                     new { pattern = "FETCH version", latencyMs = 10 },         // bad method
                     new { pattern = "GET version", status = 200 },             // not an error
                     new { pattern = "GET version", status = 500, rate = 2 },   // rate out of range
                 })
        {
            using var response = await control.PostAsync("faults", JsonContent.Create(body), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>()));
        }
        using var unknownNode = await control.PostAsync("nodes/nope/offline", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownNode.StatusCode);
        Assert.Empty(sim.Server.Control.Status.Faults);
    }

    [Theory]
    [InlineData("GET nodes/*/qemu", "GET", "nodes/pve/qemu", true)]
    [InlineData("GET nodes/*/qemu", "POST", "nodes/pve/qemu", false)]
    [InlineData("GET nodes/*/qemu", "GET", "nodes/pve/qemu/100/status/current", false)]
    [InlineData("nodes/*/qemu/**", "POST", "nodes/pve/qemu/100/status/start", true)]
    [InlineData("* nodes/*/qemu/**", "GET", "nodes/pve/qemu", true)]
    [InlineData("**", "DELETE", "nodes/pve/tasks/UPID:x", true)]
    [InlineData("/api2/json/cluster/resources", "GET", "cluster/resources", true)]
    [InlineData("GET cluster/resources", "GET", "cluster/status", false)]
    [InlineData("nodes/proxmox-02/**", "GET", "nodes/proxmox-01/qemu", false)]
    public void RoutePatterns_MatchMethodAndSegments(string pattern, string method, string path, bool expected) =>
        Assert.Equal(expected, RoutePattern.Parse(pattern).Matches(method, path.Split('/')));
}
