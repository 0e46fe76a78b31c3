using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>
/// Moxxie's typed client against the simulator over HTTPS for rrd, backups, restore, prune, backup jobs, pools and SDN:
/// every gateway method of these areas sends schema-valid calls (the simulator validates each one) and reads the answer.
/// </summary>
public sealed class ProxmoxGatewayInfraTests : IAsyncLifetime
{
    private PveTestHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PveTestHost.StartAsync(taskSpeed: 50);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private IProxmoxGateway Gateway() => _host.Gateway(_host.TokenSettings());

    [Theory]
    [InlineData(RrdTimeframe.Hour, 60)]
    [InlineData(RrdTimeframe.Day, 1440)]
    [InlineData(RrdTimeframe.Week, 336)]
    [InlineData(RrdTimeframe.Month, 1440)]
    [InlineData(RrdTimeframe.Year, 1440)]
    public async Task Rrd_NodeAndGuests_ReadEveryTimeframe(RrdTimeframe timeframe, int rows)
    {
        var gw = Gateway();
        var node = await gw.GetNodeRrdAsync("proxmox-01", timeframe, RrdConsolidation.Average, Ct);
        var vm = await gw.GetGuestRrdAsync("proxmox-01", 101, GuestType.Qemu, timeframe, RrdConsolidation.Max, Ct);
        var ct = await gw.GetGuestRrdAsync("proxmox-01", 200, GuestType.Lxc, timeframe, RrdConsolidation.Average, Ct);

        Assert.Equal(rows, node.Count);
        Assert.Equal(rows, vm.Count);
        Assert.Equal(rows, ct.Count);
        Assert.True(node[^1]["loadavg"] > 0 && node[^1]["memtotal"] > node[^1]["memused"]);
        Assert.Equal(4, vm[^1]["maxcpu"]);
        Assert.InRange(vm[^1]["cpu"] ?? -1, 0.0005, 1.0);
        Assert.True(ct[^1]["disk"] > 0);
        Assert.True(vm[0].Time < vm[^1].Time);
    }
}
