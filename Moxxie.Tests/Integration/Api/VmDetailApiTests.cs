using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>GET /api/v1/vms/{id}/detail against the guide's "Get VM Details with Config" example, field by field, over the
/// demo simulator through Moxxie's own PVE client.</summary>
public sealed class VmDetailApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ViewerAsync() => AppSession.ApiClientAsync(App, "vmdetail", MoxxieRoles.Viewer);

    private static void Kind(JsonElement item, string key, JsonValueKind kind) =>
        Assert.True(item.TryGetProperty(key, out var v) && v.ValueKind == kind, $"{key} should be {kind} in {item}");

    [Fact]
    public async Task Detail_HasTheGuidesShape_VmConfigSnapshotsBackups()
    {
        using var client = await ViewerAsync();

        var detail = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms/101/detail", Ct);

        var vm = detail.GetProperty("vm");
        Assert.Equal(101, vm.GetProperty("vmid").GetInt32());
        Assert.Equal("web-server-01", vm.GetProperty("name").GetString());
        Assert.Equal("proxmox-01", vm.GetProperty("node").GetString());
        Assert.Equal("qemu", vm.GetProperty("type").GetString());
        Assert.Equal("running", vm.GetProperty("status").GetString());
        foreach (var key in new[] { "cpu", "cpus", "mem", "maxmem", "disk", "maxdisk", "uptime" })
            Kind(vm, key, JsonValueKind.Number);
        Assert.Equal(4, vm.GetProperty("cpus").GetInt32());
        Assert.Equal(["client-acme", "env-prod", "web-tier"], vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());

        // config: PVE's keys, integers as numbers and property strings as strings, as in the guide.
        var config = detail.GetProperty("config");
        Assert.Equal("web-server-01", config.GetProperty("name").GetString());
        Assert.Equal(4, config.GetProperty("cores").GetInt32());
        Assert.Equal(4096, config.GetProperty("memory").GetInt32());
        Assert.Equal("order=scsi0;ide2;net0", config.GetProperty("boot").GetString());
        Assert.Equal("virtio-scsi-single", config.GetProperty("scsihw").GetString());
        Assert.Equal("l26", config.GetProperty("ostype").GetString());
        Assert.Equal("none,media=cdrom", config.GetProperty("ide2").GetString());
        Assert.Matches("^virtio=[0-9A-F:]{17},bridge=vmbr0", config.GetProperty("net0").GetString());
        Assert.Matches("^local-zfs:vm-101-disk-0,.*size=50G", config.GetProperty("scsi0").GetString());
        Assert.Equal("x86-64-v2-AES", config.GetProperty("cpu").GetString());
        foreach (var key in new[] { "agent", "onboot", "numa" })
            Kind(config, key, JsonValueKind.Number);
        Assert.Equal(1, config.GetProperty("onboot").GetInt32());

        // snapshots and backups: arrays of the guide's items (the demo VM has backups on backup-nas).
        Kind(detail, "snapshots", JsonValueKind.Array);
        foreach (var snapshot in detail.GetProperty("snapshots").EnumerateArray())
        {
            Kind(snapshot, "name", JsonValueKind.String);
            Kind(snapshot, "snaptime", JsonValueKind.Number);
            Assert.True(snapshot.TryGetProperty("description", out _));
            Assert.True(snapshot.TryGetProperty("parent", out _));
            Assert.True(snapshot.GetProperty("vmstate").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.NotEqual("current", snapshot.GetProperty("name").GetString());
        }
        var backups = detail.GetProperty("backups").EnumerateArray().ToList();
        Assert.NotEmpty(backups);
        foreach (var backup in backups)
        {
            Assert.Matches("^[a-z0-9-]+:backup/vzdump-qemu-101-", backup.GetProperty("volid").GetString());
            Assert.Equal("backup", backup.GetProperty("content").GetString());
            Kind(backup, "ctime", JsonValueKind.Number);
            Kind(backup, "format", JsonValueKind.String);
            Kind(backup, "size", JsonValueKind.Number);
            Assert.True(backup.TryGetProperty("notes", out _));
            Assert.True(backup.GetProperty("protected").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.True(backup.TryGetProperty("verification", out _));
        }
        var times = backups.Select(b => b.GetProperty("ctime").GetInt64()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task UnknownVm_Is404_InTheGuidesErrorShape()
    {
        using var client = await ViewerAsync();

        using var response = await client.GetAsync("/api/v1/vms/98765/detail", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("NOT_FOUND", body.GetProperty("error").GetString());
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Contains("98765", body.GetProperty("message").GetString());
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.True(body.TryGetProperty("details", out _));
    }

    [Fact]
    public async Task Anonymous_Is401()
    {
        using var client = App.CreateApiClient();

        using var response = await client.GetAsync("/api/v1/vms/101/detail", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
