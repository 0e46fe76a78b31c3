using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Storage configuration, status, content (ISO, templates, backups, guest disks), upload and usage over HTTPS.</summary>
public sealed class SimulatorInfraStorageTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 50);
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private async Task<JsonNode> StorageAsync(string node, string storage) =>
        (await _api.GetJsonAsync($"nodes/{node}/storage")).Data!.AsArray().Single(s => s!["storage"]!.GetValue<string>() == storage)!;

    [Fact]
    public async Task NodeStorage_ListsPveFields_AndFiltersByContent()
    {
        var all = (await _api.GetJsonAsync("nodes/proxmox-01/storage")).Data!.AsArray();
        Assert.Equal(["backup-nas", "local", "local-zfs"], all.Select(s => s!["storage"]!.GetValue<string>()));
        var nas = all[0]!;
        Assert.Equal(("nfs", 1, 1, 1), (nas["type"]!.GetValue<string>(), nas["shared"]!.GetValue<int>(), nas["active"]!.GetValue<int>(), nas["enabled"]!.GetValue<int>()));
        Assert.Equal(nas["total"]!.GetValue<long>(), nas["used"]!.GetValue<long>() + nas["avail"]!.GetValue<long>());
        Assert.InRange(nas["used_fraction"]!.GetValue<double>(), 0.01, 0.99);

        var images = (await _api.GetJsonAsync("nodes/proxmox-01/storage?content=images")).Data!.AsArray();
        Assert.Equal(["local-zfs"], images.Select(s => s!["storage"]!.GetValue<string>()));

        var resources = (await _api.GetJsonAsync("cluster/resources?type=storage")).Data!.AsArray();
        var nasResource = resources.Single(r => r!["id"]!.GetValue<string>() == "storage/proxmox-01/backup-nas")!;
        Assert.Equal(nas["used"]!.GetValue<long>(), nasResource["disk"]!.GetValue<long>());
        Assert.Equal("production", nasResource["pool"]!.GetValue<string>());
    }

    [Fact]
    public async Task Content_ListsIsosTemplatesBackupsAndGuestDisks_WithPveFields()
    {
        var local = (await _api.GetJsonAsync("nodes/proxmox-01/storage/local/content")).Data!.AsArray();
        Assert.Contains(local, v => v!["volid"]!.GetValue<string>() == "local:iso/ubuntu-24.04.1-live-server-amd64.iso" && v["format"]!.GetValue<string>() == "iso");
        Assert.Contains(local, v => v!["content"]!.GetValue<string>() == "vztmpl" && v["format"]!.GetValue<string>() == "tzst");

        var backups = (await _api.GetJsonAsync("nodes/proxmox-02/storage/backup-nas/content?content=backup&vmid=101")).Data!.AsArray();
        Assert.Equal(3, backups.Count);
        Assert.All(backups, b =>
        {
            Assert.Matches(@"^backup-nas:backup/vzdump-qemu-101-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$", b!["volid"]!.GetValue<string>());
            Assert.Equal(("vma.zst", "qemu", 101, "web-server-01"), (b["format"]!.GetValue<string>(), b["subtype"]!.GetValue<string>(), b["vmid"]!.GetValue<int>(), b["notes"]!.GetValue<string>()));
            Assert.True(b["size"]!.GetValue<long>() > 0 && b["ctime"]!.GetValue<long>() > 0);
        });

        var disks = (await _api.GetJsonAsync("nodes/proxmox-01/storage/local-zfs/content?vmid=200")).Data!.AsArray();
        Assert.Equal(("local-zfs:subvol-200-disk-0", "rootdir", "subvol"),
            (disks[0]!["volid"]!.GetValue<string>(), disks[0]!["content"]!.GetValue<string>(), disks[0]!["format"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Upload_CreatesIsoThroughImgcopyTask_AndUsageFollows()
    {
        var before = await StorageAsync("proxmox-03", "local");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("iso"), "content");
        var file = new ByteArrayContent(new byte[1_048_576]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "filename", "rescue.iso");
        var r = await _api.SendAsync(HttpMethod.Post, "nodes/proxmox-03/storage/local/upload", configure: m => m.Content = form);
        Assert.Equal(HttpStatusCode.OK, r.Status);
        var upid = r.Data!.GetValue<string>();
        Assert.Contains(":imgcopy:", upid);
        Assert.Equal("OK", (await SimulatorInfraNodeTests.WaitTaskAsync(_api, "proxmox-03", upid))["exitstatus"]!.GetValue<string>());

        var iso = (await _api.GetJsonAsync("nodes/proxmox-03/storage/local/content?content=iso")).Data!.AsArray()
            .Single(v => v!["volid"]!.GetValue<string>() == "local:iso/rescue.iso")!;
        Assert.Equal(1_048_576, iso["size"]!.GetValue<long>());
        var after = await StorageAsync("proxmox-03", "local");
        Assert.Equal(before["used"]!.GetValue<long>() + 1_048_576, after["used"]!.GetValue<long>());
        Assert.DoesNotContain((await _api.GetJsonAsync("nodes/proxmox-01/storage/local/content")).Data!.AsArray(),
            v => v!["volid"]!.GetValue<string>() == "local:iso/rescue.iso");   // local storage: only on that node
    }

    [Fact]
    public async Task ProtectedBackup_RefusesDelete_UntilUnprotected_ThenUsageDrops()
    {
        var backups = (await _api.GetJsonAsync("nodes/proxmox-01/storage/backup-nas/content?content=backup&vmid=101")).Data!.AsArray();
        var volid = backups[0]!["volid"]!.GetValue<string>();
        var size = backups[0]!["size"]!.GetValue<long>();
        var path = $"nodes/proxmox-01/storage/backup-nas/content/{Uri.EscapeDataString(volid)}";
        var set = await _api.SendAsync(HttpMethod.Put, path, new Dictionary<string, string> { ["protected"] = "1", ["notes"] = "before upgrade" });
        Assert.Equal(HttpStatusCode.OK, set.Status);
        var read = (await _api.GetJsonAsync(path)).Data!;
        Assert.Equal((1, "before upgrade"), (read["protected"]!.GetValue<int>(), read["notes"]!.GetValue<string>()));
        Assert.StartsWith("/mnt/pve/backup-nas/dump/vzdump-qemu-101-", read["path"]!.GetValue<string>());
        var usedBefore = (await StorageAsync("proxmox-01", "backup-nas"))["used"]!.GetValue<long>();

        var refused = (await _api.SendAsync(HttpMethod.Delete, path)).Data!.GetValue<string>();
        var status = await SimulatorInfraNodeTests.WaitTaskAsync(_api, "proxmox-01", refused);
        Assert.Equal($"cannot remove protected volume '{volid["backup-nas:".Length..]}' on 'backup-nas'", status["exitstatus"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _api.GetJsonAsync(path)).Status);

        await _api.SendAsync(HttpMethod.Put, path, new Dictionary<string, string> { ["protected"] = "0" });
        var deleted = (await _api.SendAsync(HttpMethod.Delete, path)).Data!.GetValue<string>();
        Assert.Contains(":imgdel:101@backup-nas:", deleted);
        Assert.Equal("OK", (await SimulatorInfraNodeTests.WaitTaskAsync(_api, "proxmox-01", deleted))["exitstatus"]!.GetValue<string>());
        var gone = await _api.GetJsonAsync(path);
        Assert.Equal(HttpStatusCode.InternalServerError, gone.Status);
        Assert.Equal($"volume '{volid}' does not exist", gone.Reason);
        Assert.Equal(usedBefore - size, (await StorageAsync("proxmox-02", "backup-nas"))["used"]!.GetValue<long>());   // shared: same on every node
    }

    [Fact]
    public async Task DisablingAStorage_ShowsItInactive_AndRefusesContent()
    {
        var put = await _api.SendAsync(HttpMethod.Put, "storage/local", new Dictionary<string, string> { ["disable"] = "1" });
        Assert.Equal(("local", "dir"), (put.Data!["storage"]!.GetValue<string>(), put.Data!["type"]!.GetValue<string>()));
        Assert.Equal(1, (await _api.GetJsonAsync("storage/local")).Data!["disable"]!.GetValue<int>());

        var local = await StorageAsync("proxmox-01", "local");
        Assert.Equal((0, 0), (local["enabled"]!.GetValue<int>(), local["active"]!.GetValue<int>()));
        Assert.Null(local["total"]);
        Assert.DoesNotContain((await _api.GetJsonAsync("nodes/proxmox-01/storage?enabled=1")).Data!.AsArray(), s => s!["storage"]!.GetValue<string>() == "local");
        var content = await _api.GetJsonAsync("nodes/proxmox-01/storage/local/content");
        Assert.Equal(HttpStatusCode.InternalServerError, content.Status);
        Assert.Equal("storage 'local' is disabled", content.Reason);

        await _api.SendAsync(HttpMethod.Put, "storage/local", new Dictionary<string, string> { ["delete"] = "disable" });
        Assert.Equal(1, (await StorageAsync("proxmox-01", "local"))["enabled"]!.GetValue<int>());
    }
}
