using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Vms;

public sealed class VmServiceTests
{
    private const string Upid = "UPID:proxmox-01:00001000:00002000:6744F000:qmstart:102:root@pam!moxxie:";
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], "10.0.0.7");
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], "10.0.0.8");

    private readonly MockedPve _pve = new();
    private readonly ManualClock _clock = new();
    private readonly VmService _service;

    public VmServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod",
            Guest(101, "web-server-01", "running", tags: ["env-prod", "client-acme", "web-tier"]),
            Guest(102, "database-01", "stopped"),
            Guest(103, "batch-01", "paused", node: "proxmox-02"),
            Guest(104, "web-server-02", "running", node: "proxmox-02", tags: ["env-prod", "client-acme", "web-tier", "always-on"]),
            Guest(200, "ct-dns", "running", tags: ["infra"], type: GuestType.Lxc),
            Guest(9000, "ubuntu-24.04-template", "stopped", template: true)));
        _service = new VmService(_pve.Hub, _pve.Connections.Object, _pve.Tracker.Object, _pve.Audit.Object, _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_StoppedVm_CallsPve_TracksTheTask_AndAuditsSuccess()
    {
        _pve.Gateway.Setup(g => g.PowerAsync("proxmox-01", 102, GuestType.Qemu, PowerAction.Start, It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                _clock.Advance(TimeSpan.FromMilliseconds(1500));
                await Task.Yield();
                return Upid;
            });

        var result = await _service.PowerAsync(Operator, new VmRef(102), PowerAction.Start, Ct);

        Assert.True(result.Success, result.Message);
        Assert.Equal(Upid, result.Upid);
        Assert.Equal(("prod", "proxmox-01"), (result.Connection, result.Node));
        Assert.Null(result.Failure);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", Upid, "olivia"), Times.Once);
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("VM_START", "VM", "102", true), (row.Operation, row.ResourceType, row.ResourceId, row.Success));
        Assert.Equal(("proxmox-01", "prod", Upid), (row.Node, row.Connection, row.Upid));
        Assert.Same(Operator, row.Actor);
        Assert.Equal("10.0.0.7", row.Actor.SourceIp);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), row.Duration);
        Assert.Null(row.Error);
        Assert.Contains("database-01", System.Text.Json.JsonSerializer.Serialize(row.Details));
    }

    [Fact]
    public async Task Viewer_IsForbidden_PveIsNotCalled_AndTheAttemptIsAudited()
    {
        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => _service.PowerAsync(Viewer, new VmRef(102), PowerAction.Start, Ct));

        Assert.Contains("victor", ex.Message);
        _pve.Gateway.VerifyNoOtherCalls();
        _pve.Tracker.VerifyNoOtherCalls();
        var row = Assert.Single(_pve.Audited);
        Assert.False(row.Success);
        Assert.Equal("VM_START", row.Operation);
    }

    [Theory]
    [InlineData(101, PowerAction.Start, "web-server-01 (101) is already running.")]
    [InlineData(102, PowerAction.Stop, "Cannot stop database-01 (102): it is stopped.")]
    [InlineData(102, PowerAction.Shutdown, "Cannot shutdown database-01 (102): it is stopped.")]
    [InlineData(101, PowerAction.Resume, "Cannot resume web-server-01 (101): it is running, not paused.")]
    [InlineData(103, PowerAction.Start, "batch-01 (103) is paused; resume it instead.")]
    [InlineData(9000, PowerAction.Start, "Cannot start ubuntu-24.04-template (9000): it is a template.")]
    [InlineData(200, PowerAction.Reset, "Cannot reset ct-dns (200): a container has no reset in Proxmox VE (reboot or stop it instead).")]
    public async Task ActionThatDoesNotFitTheState_IsRefusedWithAClearMessage_WithoutCallingPve(int vmid, PowerAction action, string message)
    {
        var result = await _service.PowerAsync(Operator, new VmRef(vmid), action, Ct);

        Assert.False(result.Success);
        Assert.Equal(PowerFailure.Refused, result.Failure);
        Assert.Equal(message, result.Message);
        _pve.Gateway.VerifyNoOtherCalls();
        _pve.Tracker.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PveFailure_IsAuditedWithPvesMessage_AndNotTracked()
    {
        _pve.Gateway.Setup(g => g.PowerAsync("proxmox-01", 101, GuestType.Qemu, PowerAction.Shutdown, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "VM 101 is locked (backup)"));

        var result = await _service.PowerAsync(Operator, new VmRef(101, "prod"), PowerAction.Shutdown, Ct);

        Assert.False(result.Success);
        Assert.Equal(PowerFailure.Proxmox, result.Failure);
        Assert.Equal(500, result.ProxmoxStatus);
        Assert.Equal("VM 101 is locked (backup)", result.Message);
        _pve.Tracker.VerifyNoOtherCalls();
        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("VM_SHUTDOWN", false, "VM 101 is locked (backup)"), (row.Operation, row.Success, row.Error));
        Assert.Null(row.Upid);
    }

    [Fact]
    public async Task Container_UsesTheLxcPath()
    {
        _pve.Gateway.Setup(g => g.PowerAsync("proxmox-01", 200, GuestType.Lxc, PowerAction.Reboot, It.IsAny<CancellationToken>())).ReturnsAsync(Upid);

        var result = await _service.PowerAsync(Operator, new VmRef(200), PowerAction.Reboot, Ct);

        Assert.True(result.Success);
        Assert.Equal("VM_REBOOT", Assert.Single(_pve.Audited).Operation);
    }

    [Fact]
    public async Task UnknownVm_IsNotFound()
    {
        var result = await _service.PowerAsync(Operator, new VmRef(4242), PowerAction.Start, Ct);

        Assert.Equal(PowerFailure.NotFound, result.Failure);
        Assert.Contains("4242", result.Message);
        _pve.Gateway.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AuditFailure_DoesNotHideThatPveStartedTheTask()
    {
        _pve.Audit.Setup(a => a.WriteAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("db down"));
        _pve.Gateway.Setup(g => g.PowerAsync("proxmox-01", 102, GuestType.Qemu, PowerAction.Start, It.IsAny<CancellationToken>())).ReturnsAsync(Upid);

        var result = await _service.PowerAsync(Operator, new VmRef(102), PowerAction.Start, Ct);

        Assert.True(result.Success);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", Upid, "olivia"), Times.Once);
    }

    [Fact]
    public void List_FiltersByStatusTagsNodeAndName()
    {
        Assert.Equal([101, 104, 200], _service.List(new VmFilter(Status: "running")).Select(v => v.VmId));
        Assert.Equal([103], _service.List(new VmFilter(Status: "paused")).Select(v => v.VmId));
        Assert.Equal([101, 104], _service.List(new VmFilter(Tags: ["env-prod", "web-tier"])).Select(v => v.VmId));
        Assert.Equal([104], _service.List(new VmFilter(Tags: ["ENV-PROD", "always-on"])).Select(v => v.VmId));
        Assert.Equal([103, 104], _service.List(new VmFilter(Node: "proxmox-02")).Select(v => v.VmId));
        Assert.Equal([101, 104], _service.List(new VmFilter(Name: "WEB")).Select(v => v.VmId));
        Assert.Equal([101, 102], _service.List(new VmFilter(Limit: 2)).Select(v => v.VmId));
        Assert.DoesNotContain(9000, _service.List(new VmFilter(IncludeTemplates: false)).Select(v => v.VmId));
        Assert.Contains(9000, _service.List(new VmFilter()).Select(v => v.VmId));
        Assert.Empty(_service.List(new VmFilter(Connection: "other")));
        Assert.All(_service.List(new VmFilter()), v => Assert.Equal("prod", v.Connection));
    }

    [Fact]
    public void Find_SameVmidOnTwoConnections_NeedsTheConnection()
    {
        _pve.Hub.Publish(Snapshot("lab", Guest(101, "lab-web")));

        Assert.Throws<ValidationException>(() => _service.Find(new VmRef(101)));
        Assert.Equal("lab-web", _service.Find(new VmRef(101, "lab"))!.Name);
        Assert.Equal("web-server-01", _service.Find(new VmRef(101, "prod"))!.Name);
        Assert.Null(_service.Find(new VmRef(4242)));
    }

    [Theory]
    [InlineData("running", new[] { PowerAction.Stop, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Reset, PowerAction.Suspend })]
    [InlineData("stopped", new[] { PowerAction.Start })]
    [InlineData("paused", new[] { PowerAction.Resume, PowerAction.Stop })]
    [InlineData("unknown", new PowerAction[0])]
    public void AllowedActions_FollowTheStatus(string status, PowerAction[] expected) =>
        Assert.Equal(expected, VmService.AllowedActions(status));

    [Fact]
    public void AllowedActions_OfARunningContainer_HaveNoReset_AsPveHasNoLxcReset()
    {
        Assert.Equal([PowerAction.Stop, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Suspend], VmService.AllowedActions("running", GuestType.Lxc));
        Assert.Contains(PowerAction.Reset, VmService.AllowedActions("running", GuestType.Qemu));
        Assert.False(VmService.Exists(PowerAction.Reset, GuestType.Lxc));
        Assert.True(VmService.Exists(PowerAction.Reboot, GuestType.Lxc));
    }

    [Fact]
    public void RowMenu_OfAContainer_OffersNoReset_WhileAVmsDoes()
    {
        var ct = new VmListRow("prod", 200, "ct-dns", "proxmox-01", GuestType.Lxc, "running", false, 0.01, 1, 1, 2, 0, 8, 0, 0, 60, [], null, null, []);
        var vm = ct with { VmId = 101, Name = "web-server-01", Type = GuestType.Qemu };

        Assert.DoesNotContain(VmRowActions.Secondary(ct), a => a.Action == PowerAction.Reset);
        Assert.Contains(VmRowActions.Secondary(ct), a => a.Action == PowerAction.Reboot && a.Reason is null);
        Assert.Contains(VmRowActions.Secondary(vm), a => a.Action == PowerAction.Reset && a.Reason is null);
    }
}
