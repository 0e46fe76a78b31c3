using Xunit;
using System.Net;

namespace Moxxie.Tests.Simulator;

/// <summary>Envelope, reason phrases and parameter verification, over real HTTPS (HTTP/1.1).</summary>
public sealed class SimulatorWireFormatTests(SharedSimulators simulators) : IClassFixture<SharedSimulators>
{
    private readonly SimulatorHarness _sim = simulators.Demo;
    private readonly HttpClient _api = simulators.Demo.WithToken();

    [Fact]
    public async Task Version_AnswersInDataEnvelope_WithPveHeaders()
    {
        var r = await _api.GetJsonAsync("version");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("OK", r.Reason);
        Assert.Equal(["data"], r.Body.Select(p => p.Key));
        Assert.Equal("8.4", r.Data!["release"]!.GetValue<string>());
        Assert.Equal("application/json", r.ContentType()!.MediaType);
        Assert.Equal("UTF-8", r.ContentType()!.CharSet);
        Assert.Equal("pve-api-daemon/3.0", r.Response.Headers.Server.ToString());
    }

    [Fact]
    public async Task Server_PresentsCertificate_WithAdvertisedFingerprint()
    {
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", _sim.Server.CertificateFingerprint);
        Assert.StartsWith("https://127.0.0.1:", _sim.Server.BaseUrl.ToString());
        // The pinned client only accepts the fingerprint above, so any successful call proves it matches.
        Assert.Equal(HttpStatusCode.OK, (await _api.GetJsonAsync("version")).Status);
    }

    [Fact]
    public async Task UnknownVm_Answers500_WithConfigFileMessageInReasonPhrase()
    {
        var r = await _api.GetJsonAsync("nodes/proxmox-01/qemu/4242/status/current");

        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("Configuration file 'nodes/proxmox-01/qemu-server/4242.conf' does not exist", r.Reason);
        Assert.Equal("""{"data":null}""", r.Body.ToJsonString());
    }

    [Fact]
    public async Task VmOnAnotherNode_AnswersLikePve_WithThatNodesConfigPath()
    {
        var r = await _api.GetJsonAsync("nodes/proxmox-01/qemu/104/config");   // 104 lives on proxmox-02

        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("Configuration file 'nodes/proxmox-01/qemu-server/104.conf' does not exist", r.Reason);
    }

    [Fact]
    public async Task UnknownRoute_Answers501_NamingMethodAndPath()
    {
        var r = await _api.GetJsonAsync("nodes/proxmox-01/frobnicate");
        Assert.Equal((HttpStatusCode)501, r.Status);
        Assert.Equal("Method 'GET /nodes/proxmox-01/frobnicate' not implemented", r.Reason);

        var put = await _api.SendAsync(HttpMethod.Put, "version");
        Assert.Equal("Method 'PUT /version' not implemented", put.Reason);
    }

    [Theory]
    [InlineData("nodes/proxmox-01/qemu/abc/status/current", "vmid", "type check ('integer') failed - got 'abc'")]
    // PVE checks the format before minimum/maximum, and its die messages keep their newline.
    [InlineData("nodes/proxmox-01/qemu/99/status/current", "vmid", "invalid format - value does not look like a valid VM ID\n")]
    [InlineData("nodes/proxmox-01/qemu/1000000000/config", "vmid", "invalid format - value does not look like a valid VM ID\n")]
    [InlineData("nodes/bad_node!/qemu", "node", "invalid format - value does not look like a valid node name\n")]
    [InlineData("cluster/resources?type=vms", "type", "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'")]
    [InlineData("nodes/proxmox-01/qemu?full=maybe", "full", "type check ('boolean') failed - got 'maybe'")]
    [InlineData("version?colour=blue", "colour", "property is not defined in schema and the schema does not allow additional properties")]
    [InlineData("nodes/proxmox-01/tasks?limit=-1", "limit", "value must have a minimum value of 0")]
    public async Task BadParameter_Answers400_WithPerParameterErrors(string path, string param, string message)
    {
        var r = await _api.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Parameter verification failed.", r.Reason);
        Assert.Null(r.Data);
        Assert.Equal(message, r.Body["errors"]![param]!.GetValue<string>());
    }

    [Fact]
    public async Task PostWithMissingAndUnknownParameters_ReportsEach()
    {
        var r = await _sim.Anonymous().PostFormAsync("access/ticket", new Dictionary<string, string> { ["user"] = "root@pam" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        var errors = r.Body["errors"]!.AsObject();
        Assert.Equal("property is missing and it is not optional", errors["username"]!.GetValue<string>());
        Assert.Equal("property is missing and it is not optional", errors["password"]!.GetValue<string>());
        Assert.Equal("property is not defined in schema and the schema does not allow additional properties", errors["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownNode_FailsHostnameLookup_OfflineNode_IsUnreachable()
    {
        var unknown = await _api.GetJsonAsync("nodes/proxmox-09/qemu");
        Assert.Equal(HttpStatusCode.InternalServerError, unknown.Status);
        Assert.StartsWith("hostname lookup 'proxmox-09' failed", unknown.Reason);

        _sim.Cluster.SetNodeOnline("proxmox-02", false);
        try
        {
            var offline = await _api.GetJsonAsync("nodes/proxmox-02/status");
            Assert.Equal((HttpStatusCode)595, offline.Status);
            var status = await _api.GetJsonAsync("cluster/status");
            var node = status.Data!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "node/proxmox-02")!;
            Assert.Equal(0, node["online"]!.GetValue<int>());
        }
        finally
        {
            _sim.Cluster.SetNodeOnline("proxmox-02", true);
        }
    }

    [Fact]
    public async Task ClusterResources_VmType_ListsGuestsOfTheGuide_WithSemicolonTags()
    {
        var r = await _api.GetJsonAsync("cluster/resources?type=vm");
        var guests = r.Data!.AsArray().Select(g => g!.AsObject()).ToList();

        Assert.InRange(guests.Count, 25, 40);
        var web = guests.Single(g => g["id"]!.GetValue<string>() == "qemu/101");
        Assert.Equal("web-server-01", web["name"]!.GetValue<string>());
        Assert.Equal("proxmox-01", web["node"]!.GetValue<string>());
        Assert.Equal("running", web["status"]!.GetValue<string>());
        Assert.Equal("client-acme;env-prod;web-tier", web["tags"]!.GetValue<string>());
        Assert.Equal(0, web["template"]!.GetValue<int>());
        Assert.Equal(2, guests.Count(g => g["template"]!.GetValue<int>() == 1));
        Assert.Contains(guests, g => g["type"]!.GetValue<string>() == "lxc");
        Assert.Equal("stopped", guests.Single(g => g["vmid"]!.GetValue<int>() == 102)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PausedVm_IsRunningWithQmpStatusPaused()
    {
        var paused = _sim.Cluster.Guests.Single(g => g.QmpStatus == "paused");
        var r = await _api.GetJsonAsync($"nodes/{paused.Node}/qemu/{paused.Vmid}/status/current");

        Assert.Equal("running", r.Data!["status"]!.GetValue<string>());
        Assert.Equal("paused", r.Data!["qmpstatus"]!.GetValue<string>());
    }
}
