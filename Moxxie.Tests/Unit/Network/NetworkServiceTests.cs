using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Network;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Network;

/// <summary>NetworkService: node resolution, apply/revert rights and audit, topology from guest configs, VNets with their zone.</summary>
public sealed class NetworkServiceTests
{
    private static readonly Actor Admin = new("ada", [MoxxieRoles.Admin], null);
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly MockedPve _pve = new();
    private readonly NetworkService _service;

    public NetworkServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod",
            Guest(101, "web-01"), Guest(102, "db-01", status: "stopped"), Guest(103, "tpl", template: true), Guest(201, "other", node: "proxmox-02")));
        _service = new NetworkService(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, new ManualClock(T0));
    }

    [Fact]
    public void Resolve_KnownNode_IsFound_UnknownNode_Throws()
    {
        Assert.Equal(new NetworkNodeRef("prod", "proxmox-01", true), _service.Resolve(null, "proxmox-01"));
        Assert.Throws<KeyNotFoundException>(() => _service.Resolve(null, "proxmox-09"));
        Assert.Throws<KeyNotFoundException>(() => _service.Resolve("other", "proxmox-01"));
    }

    [Fact]
    public async Task Apply_ByAnOperator_IsForbidden_AndAudited_WithoutCallingPve()
    {
        var node = _service.Resolve(null, "proxmox-01");

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.ApplyAsync(Operator, node, Ct));

        Assert.Equal(("NETWORK_APPLY", false), (_pve.Audited.Single().Operation, _pve.Audited.Single().Success));
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Apply_ByAnAdmin_ReloadsTheNetwork_TracksTheTask_AndAudits()
    {
        const string upid = "UPID:proxmox-01:0000BBBB:00000001:00000001:srvreload:networking:ada@pve:";
        _pve.Gateway.Setup(g => g.ApplyNetworkAsync("proxmox-01", It.IsAny<CancellationToken>())).ReturnsAsync(upid);

        var result = await _service.ApplyAsync(Admin, _service.Resolve(null, "proxmox-01"), Ct);

        Assert.True(result.Success, result.Message);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", upid, "ada"));
        Assert.Equal(("NETWORK_APPLY", true, upid), (_pve.Audited.Single().Operation, _pve.Audited.Single().Success, _pve.Audited.Single().Upid));
    }

    [Fact]
    public async Task Revert_RefusedByPve_ReturnsPvesMessage_AndAuditsTheFailure()
    {
        _pve.Gateway.Setup(g => g.RevertNetworkAsync("proxmox-01", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "no pending network changes"));

        var result = await _service.RevertAsync(Admin, _service.Resolve(null, "proxmox-01"), Ct);

        Assert.False(result.Success);
        Assert.Equal("no pending network changes", result.Message);
        Assert.Equal(("NETWORK_REVERT", false), (_pve.Audited.Single().Operation, _pve.Audited.Single().Success));
    }

    [Fact]
    public async Task Topology_ReadsTheConfigOfEachNonTemplateGuestOnTheNode_AndCountsUnreadableOnes()
    {
        _pve.Gateway.Setup(g => g.GetGuestConfigAsync("proxmox-01", 101, GuestType.Qemu, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string> { ["net0"] = "virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=30", ["name"] = "web-01" });
        _pve.Gateway.Setup(g => g.GetGuestConfigAsync("proxmox-01", 102, GuestType.Qemu, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "got timeout"));
        IReadOnlyList<NetworkInterface> ifaces =
        [
            new("vmbr0", "bridge", true, true, true, "static", null, "192.168.1.10", "24", "192.168.1.10/24", "192.168.1.1", null, null, null,
                ["eno1"], true, null, [], null, null, null, null, null, null, ["inet"]),
            new("eno1", "eth", true, true, true, "manual", null, null, null, null, null, null, null, null, [], false, null, [], null, null, null, null, null, null, ["inet"]),
        ];

        var (topology, leftOut) = await _service.TopologyAsync(_service.Resolve(null, "proxmox-01"), ifaces, null, Ct);

        Assert.Equal(1, leftOut);
        Assert.Contains(new TopologyLink("if:vmbr0", "vm:101:net0", 30), topology.Links);
        Assert.Contains(new TopologyLink("if:eno1", "if:vmbr0", null), topology.Links);
        Assert.DoesNotContain(topology.Nodes, n => n.Id.StartsWith("vm:103", StringComparison.Ordinal) || n.Id.StartsWith("vm:201", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Vnets_CarryTheirZone_AndFilterByZone()
    {
        _pve.Gateway.Setup(g => g.GetSdnVnetsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new SdnVnet("prodweb", "prodzone", 100, "Production web tier", false, false, null, null),
            new SdnVnet("labnet", "labzone", null, null, false, false, "new", null),
        ]);
        _pve.Gateway.Setup(g => g.GetSdnZonesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new SdnZone("prodzone", "vlan", "vmbr0", "pve", null, [], 1500, null, null, null) { Mac = "BC:24:11:00:00:64" },
        ]);

        var all = await _service.VnetsAsync(null, null, Ct);
        var prod = await _service.VnetsAsync(null, "prodzone", Ct);

        Assert.Equal(["labnet", "prodweb"], all.Select(v => v.Vnet.Vnet));
        Assert.Null(all[0].Zone);
        Assert.Equal(("pve", "BC:24:11:00:00:64"), (all[1].Zone!.Ipam, all[1].Zone!.Mac));
        Assert.Equal(["prodweb"], prod.Select(v => v.Vnet.Vnet));
    }
}
