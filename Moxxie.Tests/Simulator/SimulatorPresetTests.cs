using System.Diagnostics;
using System.Text.RegularExpressions;
using Moxxie.Simulator;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Scale presets: "small" (= "demo"), "large" (16 nodes, 3,400 guests), distinct naming per instance.</summary>
public sealed partial class SimulatorPresetTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [GeneratedRegex(@"^(web|app|db|k8s-worker|k8s-master|cache|mq|ci-runner|dev-sandbox|win-app|win-rdsh|log|monitoring|lb|mail-gw|file-server|dns|proxy|redis|ntp)-\d{3}$")]
    private static partial Regex GuestName();

    [Theory]
    [InlineData("small")]
    [InlineData("demo")]
    [InlineData("SMALL")]
    public async Task Small_IsTheGuidesProductionCluster_AndDemoIsItsAlias(string preset)
    {
        await using var sim = await SimulatorHarness.StartAsync(preset);
        Assert.Equal("production-cluster", sim.Cluster.Name);
        Assert.Equal(["proxmox-01", "proxmox-02", "proxmox-03"], sim.Cluster.NodeNames);
        Assert.Equal("web-server-01", sim.Cluster.FindGuest(101)!.Name);
        Assert.InRange(sim.Cluster.Guests.Count, 25, 40);
    }

    [Fact]
    public async Task Large_Has16Nodes_3400RealisticGuests_WithTemplatesLxcsAndMixedStates()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.StartNew();
        await using var sim = await SimulatorHarness.StartAsync("large", time: new ManualTimeProvider(Epoch));
        started.Stop();
        var guests = sim.Cluster.Guests;
        var managedMb = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1024.0 / 1024.0;
        var resources = Stopwatch.StartNew();
        var all = (await sim.WithToken().GetJsonAsync("cluster/resources")).Data!.AsArray();
        resources.Stop();

        // A figure line, not a timed assertion (the goal is < 5 s).
        var line = $"BENCHMARK simulator preset=large nodes={sim.Cluster.NodeNames.Count} guests={guests.Count} " +
                   $"startup_ms={sim.Server.StartupTime.TotalMilliseconds:F0} start_async_ms={started.ElapsedMilliseconds} " +
                   $"managed_mb={managedMb:F1} cluster_resources_ms={resources.ElapsedMilliseconds} " +
                   $"working_set_mb={Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
        Console.WriteLine(line);

        Assert.Equal("large-cluster", sim.Cluster.Name);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"pve{i:D2}"), sim.Cluster.NodeNames);
        Assert.Equal(3_400, guests.Count);
        Assert.Equal(3_400 + 16 + 16 * 3, all.Count(r => r!["type"]!.GetValue<string>() is "qemu" or "lxc" or "node" or "storage"));
        Assert.Equal(guests.Count, guests.Select(g => g.Name).Distinct().Count());
        Assert.All(guests.Where(g => !g.Template), g => Assert.Matches(GuestName(), g.Name));
        Assert.All(guests, g => Assert.InRange(g.Vmid, 1_000, 10_999));

        var templates = guests.Count(g => g.Template);
        var lxc = guests.Count(g => g.Type == "lxc");
        var running = guests.Count(g => g.QmpStatus == "running");
        var paused = guests.Count(g => g.QmpStatus == "paused");
        Assert.InRange(templates, 20, 30);
        Assert.InRange(lxc, 200, 600);
        Assert.InRange(running / (double)guests.Count, 0.6, 0.85);
        Assert.InRange(paused, 10, 100);
        Assert.All(sim.Cluster.NodeNames, n => Assert.InRange(guests.Count(g => g.Node == n), 200, 230));
        Assert.Contains(guests, g => g.Tags.Split(';').Contains("env-prod") && g.Tags.Split(';').Any(t => t.StartsWith("client-", StringComparison.Ordinal)));
        Assert.All(guests.Where(g => !g.Template), g => Assert.Contains(g.Tags.Split(';'), t => t.StartsWith("env-", StringComparison.Ordinal)));
        Assert.Contains(all, r => r!["type"]!.GetValue<string>() == "qemu" && r["maxmem"]!.GetValue<long>() >= 32L * 1024 * 1024 * 1024);
    }

    [Fact]
    public async Task Large_IsDeterministicPerSeed()
    {
        await using var a = await SimulatorHarness.StartAsync("large", seed: 7, time: new ManualTimeProvider(Epoch));
        await using var b = await SimulatorHarness.StartAsync("large", seed: 7, time: new ManualTimeProvider(Epoch));
        await using var c = await SimulatorHarness.StartAsync("large", seed: 8, time: new ManualTimeProvider(Epoch));

        var ra = (await a.WithToken().GetJsonAsync("cluster/resources")).Body.ToJsonString();
        Assert.Equal(ra, (await b.WithToken().GetJsonAsync("cluster/resources")).Body.ToJsonString());
        Assert.NotEqual(a.Cluster.Guests.Select(g => g.Name), c.Cluster.Guests.Select(g => g.Name));
    }

    [Fact]
    public async Task ThreeLargeInstances_CanBeMadeDistinct_ClusterNodesAndVmids()
    {
        var instances = new List<SimulatorServer>();
        try
        {
            foreach (var (i, name) in new[] { (1, "dc1"), (2, "dc2"), (3, "dc3") })
            {
                instances.Add(await SimulatorServer.StartAsync(new SimulatorOptions
                {
                    Preset = "large", Seed = i, ClusterName = name, NodePrefix = $"{name}-pve", VmidBase = i * 100_000,
                    TimeProvider = new ManualTimeProvider(Epoch),
                }, TestContext.Current.CancellationToken));
            }

            Assert.Equal(["dc1", "dc2", "dc3"], instances.Select(s => s.Cluster.Name));
            Assert.Equal("dc2-pve01", instances[1].Cluster.NodeNames[0]);
            var vmids = instances.SelectMany(s => s.Cluster.Guests.Select(g => g.Vmid)).ToList();
            var nodes = instances.SelectMany(s => s.Cluster.NodeNames).ToList();
            Assert.Equal(10_200, vmids.Count);
            Assert.Equal(vmids.Count, vmids.Distinct().Count());
            Assert.Equal(48, nodes.Distinct().Count());
            Assert.All(instances[2].Cluster.Guests, g => Assert.InRange(g.Vmid, 300_000, 309_999));
        }
        finally
        {
            foreach (var s in instances) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClusterName_RenamesTheSmallPresetToo_AndUnknownPresetsAreRefused()
    {
        await using var sim = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = "small", ClusterName = "lab" },
            TestContext.Current.CancellationToken);
        Assert.Equal("lab", sim.Cluster.Name);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() =>
            SimulatorServer.StartAsync(new SimulatorOptions { Preset = "huge" }, TestContext.Current.CancellationToken));
        Assert.Contains("large", unknown.Message);
    }
}
