using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>Moxxie's PVE client against responses recorded from real PVE (../shared/proxmox/fixtures): requests go to the
/// recorded paths, and every quirk in the answers (numbers as strings, template "" / 0 / 1, pid null, unordered keys,
/// errors in the reason phrase) is read correctly.</summary>
public sealed class ProxmoxFixtureContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Version_IsRead()
    {
        var handler = new FixtureReplayHandler("datadog-integrations-core/get-version.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var version = await gw.GetVersionAsync(Ct);

        Assert.Equal(new PveVersion("8.4.1", "8.4", "2a2fa54b8503f96c"), version);
        Assert.Equal("/api2/json/version", handler.Requests[0].Path);
        Assert.Equal("PVEAPIToken=root@pam!moxxie=s3cret", handler.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task ClusterStatus_IsRead()
    {
        const string fixture = "go-proxmox/get-cluster-status.json";
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var cluster = await gw.GetClusterStatusAsync(Ct);

        Assert.Equal(FixtureReplayHandler.RequestPath(fixture), handler.Requests[0].Path);
        Assert.Equal("clustername", cluster.Name);
        Assert.True(cluster.Quorate);
        Assert.Equal(4, cluster.ConfigVersion);
        Assert.Equal(["node1", "node2", "node3", "node4"], cluster.Nodes.Select(n => n.Name));
        var node1 = cluster.Nodes[0];
        Assert.True(node1.Online);
        Assert.True(node1.Local);
        Assert.Equal("192.168.1.1", node1.Ip);
        Assert.Equal(1, node1.NodeId);
        Assert.Null(node1.Level);
    }

    [Fact]
    public async Task ClusterResources_GuestsNodesAndStorage_AreRead()
    {
        const string fixture = "go-proxmox/get-cluster-resources.json";
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var r = await gw.GetResourcesAsync(Ct);

        Assert.Equal(FixtureReplayHandler.RequestPath(fixture), handler.Requests[0].Path);
        Assert.Equal([100, 101, 102, 200], r.Guests.Select(g => g.VmId));
        var server1 = r.Guests[0];
        Assert.Equal(("server1", "node2", "running", GuestType.Qemu), (server1.Name, server1.Node, server1.Status, server1.Type));
        Assert.Equal(0.0249060195469461, server1.Cpu, 12);
        Assert.Equal(1, server1.MaxCpu);
        Assert.Equal(842551296, server1.Mem);
        Assert.Equal(1073741824, server1.MaxMem);
        Assert.Equal(874350, server1.Uptime);
        Assert.Equal(2456116121, server1.NetIn);
        Assert.False(server1.Template);
        Assert.True(r.Guests.Single(g => g.VmId == 101).Template);
        Assert.Equal(["go-proxmox+cloud-init"], r.Guests.Single(g => g.VmId == 102).Tags);
        Assert.Empty(server1.Tags);
        Assert.Equal(4, r.Nodes.Count);
        Assert.All(r.Nodes, n => Assert.Equal("online", n.Status));
        var zfs = r.Storage.Single(s => s.Storage == "local-zfs" && s.Node == "node1");
        Assert.Equal(["images", "rootdir"], zfs.Content);
        Assert.False(zfs.Shared);
        Assert.Equal("zfspool", zfs.PluginType);
        Assert.Equal(955016175616, zfs.MaxDisk);
    }

    [Fact]
    public async Task ClusterResources_OfTypeNode_FromPve6_AreRead()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/get-cluster-resources--type-node.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var r = await gw.GetResourcesAsync(Ct);

        var node = Assert.Single(r.Nodes);
        Assert.Equal(("pve", "online", 2, 2083995648L, 818L), (node.Node, node.Status, node.MaxCpu, node.MaxMem, node.Uptime));
        Assert.Empty(r.Guests);
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--running.json", true, null)]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--ok.json", false, "OK")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--pve74-qmsnapshot.json", false, "OK")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--error.json", false, "unable to create CT 100 - volume 'local:vztmpl/alpine-3.10-default_20190626_amd64.tar.xz' does not exist")]
    public async Task TaskStatus_IsRead(string fixture, bool running, string? exit)
    {
        var recordedPath = FixtureReplayHandler.RequestPath(fixture);
        var upid = recordedPath.Split("/tasks/")[1].Split("/status")[0];
        var node = recordedPath.Split("/nodes/")[1].Split('/')[0];
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var task = await gw.GetTaskStatusAsync(node, upid, Ct);

        Assert.Equal(recordedPath, handler.Requests[0].Path);
        Assert.Equal(upid, task.Upid);
        Assert.Equal(node, task.Node);
        Assert.Equal(running, task.Running);
        Assert.Equal(exit, task.ExitStatus);
        Assert.Equal(exit is not null && exit == "OK", task.Succeeded);
        Assert.Equal(exit is not null && exit != "OK", task.Failed);
        Assert.Equal("root@pam", task.User);
        Assert.Equal(Core.Tasks.Upid.Parse(upid).StartTime, task.StartTime);
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--running.json", 1, "no content")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--ok.json", 1, "TASK OK")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--error.json", 16, "TASK ERROR: unable to create CT 100 - volume 'local:vztmpl/alpine-3.10-default_20190626_amd64.tar.xz' does not exist")]
    public async Task TaskLog_IsRead(string fixture, int total, string lastLine)
    {
        var recordedPath = FixtureReplayHandler.RequestPath(fixture);
        var upid = recordedPath.Split("/tasks/")[1].Split("/log")[0];
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var log = await gw.GetTaskLogAsync("pve", upid, 0, 50, Ct);

        Assert.Equal(recordedPath, handler.Requests[0].Path);
        Assert.Equal("?start=0&limit=50", handler.Requests[0].Uri.Query);
        Assert.Equal(total, log.Total);
        Assert.Equal(total, log.Lines.Count);
        Assert.Equal(lastLine, log.Lines[^1].Text);
        Assert.Equal(Enumerable.Range(1, total), log.Lines.Select(l => l.N));
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-tasks.json")]
    [InlineData("ansible-community-proxmox/get-nodes-node-tasks--pve64.json")]
    public async Task TaskLists_AreRead(string fixture)
    {
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var tasks = await gw.GetClusterTasksAsync(Ct);

        Assert.NotEmpty(tasks);
        Assert.All(tasks, t =>
        {
            Assert.StartsWith("UPID:", t.Upid);
            Assert.False(t.Running);
            Assert.NotNull(t.EndTime);
            Assert.NotNull(t.ExitStatus);
        });
        Assert.Contains(tasks, t => t.Succeeded);
        Assert.Contains(tasks, t => t.Failed);
    }

    [Fact]
    public async Task PowerStart_PostsToTheRecordedPath_AndReturnsTheUpid()
    {
        const string fixture = "fog-proxmox/post-nodes-node-qemu-vmid-status-start.json";
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var upid = await gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct);

        Assert.Equal("UPID:pve:00000B6E:0000D071:5FBE5E6D:qmstart:100:root@pam:", upid);
        Assert.Equal("POST", handler.Requests[0].Method);
        Assert.Equal(FixtureReplayHandler.RequestPath(fixture), handler.Requests[0].Path);
    }

    [Fact]
    public async Task GuestConfig_IsReadAsStrings()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/get-nodes-node-qemu-vmid-config.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var config = await gw.GetGuestConfigAsync("pve", 101, GuestType.Qemu, Ct);

        Assert.Equal("/api2/json/nodes/pve/qemu/101/config", handler.Requests[0].Path);
        Assert.Equal("Copy-of-VM-100", config["name"]);
        Assert.Equal("1", config["template"]);
        Assert.Equal("local-lvm:vm-101-disk-0,backup=0,replicate=0,size=1G", config["virtio0"]);
    }

    [Fact]
    public async Task NodeQemuList_FromPve6_WithVmidAsString_TemplateEmptyAndPidNull_IsRead()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/get-nodes-node-qemu.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var guests = await gw.GetNodeQemuAsync("pve", Ct);

        var g = Assert.Single(guests);
        Assert.Equal(100, g.VmId);
        Assert.Equal("stopped", g.Status);
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-lxc.json")]
    [InlineData("go-proxmox/get-nodes-node-lxc.json")]
    public async Task LxcEntries_WithVmidAsStringAndTemplateQuirks_MapToGuests(string fixture)
    {
        var handler = new FixtureReplayHandler(fixture);
        using var gw = FixtureReplayHandler.Gateway(handler);

        var r = await gw.GetResourcesAsync(Ct);

        Assert.NotEmpty(r.Guests);
        Assert.All(r.Guests, g =>
        {
            Assert.Equal(GuestType.Lxc, g.Type);
            Assert.True(g.VmId >= 100);
            Assert.True(g.MaxMem > 0);
        });
        if (fixture.StartsWith("go-", StringComparison.Ordinal))
        {
            Assert.True(r.Guests.Single(g => g.VmId == 101).Template);
            Assert.False(r.Guests.Single(g => g.VmId == 105).Template);
        }
        else
        {
            Assert.False(r.Guests.Single().Template); // template: ""
        }
    }

    [Fact]
    public async Task Error500_MessageIsTheReasonPhrase()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/get-nodes-node-qemu-vmid-status-current--500-no-such-vm.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetGuestConfigAsync("pve", 100, GuestType.Qemu, Ct));

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal("Configuration file 'nodes/pve/qemu-server/100.conf' does not exist", ex.Message);
        Assert.Equal("pve", ex.Connection);
        Assert.Empty(ex.ParameterErrors);
    }

    [Fact]
    public async Task Error500_OnPost_IsNotRetried()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/post-nodes-node-qemu--500-already-exists.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct));

        Assert.Equal("unable to create VM 100 - VM 100 already exists on node 'pve'", ex.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Error400_CarriesParameterErrors()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/post-nodes-node-network--400-param-error.json");
        using var gw = FixtureReplayHandler.Gateway(handler);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("Parameter verification failed.", ex.Message);
        Assert.Equal("interface already exists", ex.ParameterErrors["iface"]);
    }

    [Fact]
    public async Task TicketLogin_ThenWrite_SendsCookieAndCsrf_ButNeverThePasswordAgain()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/post-access-ticket.json", "fog-proxmox/post-nodes-node-qemu-vmid-status-start.json");
        var settings = new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006/"), null, null, null, false, "root@pam", "pa55word");
        using var gw = FixtureReplayHandler.Gateway(handler, settings);

        await gw.PowerAsync("pve", 100, GuestType.Qemu, PowerAction.Start, Ct);

        var login = handler.Requests[0];
        Assert.Equal(("POST", "/api2/json/access/ticket"), (login.Method, login.Path));
        Assert.Contains("username=root%40pam", login.Body);
        Assert.Contains("password=pa55word", login.Body);
        var write = handler.Requests[1];
        Assert.StartsWith("PVEAuthCookie=PVE%3Aroot%40pam%3A5FBE5C9B%3A%3A", write.Headers["Cookie"]);
        Assert.StartsWith("5FBE5C9B:", write.Headers["CSRFPreventionToken"]);
        Assert.False(write.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain("pa55word", write.Body ?? "");
    }

    [Fact]
    public async Task TicketLogin_Failure_SurfacesAuthenticationFailure()
    {
        var handler = new FixtureReplayHandler("fog-proxmox/post-access-ticket--401-auth-failure.json");
        var settings = new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006/"), null, null, null, false, "root@pam", "bad-pass");
        using var gw = FixtureReplayHandler.Gateway(handler, settings);

        var ex = await Assert.ThrowsAsync<ProxmoxException>(() => gw.GetVersionAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("authentication failure", ex.Message);
        Assert.DoesNotContain("bad-pass", ex.ToString());
    }
}
