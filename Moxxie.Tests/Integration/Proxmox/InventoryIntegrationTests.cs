using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moxxie.Core;
using Moxxie.Core.Audit;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Tasks;
using Moxxie.Core.Vms;
using Moxxie.Infrastructure.Proxmox;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>The composed PVE stack (configuration → registry → refresher/tracker → hub → Core services) against a
/// simulator over HTTPS.</summary>
public sealed class InventoryIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], "10.1.2.3");
    private PveTestHost _sim = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sim = await PveTestHost.StartAsync(taskSpeed: 5);

    public async ValueTask DisposeAsync() => await _sim.DisposeAsync();

    private IHost Build(string pollInterval, Dictionary<string, string?>? extra = null, bool ticket = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Moxxie:Proxmox:Connections:0:Name"] = "sim",
            ["Moxxie:Proxmox:Connections:0:Url"] = _sim.Server.BaseUrl.ToString(),
            ["Moxxie:Proxmox:Connections:0:Fingerprint"] = _sim.Server.CertificateFingerprint,
            ["Moxxie:Inventory:PollInterval"] = pollInterval,
        };
        if (ticket)
        {
            settings["Moxxie:Proxmox:Connections:0:Username"] = "root@pam";
            settings["Moxxie:Proxmox:Connections:0:Password"] = _sim.Server.RootPassword;
        }
        else
        {
            settings["Moxxie:Proxmox:Connections:0:TokenId"] = _sim.Server.TokenId;
            settings["Moxxie:Proxmox:Connections:0:TokenSecret"] = _sim.Server.TokenSecret;
        }
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        builder.Services.AddMoxxieCore().AddMoxxieProxmox(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Refresher_PublishesTheCluster_AndFollowsChanges()
    {
        using var host = Build("00:00:00.2");
        await host.StartAsync(Ct);
        var hub = host.Services.GetRequiredService<InventoryHub>();
        var seen = 0;
        using var sub = hub.Subscribe(e => { if (e is SnapshotUpdated) Interlocked.Increment(ref seen); return Task.CompletedTask; });

        await Eventually.HoldsAsync(() => hub.Get("sim") is { Loaded: true }, Deadline, "the first snapshot");
        var snapshot = hub.Get("sim")!;
        Assert.Equal("production-cluster", snapshot.Cluster!.Name);
        Assert.Null(snapshot.Error);
        Assert.Equal("stopped", snapshot.Resources.Guests.Single(g => g.VmId == 102).Status);

        _sim.Cluster.SetGuestStatus(102, "running");

        await Eventually.HoldsAsync(() => hub.Get("sim")!.Resources.Guests.Single(g => g.VmId == 102).Status == "running", Deadline, "102 to show running");
        Assert.True(Volatile.Read(ref seen) >= 1);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task PausedVm_IsShownAsPaused_FromOneListPerNode()
    {
        using var host = Build("00:00:00.2");
        await host.StartAsync(Ct);
        var vms = host.Services.GetRequiredService<VmService>();

        await Eventually.HoldsAsync(() => vms.List(new VmFilter(Status: "paused")).Any(v => v.VmId == 122), Deadline, "122 to show paused");

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task StartVm_TaskIsTracked_AndTheStatusFlipsRightAfterTheTaskEnds()
    {
        // A long poll interval: only the tracker's end-of-task refresh can show the new status in time.
        using var host = Build("00:05:00", ticket: true);
        await host.StartAsync(Ct);
        var hub = host.Services.GetRequiredService<InventoryHub>();
        using var scope = host.Services.CreateScope();
        var vms = scope.ServiceProvider.GetRequiredService<VmService>();
        var tasks = scope.ServiceProvider.GetRequiredService<TaskService>();
        var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
        await Eventually.HoldsAsync(() => hub.Get("sim") is { Loaded: true }, Deadline, "the first snapshot");

        var result = await vms.PowerAsync(Operator, new VmRef(102), PowerAction.Start, Ct);

        Assert.True(result.Success, result.Message);
        var tracked = await Eventually.HoldsAsync(() => Task.FromResult(hub.TrackedTasks.Single(t => t.Upid == result.Upid)),
            t => !t.Running, Deadline, "the start task to finish");
        Assert.True(tracked.Status!.Succeeded, tracked.Status.ExitStatus);
        Assert.Equal("TASK OK", tracked.Log[^1].Text);
        Assert.Equal("qmstart", tracked.Type);
        Assert.Equal("102", tracked.Id);
        Assert.Equal("olivia", tracked.StartedBy);
        await Eventually.HoldsAsync(() => vms.Find(new VmRef(102))!.Status == "running", TimeSpan.FromSeconds(3), "102 to show running after the task");
        Assert.Contains(tasks.Recent(10), t => t.Task.Upid == result.Upid && !t.Task.Running);
        var row = Assert.Single(audit.Records);
        Assert.Equal(("VM_START", true, result.Upid, "sim", "proxmox-01"), (row.Operation, row.Success, row.Upid, row.Connection, row.Node));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task FailingTask_SurfacesPvesError()
    {
        using var host = Build("00:00:01");
        await host.StartAsync(Ct);
        var hub = host.Services.GetRequiredService<InventoryHub>();
        using var scope = host.Services.CreateScope();
        var vms = scope.ServiceProvider.GetRequiredService<VmService>();
        await Eventually.HoldsAsync(() => hub.Get("sim") is { Loaded: true }, Deadline, "the first snapshot");
        _sim.Cluster.FailNextTask(102, "start failed: QEMU exited with code 1");

        var result = await vms.PowerAsync(Operator, new VmRef(102), PowerAction.Start, Ct);

        var tracked = await Eventually.HoldsAsync(() => Task.FromResult(hub.TrackedTasks.Single(t => t.Upid == result.Upid)),
            t => !t.Running, Deadline, "the start task to finish");
        Assert.True(tracked.Status!.Failed);
        Assert.Equal("start failed: QEMU exited with code 1", tracked.Status.ExitStatus);
        Assert.Contains(host.Services.GetRequiredService<TaskService>().Recent(50, ["error"]), t => t.Task.Upid == result.Upid);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task UnreachableConnection_KeepsTheLastGoodStateWithAnError()
    {
        using var host = Build("00:00:00.2");
        await host.StartAsync(Ct);
        var hub = host.Services.GetRequiredService<InventoryHub>();
        var clusters = host.Services.GetRequiredService<ClusterService>();
        await Eventually.HoldsAsync(() => hub.Get("sim") is { Loaded: true }, Deadline, "the first snapshot");
        var overview = Assert.Single(clusters.Overviews());
        Assert.True(overview.Reachable);
        Assert.Equal(3, overview.NodesTotal);

        await _sim.Server.DisposeAsync();

        await Eventually.HoldsAsync(() => hub.Get("sim")!.Error is not null, Deadline, "the error to show");
        var snapshot = hub.Get("sim")!;
        Assert.True(snapshot.Loaded);
        Assert.Contains(snapshot.Resources.Guests, g => g.VmId == 101);
        var down = Assert.Single(clusters.Overviews());
        Assert.False(down.Reachable);
        Assert.Equal("production-cluster", down.ClusterName);
        await host.StopAsync(Ct);
    }

    [Theory]
    [InlineData("Moxxie:Proxmox:Connections:0:Url", "http://pve:8006", "Moxxie:Proxmox:Connections:0:Url must be an absolute https URL")]
    [InlineData("Moxxie:Proxmox:Connections:0:TokenId", "root-no-realm", "Moxxie:Proxmox:Connections:0:TokenId must look like user@realm!tokenname")]
    [InlineData("Moxxie:Proxmox:Connections:0:Fingerprint", "AB:CD", "Moxxie:Proxmox:Connections:0:Fingerprint must be a SHA-256 fingerprint")]
    public async Task BadConfiguration_StopsStartUp_NamingTheKey(string key, string value, string message)
    {
        using var host = Build("00:00:02", new Dictionary<string, string?> { [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task ConnectionInfo_NeverCarriesTheSecret()
    {
        using var host = Build("00:00:02");
        var connections = host.Services.GetRequiredService<IProxmoxConnections>();

        var info = Assert.Single(connections.All);

        Assert.Equal(("sim", ConnectionSource.Configuration), (info.Name, info.Source));
        Assert.DoesNotContain(_sim.Server.TokenSecret, info.ToString());
        Assert.Throws<KeyNotFoundException>(() => connections.Get("nope"));
        await Task.CompletedTask;
    }
}
