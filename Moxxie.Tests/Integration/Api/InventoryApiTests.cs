using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>Issue 4's inventory endpoints against the UI guide's examples, field by field: paged /vms, /vms/{id},
/// /cluster/resources?type=, /tags, and the CSV export. Real app, real simulator (demo preset), nothing mutated.</summary>
public sealed class InventoryApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ViewerAsync() => AppSession.ApiClientAsync(App, "inv", MoxxieRoles.Viewer);

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

    private static void Kind(JsonElement item, string key, JsonValueKind kind) =>
        Assert.True(item.TryGetProperty(key, out var v) && v.ValueKind == kind, $"{key} should be {kind} in {item}");

    private static void Number(JsonElement item, string key) => Kind(item, key, JsonValueKind.Number);

    [Fact]
    public async Task Paged_vm_list_has_the_guides_list_with_pagination_shape()
    {
        using var client = await ViewerAsync();
        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?status=running&tags=env-prod", Ct);
        var total = all.GetArrayLength();
        Assert.True(total > 2, "the demo cluster runs several env-prod VMs");

        var page1 = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?status=running&tags=env-prod&page=1&limit=2", Ct);
        var data = page1.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        var pagination = page1.GetProperty("pagination");
        Assert.Equal(total, pagination.GetProperty("total").GetInt32());
        Assert.Equal(1, pagination.GetProperty("page").GetInt32());
        Assert.Equal(2, pagination.GetProperty("pageSize").GetInt32());
        Assert.True(pagination.GetProperty("hasNext").GetBoolean());
        Assert.False(pagination.GetProperty("hasPrevious").GetBoolean());
        Assert.Equal(["status:running", "tag:env-prod"], page1.GetProperty("filters").GetProperty("applied").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(101, data[0].GetProperty("vmid").GetInt32());

        // The guide's VM item, field by field (web-server-01).
        var web1 = data[0];
        Assert.Equal("web-server-01", web1.GetProperty("name").GetString());
        Assert.Equal("proxmox-01", web1.GetProperty("node").GetString());
        Assert.Equal("qemu", web1.GetProperty("type").GetString());
        Assert.Equal("running", web1.GetProperty("status").GetString());
        foreach (var key in new[] { "cpu", "cpus", "mem", "maxmem", "disk", "maxdisk", "netin", "netout", "diskread", "diskwrite", "uptime" })
            Number(web1, key);
        Kind(web1, "template", JsonValueKind.False);
        Assert.Equal(["client-acme", "env-prod", "web-tier"], web1.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Kind(web1, "lock", JsonValueKind.Null);
        Assert.True(web1.TryGetProperty("hastate", out _));

        var last = (total + 1) / 2;
        var lastPage = await client.GetFromJsonAsync<JsonElement>($"/api/v1/vms?status=running&tags=env-prod&page={last}&limit=2", Ct);
        Assert.False(lastPage.GetProperty("pagination").GetProperty("hasNext").GetBoolean());
        Assert.True(lastPage.GetProperty("pagination").GetProperty("hasPrevious").GetBoolean());
        Assert.Equal(total - (last - 1) * 2, lastPage.GetProperty("data").GetArrayLength());

        var defaultSize = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?page=1", Ct);
        Assert.Equal(20, defaultSize.GetProperty("pagination").GetProperty("pageSize").GetInt32());
        Assert.Empty(defaultSize.GetProperty("filters").GetProperty("applied").EnumerateArray());

        using var bad = await client.GetAsync("/api/v1/vms?page=0", Ct);
        var error = await ErrorAsync(bad, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(error.GetProperty("details").TryGetProperty("page", out _));
    }

    [Fact]
    public async Task One_vm_by_id_and_unknown_ids_are_404_in_the_error_shape()
    {
        using var client = await ViewerAsync();
        var vm = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms/104", Ct);
        Assert.Equal("web-server-02", vm.GetProperty("name").GetString());
        Assert.Equal("proxmox-02", vm.GetProperty("node").GetString());
        Assert.Contains("always-on", vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        using var unknown = await client.GetAsync("/api/v1/vms/99999", Ct);
        var body = await ErrorAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("99999", body.GetProperty("message").GetString());

        using var unknownConnection = await client.GetAsync("/api/v1/cluster/resources?connection=nope", Ct);
        await ErrorAsync(unknownConnection, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Cluster_resources_of_type_vm_have_the_guides_fields()
    {
        using var client = await ViewerAsync();
        var vms = (await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/resources?type=vm", Ct)).EnumerateArray().ToList();
        Assert.All(vms, r => Assert.Contains(r.GetProperty("type").GetString(), new[] { "qemu", "lxc" }));

        var web1 = Assert.Single(vms, r => r.GetProperty("id").GetString() == "qemu/101");
        Assert.Equal("qemu", web1.GetProperty("type").GetString());
        Assert.Equal("proxmox-01", web1.GetProperty("node").GetString());
        Assert.Equal("running", web1.GetProperty("status").GetString());
        Assert.Equal("web-server-01", web1.GetProperty("name").GetString());
        foreach (var key in new[] { "cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime" }) Number(web1, key);
        Assert.Equal(4, web1.GetProperty("maxcpu").GetInt32());
        Kind(web1, "template", JsonValueKind.False);

        var db1 = Assert.Single(vms, r => r.GetProperty("id").GetString() == "qemu/102");
        Assert.Equal("stopped", db1.GetProperty("status").GetString());
        Assert.Equal("database-01", db1.GetProperty("name").GetString());
        Assert.Equal(0, db1.GetProperty("uptime").GetInt64());
        Assert.Equal(0, db1.GetProperty("mem").GetInt64());
        Assert.Contains(vms, r => r.GetProperty("template").GetBoolean());

        var nodes = (await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/resources?type=node", Ct)).EnumerateArray().ToList();
        Assert.Equal(["node/proxmox-01", "node/proxmox-02", "node/proxmox-03"], nodes.Select(n => n.GetProperty("id").GetString()));
        Assert.All(nodes, n => { Assert.Equal("node", n.GetProperty("type").GetString()); Number(n, "maxmem"); Assert.False(n.TryGetProperty("template", out _)); });

        var storage = (await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/resources?type=storage", Ct)).EnumerateArray().ToList();
        Assert.Contains(storage, s => s.GetProperty("storage").GetString() == "backup-nas" && s.GetProperty("shared").GetBoolean());
        Assert.All(storage, s => Assert.StartsWith("storage/", s.GetProperty("id").GetString()));

        var everything = await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/resources", Ct);
        Assert.Equal(vms.Count + nodes.Count + storage.Count, everything.GetArrayLength());

        using var bad = await client.GetAsync("/api/v1/cluster/resources?type=vmz", Ct);
        var error = await ErrorAsync(bad, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(error.GetProperty("details").TryGetProperty("type", out _));
    }

    [Fact]
    public async Task Tags_have_name_count_category_and_colour_as_in_the_guide()
    {
        using var client = await ViewerAsync();
        var tags = (await client.GetFromJsonAsync<JsonElement>("/api/v1/tags", Ct)).EnumerateArray().ToList();
        JsonElement Tag(string name) => Assert.Single(tags, t => t.GetProperty("name").GetString() == name);

        var prod = Tag("env-prod");
        Assert.Equal("environment", prod.GetProperty("category").GetString());
        Assert.Equal("#d32f2f", prod.GetProperty("color").GetString());
        var tagged = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?tags=env-prod", Ct);
        Assert.Equal(tagged.GetArrayLength(), prod.GetProperty("count").GetInt32());

        Assert.Equal("client", Tag("client-acme").GetProperty("category").GetString());
        Assert.Equal("#1976d2", Tag("client-acme").GetProperty("color").GetString());
        Assert.Equal("criticality", Tag("always-on").GetProperty("category").GetString());
        Assert.Equal("tier", Tag("web-tier").GetProperty("category").GetString());
        var counts = tags.Select(t => t.GetProperty("count").GetInt32()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.All(tags, t => Assert.Equal(["category", "color", "count", "name", "stored"], t.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.False(prod.GetProperty("stored").GetBoolean());
    }

    [Fact]
    public async Task Csv_export_streams_exactly_the_filtered_rows()
    {
        using var client = await ViewerAsync();
        var expected = (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?status=running&tags=env-prod,web-tier", Ct))
            .EnumerateArray().Select(v => v.GetProperty("vmid").GetInt32()).ToList();
        Assert.NotEmpty(expected);

        using var response = await client.GetAsync("/api/v1/vms/export.csv?status=running&tag=env-prod&tag=web-tier", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("vmid,name,node,type,status,cpu_percent", lines[0]);
        Assert.Equal(expected, lines.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
        var web1 = Assert.Single(lines, l => l.StartsWith("101,", StringComparison.Ordinal));
        Assert.Contains(",web-server-01,proxmox-01,qemu,running,", web1);

        using var anonymous = App.CreateApiClient();
        using var denied = await anonymous.GetAsync("/api/v1/vms/export.csv", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

        using var bad = await client.GetAsync("/api/v1/vms/export.csv?status=sleeping", Ct);
        await ErrorAsync(bad, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
