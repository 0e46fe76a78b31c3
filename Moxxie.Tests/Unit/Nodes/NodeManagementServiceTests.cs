using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Nodes;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Nodes;

public sealed class NodeManagementServiceTests
{
    private static readonly Actor Admin = new("ada", [MoxxieRoles.Admin], null);
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], null);
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], null);

    private readonly MockedPve _pve = new();
    private readonly NodeManagementService _service;

    public NodeManagementServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod", [], [
            new NodeResource("proxmox-01", "online", 0.1, 32, 1L << 34, 1L << 37, 1L << 30, 1L << 36, 3600, null),
            new NodeResource("proxmox-02", "offline", 0, 32, 0, 1L << 37, 0, 1L << 36, 0, null)]));
        var clock = new ManualClock();
        _service = new NodeManagementService(_pve.Hub, _pve.Connections.Object, new NodeInfoCache(clock), _pve.Tracker.Object, _pve.Audit.Object, clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("proxmox-01", true)]
    [InlineData("  proxmox-01 ", true)]
    [InlineData("Proxmox-01", false)]
    [InlineData("proxmox-0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Confirmation_MustBeTheNodesExactName(string? typed, bool matches) =>
        Assert.Equal(matches, NodeManagementService.ConfirmationMatches(typed, "proxmox-01"));

    [Fact]
    public async Task Reboot_WithWrongName_IsRefused_WithoutCallingPve()
    {
        var node = _service.Find("proxmox-01")!;

        var result = await _service.NodeCommandAsync(Admin, node, NodeCommand.Reboot, "proxmox-02", Ct);

        Assert.False(result.Success);
        Assert.Equal(NodeActionFailure.Refused, result.Failure);
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Reboot_ByAnAdminWithTheName_CallsPve_AndAudits()
    {
        _pve.Gateway.Setup(g => g.NodeCommandAsync("proxmox-01", NodeCommand.Reboot, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var node = _service.Find("proxmox-01")!;

        var result = await _service.NodeCommandAsync(Admin, node, NodeCommand.Reboot, "proxmox-01", Ct);

        Assert.True(result.Success, result.Message);
        var audit = Assert.Single(_pve.Audited);
        Assert.Equal(("NODE_REBOOT", "proxmox-01", true), (audit.Operation, audit.ResourceId, audit.Success));
    }

    [Fact]
    public async Task Reboot_ByAnOperator_IsForbidden_AndAudited()
    {
        var node = _service.Find("proxmox-01")!;

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.NodeCommandAsync(Operator, node, NodeCommand.Shutdown, "proxmox-01", Ct));

        Assert.False(Assert.Single(_pve.Audited).Success);
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ServiceAction_ByAViewer_IsForbidden()
    {
        var node = _service.Find("proxmox-01")!;

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.ServiceActionAsync(Viewer, node, "pveproxy", ServiceAction.Restart, Ct));
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ServiceAction_OnAnOfflineNode_IsRefused()
    {
        var node = _service.Find("proxmox-02")!;
        Assert.False(node.Online);

        var result = await _service.ServiceActionAsync(Operator, node, "pveproxy", ServiceAction.Restart, Ct);

        Assert.Equal(NodeActionFailure.Refused, result.Failure);
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public void Find_IsCaseInsensitive_AndNullForUnknownNodes()
    {
        Assert.Equal("proxmox-01", _service.Find("PROXMOX-01")?.Name);
        Assert.Null(_service.Find("proxmox-09"));
    }

    [Fact]
    public void AllowedActions_FollowTheServiceState()
    {
        Assert.Equal([ServiceAction.Stop, ServiceAction.Restart],
            NodeManagementService.AllowedActions(new NodeService("pveproxy", "pveproxy", null, "running", "active", "enabled")));
        Assert.Equal([ServiceAction.Start],
            NodeManagementService.AllowedActions(new NodeService("pveproxy", "pveproxy", null, "stopped", "inactive", "enabled")));
    }
}
