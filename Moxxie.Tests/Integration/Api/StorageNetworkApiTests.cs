using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>GET /api/v1/storage?enabled=, /networks?node=, /sdn/vnets against the guide's "Storage Overview" and "Network
/// Management" examples, field by field; unknown names → 404, bad queries → VALIDATION_ERROR with per-field details; storage
/// enable/disable by role, audited. Real app, demo simulator, Moxxie's own PVE client.</summary>
public sealed class StorageNetworkApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    // Usage comes from the inventory: wait for its first poll.
    private Task<HttpClient> ClientAsAsync(string role) => AppSession.ApiClientAsync(App, "infra" + role.ToLowerInvariant(), role,
        async c => (await c.GetFromJsonAsync<JsonElement>("/api/v1/storage", Ct)).EnumerateArray().Count(s => s.GetProperty("total").GetInt64() > 0) >= 3);

    private static void Kind(JsonElement item, string key, JsonValueKind kind) =>
        Assert.True(item.TryGetProperty(key, out var v) && v.ValueKind == kind, $"{key} should be {kind} in {item}");

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, body.GetProperty("error").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.True(body.TryGetProperty("details", out _));
        return body;
    }

    [Fact]
    public async Task StorageList_HasTheGuidesThreeStorages_FieldByField()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var list = (await client.GetFromJsonAsync<JsonElement>("/api/v1/storage?enabled=true", Ct)).EnumerateArray()
            .ToDictionary(s => s.GetProperty("storage").GetString()!);

        Assert.Equal(["backup-nas", "local", "local-zfs"], list.Keys.Order(StringComparer.Ordinal));
        string[] nodes = ["proxmox-01", "proxmox-02", "proxmox-03"];
        foreach (var s in list.Values)
        {
            Kind(s, "content", JsonValueKind.Array);
            Kind(s, "active", JsonValueKind.True);
            Kind(s, "enabled", JsonValueKind.True);
            foreach (var key in new[] { "total", "used", "available", "used_fraction" })
                Kind(s, key, JsonValueKind.Number);
            var total = s.GetProperty("total").GetInt64();
            Assert.Equal(total - s.GetProperty("used").GetInt64(), s.GetProperty("available").GetInt64());
            Assert.InRange(s.GetProperty("used_fraction").GetDouble() - (double)s.GetProperty("used").GetInt64() / total, -0.0001, 0.0001);
            Assert.Equal(nodes, Strings(s.GetProperty("nodes")));
        }

        var local = list["local"];
        Assert.Equal("dir", local.GetProperty("type").GetString());
        Assert.Equal(["backup", "iso", "vztmpl"], Strings(local.GetProperty("content")).Order(StringComparer.Ordinal));
        Kind(local, "shared", JsonValueKind.False);
        Assert.Equal("/var/lib/vz", local.GetProperty("path").GetString());

        var zfs = list["local-zfs"];
        Assert.Equal("zfspool", zfs.GetProperty("type").GetString());
        Assert.Equal(["images", "rootdir"], Strings(zfs.GetProperty("content")).Order(StringComparer.Ordinal));
        Kind(zfs, "shared", JsonValueKind.False);
        Assert.Equal("rpool/data", zfs.GetProperty("pool").GetString());
        Assert.False(zfs.TryGetProperty("server", out _));

        var nas = list["backup-nas"];
        Assert.Equal("nfs", nas.GetProperty("type").GetString());
        Kind(nas, "shared", JsonValueKind.True);
        Assert.Equal("192.168.1.50", nas.GetProperty("server").GetString());
        Assert.StartsWith("/", nas.GetProperty("export").GetString());
        // Shared storage counts once, not once per node.
        var perNode = (await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/resources?type=storage", Ct)).EnumerateArray()
            .Where(r => r.GetProperty("storage").GetString() == "backup-nas").ToList();
        Assert.Equal(3, perNode.Count);
        Assert.Equal(perNode[0].GetProperty("maxdisk").GetInt64(), nas.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task StorageQuery_BadEnabled_IsValidationError_UnknownStorage_Is404()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        using var bad = await client.GetAsync("/api/v1/storage?enabled=maybe", Ct);
        var body = await ErrorAsync(bad, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("details").GetProperty("enabled").GetString()));

        using var missing = await client.GetAsync("/api/v1/storage/no-such-storage", Ct);
        await ErrorAsync(missing, HttpStatusCode.NotFound, "NOT_FOUND");
        using var missingContent = await client.GetAsync("/api/v1/storage/no-such-storage/content", Ct);
        await ErrorAsync(missingContent, HttpStatusCode.NotFound, "NOT_FOUND");
        using var badContent = await client.GetAsync("/api/v1/storage/local/content?content=movies&node=nowhere", Ct);
        var details = (await ErrorAsync(badContent, HttpStatusCode.BadRequest, "VALIDATION_ERROR")).GetProperty("details");
        Assert.True(details.TryGetProperty("content", out _));
        Assert.True(details.TryGetProperty("node", out _));
    }

    [Fact]
    public async Task StorageContent_ListsIsosAndBackups_WithTheGuidesBackupFields()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var isos = (await client.GetFromJsonAsync<JsonElement>("/api/v1/storage/local/content?node=proxmox-01&content=iso", Ct)).EnumerateArray().ToList();
        Assert.Contains(isos, i => i.GetProperty("volid").GetString() == "local:iso/debian-12.8.0-amd64-netinst.iso");
        Assert.All(isos, i => Assert.Equal("iso", i.GetProperty("content").GetString()));

        var backups = (await client.GetFromJsonAsync<JsonElement>("/api/v1/storage/backup-nas/content?content=backup", Ct)).EnumerateArray().ToList();
        var web1 = backups.Where(b => b.GetProperty("vmid").GetInt32() == 101).ToList();
        Assert.Equal(3, web1.Count);
        var b = web1[0];
        Assert.Matches("^backup-nas:backup/vzdump-qemu-101-\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_\\d{2}\\.vma\\.zst$", b.GetProperty("volid").GetString());
        Assert.Equal("backup", b.GetProperty("content").GetString());
        Assert.Equal("vma.zst", b.GetProperty("format").GetString());
        Kind(b, "ctime", JsonValueKind.Number);
        Assert.True(b.GetProperty("size").GetInt64() > 0);
        Assert.Equal("web-server-01", b.GetProperty("notes").GetString());
        Assert.True(b.GetProperty("protected").ValueKind is JsonValueKind.True or JsonValueKind.False);
        // Newest first.
        Assert.True(web1[0].GetProperty("ctime").GetInt64() > web1[2].GetProperty("ctime").GetInt64());
    }

    [Fact]
    public async Task DisableStorage_ByAnOperator_Is403_ByAnAdmin_DisablesAndAudits_ThenEnables()
    {
        using var op = await ClientAsAsync(MoxxieRoles.Operator);
        using var forbidden = await op.PostAsync("/api/v1/storage/local/disable", null, Ct);
        await ErrorAsync(forbidden, HttpStatusCode.Forbidden, "FORBIDDEN");

        using var admin = await ClientAsAsync(MoxxieRoles.Admin);
        try
        {
            using var disabled = await admin.PostAsync("/api/v1/storage/local/disable", null, Ct);
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            var body = await disabled.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Kind(body.GetProperty("data"), "enabled", JsonValueKind.False);
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));

            var off = await admin.GetFromJsonAsync<JsonElement>("/api/v1/storage?enabled=false", Ct);
            Assert.Equal(["local"], off.EnumerateArray().Select(s => s.GetProperty("storage").GetString()));
            var on = await admin.GetFromJsonAsync<JsonElement>("/api/v1/storage?enabled=true", Ct);
            Assert.DoesNotContain("local", on.EnumerateArray().Select(s => s.GetProperty("storage").GetString()));
        }
        finally
        {
            using var enabled = await admin.PostAsync("/api/v1/storage/local/enable", null, Ct);
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        }
        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, e => e is { Operation: "STORAGE_DISABLE", ResourceId: "local", Success: true });
        Assert.Contains(audit, e => e is { Operation: "STORAGE_ENABLE", ResourceId: "local", Success: true });
    }

    [Fact]
    public async Task Networks_OfProxmox01_HaveTheGuidesInterfaceFields()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var list = (await client.GetFromJsonAsync<JsonElement>("/api/v1/networks?node=proxmox-01", Ct)).EnumerateArray()
            .ToDictionary(i => i.GetProperty("iface").GetString()!);

        Assert.Superset(new HashSet<string> { "eno1", "eno2", "vmbr0", "vmbr1", "vmbr0.50" }, list.Keys.ToHashSet());
        var vmbr0 = list["vmbr0"];
        Assert.Equal("bridge", vmbr0.GetProperty("type").GetString());
        Kind(vmbr0, "active", JsonValueKind.True);
        Kind(vmbr0, "autostart", JsonValueKind.True);
        Assert.Equal("eno1", vmbr0.GetProperty("bridge_ports").GetString());
        Assert.Equal("off", vmbr0.GetProperty("bridge_stp").GetString());
        Assert.Equal(0, vmbr0.GetProperty("bridge_fd").GetInt32());
        Kind(vmbr0, "bridge_vlan_aware", JsonValueKind.True);
        Assert.Equal("192.168.1.10", vmbr0.GetProperty("address").GetString());
        Assert.Equal("255.255.255.0", vmbr0.GetProperty("netmask").GetString());
        Assert.Equal("192.168.1.1", vmbr0.GetProperty("gateway").GetString());
        Assert.Equal(["inet"], Strings(vmbr0.GetProperty("families")));
        Assert.Equal("static", vmbr0.GetProperty("method").GetString());
        Assert.Equal("Management and VM traffic", vmbr0.GetProperty("comments").GetString());

        var vmbr1 = list["vmbr1"];
        Assert.Equal("manual", vmbr1.GetProperty("method").GetString());
        Assert.False(vmbr1.TryGetProperty("address", out _));
        Assert.False(vmbr1.TryGetProperty("bridge_vlan_aware", out _));

        // The guide's physical NIC: iface, type, active, autostart, method, families — nothing a bridge has.
        var eno1 = list["eno1"];
        Assert.Equal("eth", eno1.GetProperty("type").GetString());
        Assert.Equal("manual", eno1.GetProperty("method").GetString());
        Kind(eno1, "active", JsonValueKind.True);
        Assert.True(eno1.GetProperty("autostart").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.False(eno1.TryGetProperty("bridge_ports", out _));
        Assert.False(eno1.TryGetProperty("comments", out _));

        var bridges = (await client.GetFromJsonAsync<JsonElement>("/api/v1/networks?node=proxmox-01&type=bridge", Ct)).EnumerateArray();
        Assert.Equal(["vmbr0", "vmbr1"], bridges.Select(b => b.GetProperty("iface").GetString()));
    }

    [Fact]
    public async Task Networks_UnknownNode_Is404_BadType_IsValidationError()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        using var missing = await client.GetAsync("/api/v1/networks?node=no-such-node", Ct);
        await ErrorAsync(missing, HttpStatusCode.NotFound, "NOT_FOUND");
        using var bad = await client.GetAsync("/api/v1/networks?node=proxmox-01&type=wifi", Ct);
        var body = await ErrorAsync(bad, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("bridge", body.GetProperty("details").GetProperty("type").GetString());
    }

    [Fact]
    public async Task SdnVnets_HaveTheGuidesFields_WithTheZonesIpam()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);

        var vnets = (await client.GetFromJsonAsync<JsonElement>("/api/v1/sdn/vnets", Ct)).EnumerateArray()
            .ToDictionary(v => v.GetProperty("vnet").GetString()!);

        Assert.Equal(["labnet", "proddb", "prodweb"], vnets.Keys.Order(StringComparer.Ordinal));
        var web = vnets["prodweb"];
        Assert.Equal("prodzone", web.GetProperty("zone").GetString());
        Assert.Equal("vnet", web.GetProperty("type").GetString());
        Assert.Equal(100, web.GetProperty("tag").GetInt32());
        Assert.Equal("Production web tier", web.GetProperty("alias").GetString());
        Assert.Equal("pve", web.GetProperty("ipam").GetString());
        Assert.True(web.TryGetProperty("mac", out var mac) && mac.ValueKind is JsonValueKind.String or JsonValueKind.Null, $"mac in {web}");
        // A simple zone's VNet has no tag: the key is there, empty.
        Kind(vnets["labnet"], "tag", JsonValueKind.Null);
        Assert.Equal("labzone", vnets["labnet"].GetProperty("zone").GetString());

        var prodOnly = await client.GetFromJsonAsync<JsonElement>("/api/v1/sdn/vnets?zone=prodzone", Ct);
        Assert.Equal(["proddb", "prodweb"], prodOnly.EnumerateArray().Select(v => v.GetProperty("vnet").GetString()));
        using var unknown = await client.GetAsync("/api/v1/sdn/vnets?connection=nope", Ct);
        await ErrorAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
