using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Cluster backup jobs, guests not backed up, pools (PVE 9 shape) and SDN zones/vnets/subnets with pending vs running.</summary>
public sealed class SimulatorClusterInfraTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 5, 18, 30, 0, TimeSpan.Zero);   // a Saturday
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 50, time: new ManualTimeProvider(Epoch));
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private static Dictionary<string, string> Form(params (string, string)[] p) => p.ToDictionary(x => x.Item1, x => x.Item2);

    private async Task<ApiCall.Result> OkAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        var r = await _api.SendAsync(method, path, form ?? []);
        Assert.True(r.Status == HttpStatusCode.OK, $"{method} {path}: {(int)r.Status} {r.Reason} {r.Body["errors"]?.ToJsonString()}");
        return r;
    }

    private async Task<ApiCall.Result> RefusedAsync(HttpMethod method, string path, HttpStatusCode status, Dictionary<string, string>? form = null)
    {
        var r = await _api.SendAsync(method, path, form ?? []);
        Assert.Equal(status, r.Status);
        return r;
    }

    [Fact]
    public async Task BackupJobs_ListWithNextRun_CreateReadUpdateDelete()
    {
        var jobs = (await OkAsync(HttpMethod.Get, "cluster/backup")).Data!.AsArray();
        var daily = jobs.Single(j => j!["schedule"]!.GetValue<string>() == "01:00")!;
        Assert.Equal(("vzdump", 1, 1), (daily["type"]!.GetValue<string>(), daily["all"]!.GetValue<int>(), daily["enabled"]!.GetValue<int>()));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), daily["next-run"]!.GetValue<long>());
        Assert.DoesNotContain(jobs, j => j!["enabled"]!.GetValue<int>() == 0 && j.AsObject().ContainsKey("next-run"));

        await OkAsync(HttpMethod.Post, "cluster/backup", Form(("id", "backup-test0001"), ("schedule", "mon..fri 22:15"), ("vmid", "101,104"),
            ("storage", "backup-nas"), ("mode", "snapshot"), ("compress", "zstd"), ("notes-template", "{{guestname}}"), ("prune-backups", "keep-last=5")));
        var job = (await OkAsync(HttpMethod.Get, "cluster/backup/backup-test0001")).Data!;
        Assert.Equal(("101,104", 5, 1), (job["vmid"]!.GetValue<string>(), job["prune-backups"]!["keep-last"]!.GetValue<int>(), job["enabled"]!.GetValue<int>()));
        var listed = (await OkAsync(HttpMethod.Get, "cluster/backup")).Data!.AsArray().Single(j => j!["id"]!.GetValue<string>() == "backup-test0001")!;
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 22, 15, 0, TimeSpan.Zero).ToUnixTimeSeconds(), listed["next-run"]!.GetValue<long>());   // Monday

        await OkAsync(HttpMethod.Put, "cluster/backup/backup-test0001", Form(("all", "1"), ("enabled", "0"), ("delete", "prune-backups")));
        job = (await OkAsync(HttpMethod.Get, "cluster/backup/backup-test0001")).Data!;
        Assert.Equal((1, 0), (job["all"]!.GetValue<int>(), job["enabled"]!.GetValue<int>()));
        Assert.Null(job["vmid"]);
        Assert.Null(job["prune-backups"]);

        var dup = await RefusedAsync(HttpMethod.Post, "cluster/backup", HttpStatusCode.InternalServerError, Form(("id", "backup-test0001"), ("schedule", "01:00"), ("all", "1")));
        Assert.Equal("Job 'backup-test0001' already exists", dup.Reason);
        var conflict = await RefusedAsync(HttpMethod.Post, "cluster/backup", HttpStatusCode.BadRequest, Form(("schedule", "01:00"), ("all", "1"), ("vmid", "101")));
        Assert.NotNull(conflict.Body["errors"]!["all"]);
        var nothing = await RefusedAsync(HttpMethod.Post, "cluster/backup", HttpStatusCode.BadRequest, Form(("schedule", "01:00"), ("storage", "local")));
        Assert.Equal("property is missing", nothing.Body["errors"]!["vmid"]!.GetValue<string>());
        await RefusedAsync(HttpMethod.Post, "cluster/backup", HttpStatusCode.BadRequest, Form(("schedule", "01:00"), ("all", "1"), ("compress", "bzip2")));

        await OkAsync(HttpMethod.Delete, "cluster/backup/backup-test0001");
        var gone = await RefusedAsync(HttpMethod.Get, "cluster/backup/backup-test0001", HttpStatusCode.BadRequest);
        Assert.Equal("No such job 'backup-test0001'", gone.Body["errors"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task NotBackedUp_ListsGuestsNoJobCovers()
    {
        Assert.Empty((await OkAsync(HttpMethod.Get, "cluster/backup-info/not-backed-up")).Data!.AsArray());   // the nightly job has all=1
        var daily = (await OkAsync(HttpMethod.Get, "cluster/backup")).Data!.AsArray().Single(j => j!["all"]?.GetValue<int>() == 1)!["id"]!.GetValue<string>();
        await OkAsync(HttpMethod.Put, $"cluster/backup/{daily}", Form(("exclude", "120,200")));
        var missing = (await OkAsync(HttpMethod.Get, "cluster/backup-info/not-backed-up")).Data!.AsArray();
        Assert.Equal([120, 200], missing.Select(m => m!["vmid"]!.GetValue<int>()));
        Assert.Equal(("lxc", "dns-01"), (missing[1]!["type"]!.GetValue<string>(), missing[1]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Pool_entries_of_cluster_resources_come_first_and_add_up_their_running_members_as_pve_manager()
    {
        var resources = (await OkAsync(HttpMethod.Get, "cluster/resources")).Data!.AsArray().Select(x => x!.AsObject()).ToList();
        var pools = resources.TakeWhile(x => x["type"]!.GetValue<string>() == "pool").ToList();
        Assert.Equal(["/pool/development", "/pool/production", "/pool/staging"], pools.Select(p => p["id"]!.GetValue<string>()));
        Assert.DoesNotContain(resources.Skip(pools.Count), x => x["type"]!.GetValue<string>() == "pool");

        static double Num(JsonObject o, string key) => o[key]!.GetValue<JsonElement>().GetDouble();
        var production = pools.Single(p => p["pool"]!.GetValue<string>() == "production");
        var running = resources.Where(x => x["pool"]?.GetValue<string>() == "production" && x["type"]!.GetValue<string>() is "qemu" or "lxc" && Num(x, "uptime") > 0).ToList();
        Assert.NotEmpty(running);
        Assert.Equal(running.Sum(x => Num(x, "mem")), Num(production, "mem"));
        Assert.Equal(running.Sum(x => Num(x, "maxmem")), Num(production, "maxmem"));
        Assert.Equal(running.Sum(x => Num(x, "maxcpu")), Num(production, "maxcpu"));
        Assert.Equal(running.Max(x => Num(x, "uptime")), Num(production, "uptime"));
        Assert.Equal(running.Sum(x => Num(x, "cpu") * Num(x, "maxcpu")) / running.Sum(x => Num(x, "maxcpu")), Num(production, "cpu"), 6);

        // A pool without running members carries no figures; asked for one type, there are no pool entries.
        await OkAsync(HttpMethod.Post, "pools", Form(("poolid", "idle")));
        var idle = (await OkAsync(HttpMethod.Get, "cluster/resources")).Data!.AsArray().Single(x => x!["id"]!.GetValue<string>() == "/pool/idle")!.AsObject();
        Assert.Equal(["id", "pool", "type"], idle.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain((await OkAsync(HttpMethod.Get, "cluster/resources?type=vm")).Data!.AsArray(), x => x!["type"]!.GetValue<string>() == "pool");
        await OkAsync(HttpMethod.Delete, "pools?poolid=idle");
    }

    [Fact]
    public async Task Pools_ListWithoutMembers_DetailWithMembers_AndEditAsPve9()
    {
        var pools = (await OkAsync(HttpMethod.Get, "pools")).Data!.AsArray();
        Assert.Equal(["development", "production", "staging"], pools.Select(p => p!["poolid"]!.GetValue<string>()));
        Assert.All(pools, p => Assert.Null(p!["members"]));

        var production = (await OkAsync(HttpMethod.Get, "pools?poolid=production")).Data!.AsArray().Single()!;
        var members = production["members"]!.AsArray();
        var web = members.Single(m => m!["id"]!.GetValue<string>() == "qemu/101")!;
        Assert.Equal(("qemu", "proxmox-01", "web-server-01"), (web["type"]!.GetValue<string>(), web["node"]!.GetValue<string>(), web["name"]!.GetValue<string>()));
        Assert.Contains(members, m => m!["type"]!.GetValue<string>() == "storage" && m["storage"]!.GetValue<string>() == "backup-nas");
        Assert.All((await OkAsync(HttpMethod.Get, "pools?poolid=production&type=lxc")).Data![0]!["members"]!.AsArray(), m => Assert.Equal("lxc", m!["type"]!.GetValue<string>()));
        var legacy = (await OkAsync(HttpMethod.Get, "pools/production")).Data!;
        Assert.Null(legacy["poolid"]);
        Assert.Equal(members.Count, legacy["members"]!.AsArray().Count);

        await OkAsync(HttpMethod.Post, "pools", Form(("poolid", "qa"), ("comment", "Quality assurance")));
        Assert.Equal("pool 'qa' already exists", (await RefusedAsync(HttpMethod.Post, "pools", HttpStatusCode.InternalServerError, Form(("poolid", "qa")))).Reason);
        var moved = await RefusedAsync(HttpMethod.Put, "pools", HttpStatusCode.InternalServerError, Form(("poolid", "qa"), ("vms", "101")));
        Assert.Equal("VM 101 belongs already to pool 'production' and 'allow-move' is not set", moved.Reason);
        await OkAsync(HttpMethod.Put, "pools", Form(("poolid", "qa"), ("vms", "101"), ("allow-move", "1"), ("storage", "local")));
        var resources = (await OkAsync(HttpMethod.Get, "cluster/resources")).Data!.AsArray();
        Assert.Equal("qa", resources.Single(x => x!["id"]!.GetValue<string>() == "qemu/101")!["pool"]!.GetValue<string>());
        Assert.Contains(resources, x => x!["type"]!.GetValue<string>() == "pool" && x["pool"]!.GetValue<string>() == "qa");

        Assert.Equal("pool 'qa' is not empty (contains VM 101)", (await RefusedAsync(HttpMethod.Delete, "pools?poolid=qa", HttpStatusCode.InternalServerError)).Reason);
        await OkAsync(HttpMethod.Put, "pools/qa", Form(("vms", "101"), ("storage", "local"), ("delete", "1")));
        await OkAsync(HttpMethod.Delete, "pools/qa");
        Assert.Equal("pool 'qa' does not exist", (await RefusedAsync(HttpMethod.Get, "pools?poolid=qa", HttpStatusCode.InternalServerError)).Reason);
        var bad = await RefusedAsync(HttpMethod.Post, "pools", HttpStatusCode.BadRequest, Form(("poolid", "bad pool")));
        Assert.NotNull(bad.Body["errors"]!["poolid"]);
    }

    [Fact]
    public async Task Sdn_EditsArePendingUntilApplied_ThenRunning_AndResourcesShowTheZone()
    {
        var zones = (await OkAsync(HttpMethod.Get, "cluster/sdn/zones")).Data!.AsArray();
        Assert.Equal(["labzone", "prodzone"], zones.Select(z => z!["zone"]!.GetValue<string>()));
        Assert.Single(zones.Select(z => z!["digest"]!.GetValue<string>()).Distinct());

        await OkAsync(HttpMethod.Post, "cluster/sdn/zones", Form(("zone", "dmz"), ("type", "vlan"), ("bridge", "vmbr1"), ("ipam", "pve")));
        await OkAsync(HttpMethod.Post, "cluster/sdn/vnets", Form(("vnet", "dmzweb"), ("zone", "dmz"), ("tag", "300"), ("alias", "DMZ web")));
        await OkAsync(HttpMethod.Post, "cluster/sdn/vnets/dmzweb/subnets", Form(("subnet", "10.30.0.0/24"), ("type", "subnet"), ("gateway", "10.30.0.1"), ("snat", "1")));
        await OkAsync(HttpMethod.Put, "cluster/sdn/zones/prodzone", Form(("mtu", "9000")));

        var subnets = (await OkAsync(HttpMethod.Get, "cluster/sdn/vnets/dmzweb/subnets")).Data!.AsArray();
        var subnet = Assert.Single(subnets)!;
        Assert.Equal(("dmz-10.30.0.0-24", "10.30.0.0/24", "dmz", "10.30.0.1", 1),
            (subnet["subnet"]!.GetValue<string>(), subnet["cidr"]!.GetValue<string>(), subnet["zone"]!.GetValue<string>(), subnet["gateway"]!.GetValue<string>(), subnet["snat"]!.GetValue<int>()));

        var pending = (await OkAsync(HttpMethod.Get, "cluster/sdn/zones?pending=1")).Data!.AsArray();
        var dmz = pending.Single(z => z!["zone"]!.GetValue<string>() == "dmz")!;
        Assert.Equal(("new", "vlan", "vmbr1"), (dmz["state"]!.GetValue<string>(), dmz["type"]!.GetValue<string>(), dmz["pending"]!["bridge"]!.GetValue<string>()));
        var prod = pending.Single(z => z!["zone"]!.GetValue<string>() == "prodzone")!;
        Assert.Equal(("changed", 1500, 9000), (prod["state"]!.GetValue<string>(), prod["mtu"]!.GetValue<int>(), prod["pending"]!["mtu"]!.GetValue<int>()));
        Assert.Null(pending.Single(z => z!["zone"]!.GetValue<string>() == "labzone")!["state"]);
        Assert.DoesNotContain((await OkAsync(HttpMethod.Get, "cluster/sdn/zones?running=1")).Data!.AsArray(), z => z!["zone"]!.GetValue<string>() == "dmz");
        Assert.DoesNotContain((await OkAsync(HttpMethod.Get, "cluster/resources?type=sdn")).Data!.AsArray(), r => r!["sdn"]!.GetValue<string>() == "dmz");

        var upid = (await OkAsync(HttpMethod.Put, "cluster/sdn")).Data!.GetValue<string>();
        Assert.Contains(":reloadnetworkall::", upid);
        Assert.Equal(3, (await OkAsync(HttpMethod.Get, "cluster/resources?type=sdn")).Data!.AsArray().Count(r => r!["sdn"]!.GetValue<string>() == "dmz"));
        Assert.All((await OkAsync(HttpMethod.Get, "cluster/sdn/zones?pending=1")).Data!.AsArray(), z => Assert.Null(z!["state"]));
        Assert.Equal(9000, (await OkAsync(HttpMethod.Get, "cluster/sdn/zones/prodzone?running=1")).Data!["mtu"]!.GetValue<int>());

        await OkAsync(HttpMethod.Delete, "cluster/sdn/vnets/dmzweb/subnets/dmz-10.30.0.0-24");
        await OkAsync(HttpMethod.Delete, "cluster/sdn/vnets/dmzweb");
        var deleted = (await OkAsync(HttpMethod.Get, "cluster/sdn/vnets?pending=1")).Data!.AsArray().Single(v => v!["vnet"]!.GetValue<string>() == "dmzweb")!;
        Assert.Equal("deleted", deleted["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdn_RefusesWhatPveRefuses()
    {
        Assert.Equal("zone prodzone is used by vnet proddb", (await RefusedAsync(HttpMethod.Delete, "cluster/sdn/zones/prodzone", HttpStatusCode.InternalServerError)).Reason);
        Assert.Equal("Can't delete vnet if subnets exists", (await RefusedAsync(HttpMethod.Delete, "cluster/sdn/vnets/prodweb", HttpStatusCode.InternalServerError)).Reason);
        var noTag = await RefusedAsync(HttpMethod.Post, "cluster/sdn/vnets", HttpStatusCode.BadRequest, Form(("vnet", "notag"), ("zone", "prodzone")));
        Assert.Equal("missing vlan tag", noTag.Body["errors"]!["tag"]!.GetValue<string>());
        var dupTag = await RefusedAsync(HttpMethod.Post, "cluster/sdn/vnets", HttpStatusCode.BadRequest, Form(("vnet", "dup"), ("zone", "prodzone"), ("tag", "100")));
        Assert.Equal("tag 100 already exist in vnet prodweb", dupTag.Body["errors"]!["tag"]!.GetValue<string>());
        var noBridge = await RefusedAsync(HttpMethod.Post, "cluster/sdn/zones", HttpStatusCode.BadRequest, Form(("zone", "nobr"), ("type", "vlan")));
        Assert.NotNull(noBridge.Body["errors"]!["bridge"]);
        await RefusedAsync(HttpMethod.Post, "cluster/sdn/zones", HttpStatusCode.BadRequest, Form(("zone", "way-too-long-zone"), ("type", "simple")));
        await RefusedAsync(HttpMethod.Post, "cluster/sdn/zones", HttpStatusCode.BadRequest, Form(("zone", "z1"), ("type", "ospf")));
        var stale = await RefusedAsync(HttpMethod.Put, "cluster/sdn/zones/labzone", HttpStatusCode.InternalServerError, Form(("mtu", "1400"), ("digest", new string('0', 40))));
        Assert.Equal("detected modified configuration - file changed by other user? Try again.", stale.Reason);
        Assert.Equal("sdn zone object ID 'labzone' already defined",
            (await RefusedAsync(HttpMethod.Post, "cluster/sdn/zones", HttpStatusCode.InternalServerError, Form(("zone", "labzone"), ("type", "simple")))).Reason);
    }

    [Fact]
    public async Task ClusterResources_AnswersEveryType()
    {
        var all = (await OkAsync(HttpMethod.Get, "cluster/resources")).Data!.AsArray();
        Assert.Equal(["lxc", "node", "pool", "qemu", "sdn", "storage"], all.Select(r => r!["type"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        foreach (var (type, expected) in new[] { ("vm", new[] { "lxc", "qemu" }), ("node", ["node"]), ("storage", ["storage"]), ("sdn", ["sdn"]) })
        {
            var list = (await OkAsync(HttpMethod.Get, $"cluster/resources?type={type}")).Data!.AsArray();
            Assert.Equal(expected, list.Select(r => r!["type"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        }
    }
}
