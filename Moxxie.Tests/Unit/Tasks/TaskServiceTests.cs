using Moq;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Tasks;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Tasks;

public sealed class TaskServiceTests
{
    private readonly InventoryHub _hub = new();
    private readonly TaskService _service;

    public TaskServiceTests()
    {
        _hub.Publish(Snapshot("prod", [], nodes: null, tasks:
        [
            PveTaskAt("UPID:old-ok", T0.AddMinutes(-10)),
            PveTaskAt("UPID:old-err", T0.AddMinutes(-5), exit: "command 'ifreload -a' failed: exit code 1"),
            PveTaskAt("UPID:warn", T0.AddMinutes(-4), exit: "WARNINGS: 2"),
            PveTaskAt("UPID:tracked", T0.AddMinutes(-1), running: true),
        ]));
        _service = new TaskService(_hub, Mock.Of<IProxmoxConnections>());
    }

    [Fact]
    public void Recent_IsNewestFirst_Limited_AndMergesTrackedTasks()
    {
        _hub.Publish(new TrackedTask("prod", "proxmox-01", "UPID:tracked", "qmstart", "101", "olivia", T0.AddMinutes(-1),
            PveTaskAt("UPID:tracked", T0.AddMinutes(-1)), [], 100));
        _hub.Publish(new TrackedTask("prod", "proxmox-01", "UPID:new", "qmstop", "102", "olivia", T0, null, [], null));

        var recent = _service.Recent(3);

        Assert.Equal(["UPID:new", "UPID:tracked", "UPID:warn"], recent.Select(t => t.Task.Upid));
        Assert.True(recent[0].Task.Running);
        Assert.Equal("qmstop", recent[0].Task.Type);
        Assert.False(recent[1].Task.Running); // the tracker saw it finish before the next poll
        Assert.All(recent, t => Assert.Equal("prod", t.Connection));
    }

    [Theory]
    [InlineData("running", new[] { "UPID:tracked" })]
    [InlineData("ok", new[] { "UPID:warn", "UPID:old-ok" })]
    [InlineData("error", new[] { "UPID:old-err" })]
    [InlineData("ok,error", new[] { "UPID:warn", "UPID:old-err", "UPID:old-ok" })]
    public void Recent_FiltersByStatus(string filter, string[] expected) =>
        Assert.Equal(expected, _service.Recent(50, filter.Split(',')).Select(t => t.Task.Upid));
}
