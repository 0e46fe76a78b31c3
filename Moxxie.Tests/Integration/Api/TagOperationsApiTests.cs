using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>Issue 6's tag operations through the real client against the demo simulator: bulk add/remove by name pattern,
/// tag expression (QEMU and LXC) and VMID list with per-VM results (PVE's message for a refused VM), rename and delete
/// across every VM, each change audited and visible in the simulator's guest config; validation and Viewers refused.</summary>
public sealed class TagOperationsApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;
    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get("production-cluster");

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "tagops" + role.ToLowerInvariant(), role);

    private async Task<IReadOnlyList<string>> PveTagsAsync(string node, int vmid, GuestType type = GuestType.Qemu) =>
        (await Gateway.GetGuestConfigDetailAsync(node, vmid, type, false, Ct)).Tags;

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static Dictionary<int, JsonElement> ByVm(JsonElement result) =>
        result.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("vmId").GetInt32());

    private async Task<int> TagCountAsync(HttpClient client, string tag) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/tags", Ct)).EnumerateArray()
            .Where(t => t.GetProperty("name").GetString() == tag).Select(t => t.GetProperty("count").GetInt32()).FirstOrDefault();

    [Fact]
    public async Task Bulk_by_name_pattern_adds_then_removes_tags_in_pve_with_previous_and_current_tags_per_vm()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var before101 = await PveTagsAsync("proxmox-01", 101);

        var added = await op.PostAsJsonAsync("/api/v1/tags/bulk?namePattern=web-*", new { action = "ADD", tags = new[] { "public-facing", "Web-Tier" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var body = await BodyAsync(added);
        Assert.Equal(3, body.GetProperty("totalVMs").GetInt32());
        Assert.Equal(3, body.GetProperty("modified").GetInt32());
        var results = ByVm(body);
        Assert.Equal([101, 103, 104], results.Keys.Order());
        var r101 = results[101];
        Assert.Equal("web-server-01", r101.GetProperty("vmName").GetString());
        Assert.True(r101.GetProperty("success").GetBoolean());
        Assert.Equal(before101.Order(), Strings(r101.GetProperty("previousTags")).Order());
        Assert.Equal(before101.Append("public-facing").Order(), Strings(r101.GetProperty("currentTags")).Order());
        Assert.Contains("public-facing", await PveTagsAsync("proxmox-01", 103));
        Assert.Contains("public-facing", await PveTagsAsync("proxmox-02", 104));
        Assert.Equal(before101.Append("public-facing").Order(), (await PveTagsAsync("proxmox-01", 101)).Order());

        var audit = await App.AuditEntriesAsync(Ct);
        foreach (var vmid in new[] { "101", "103", "104" })
            Assert.Contains(audit, a => a.Operation == "TAG_ADD" && a.Success && a.ResourceType == "VM" && a.ResourceId == vmid && a.DetailsJson!.Contains("public-facing"));

        var removed = await BodyAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk?namePattern=WEB-SERVER-0%3F", new { action = "REMOVE", tags = new[] { "public-facing" } }, Ct));
        Assert.Equal(3, removed.GetProperty("modified").GetInt32());
        Assert.Equal(before101.Order(), (await PveTagsAsync("proxmox-01", 101)).Order());
        Assert.DoesNotContain("public-facing", await PveTagsAsync("proxmox-02", 104));
    }

    [Fact]
    public async Task Bulk_by_expression_reaches_containers_and_vms()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var body = await BodyAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk?expression=" + Uri.EscapeDataString("infra OR (monitoring AND NOT env-dev)"),
            new { action = "ADD", tags = "ops-watch" }, Ct));
        var results = ByVm(body);
        Assert.Equal([113, 200], results.Keys.Order());
        Assert.All(results.Values, r => Assert.Contains("ops-watch", Strings(r.GetProperty("currentTags"))));
        Assert.Contains("ops-watch", await PveTagsAsync("proxmox-01", 200, GuestType.Lxc));
        Assert.Contains("ops-watch", await PveTagsAsync("proxmox-02", 113));
        Assert.DoesNotContain("ops-watch", await PveTagsAsync("proxmox-03", 202, GuestType.Lxc));
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "TAG_ADD" && a.Success && a.ResourceId == "200");
    }

    [Fact]
    public async Task Bulk_by_vm_ids_reports_pves_refusal_and_unknown_vms_per_vm_and_changes_the_rest()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var fault = App.Simulator.Control.AddError("PUT nodes/*/qemu/114/config", 500, "VM is locked (backup)");
        JsonElement body;
        try
        {
            body = await BodyAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk", new { action = "REMOVE", tags = new[] { "app-tier" }, vmIds = new[] { 105, 114, 99999 } }, Ct));
        }
        finally
        {
            App.Simulator.Control.RemoveFault(fault.Id);
        }
        Assert.Equal(3, body.GetProperty("totalVMs").GetInt32());
        Assert.Equal(1, body.GetProperty("modified").GetInt32());
        Assert.Equal(2, body.GetProperty("failed").GetInt32());
        var results = ByVm(body);

        Assert.True(results[105].GetProperty("success").GetBoolean());
        Assert.DoesNotContain("app-tier", Strings(results[105].GetProperty("currentTags")));
        Assert.DoesNotContain("app-tier", await PveTagsAsync("proxmox-02", 105));

        Assert.False(results[114].GetProperty("success").GetBoolean());
        Assert.Contains("VM is locked (backup)", results[114].GetProperty("error").GetString());
        Assert.Contains("app-tier", Strings(results[114].GetProperty("currentTags")));
        Assert.Contains("app-tier", await PveTagsAsync("proxmox-02", 114));

        Assert.False(results[99999].GetProperty("success").GetBoolean());
        Assert.Equal("VM 99999 not found.", results[99999].GetProperty("error").GetString());

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "TAG_REMOVE" && !a.Success && a.ResourceId == "114" && a.Error!.Contains("VM is locked (backup)"));
        Assert.Contains(audit, a => a.Operation == "TAG_REMOVE" && a.Success && a.ResourceId == "105");
    }

    [Fact]
    public async Task Rename_and_delete_reach_every_vm_that_has_the_tag()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var seeded = await BodyAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk", new { action = "ADD", tags = new[] { "rename-me" }, vmIds = new[] { 120, 124 } }, Ct));
        Assert.Equal(2, seeded.GetProperty("modified").GetInt32());
        Assert.Equal(2, await MoxxieAppFactory.EventuallyAsync(() => TagCountAsync(op, "rename-me"), n => n == 2));

        var renamed = await BodyAsync(await op.PutAsJsonAsync("/api/v1/tags/rename-me", new { newName = "Renamed-Tag" }, Ct));
        Assert.Equal(2, renamed.GetProperty("modified").GetInt32());
        Assert.Equal([120, 124], ByVm(renamed).Keys.Order());
        foreach (var (node, vmid) in new[] { ("proxmox-01", 120), ("proxmox-03", 124) })
        {
            var tags = await PveTagsAsync(node, vmid);
            Assert.Contains("renamed-tag", tags);
            Assert.DoesNotContain("rename-me", tags);
        }
        Assert.Equal(2, await MoxxieAppFactory.EventuallyAsync(() => TagCountAsync(op, "renamed-tag"), n => n == 2));

        var deleted = await op.DeleteAsync("/api/v1/tags/renamed-tag", Ct);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(2, (await BodyAsync(deleted)).GetProperty("modified").GetInt32());
        Assert.DoesNotContain("renamed-tag", await PveTagsAsync("proxmox-01", 120));
        Assert.DoesNotContain("renamed-tag", await PveTagsAsync("proxmox-03", 124));

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Equal(2, audit.Count(a => a.Operation == "TAG_RENAME" && a.Success));
        Assert.Equal(2, audit.Count(a => a.Operation == "TAG_DELETE" && a.Success));
    }

    [Fact]
    public async Task Invalid_requests_answer_validation_errors_per_field_and_viewers_are_refused()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        async Task<JsonElement> DetailsAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await BodyAsync(response);
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
            return error.GetProperty("details");
        }

        var badTags = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk?namePattern=web-*", new { action = "ADD", tags = new[] { "ok-tag", "bad tag!", "-lead" } }, Ct));
        Assert.Contains("'bad tag!'", badTags.GetProperty("tags").GetString());
        Assert.Contains("'-lead'", badTags.GetProperty("tags").GetString());

        var noSelection = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk", new { action = "TOGGLE", tags = new[] { "x" } }, Ct));
        Assert.True(noSelection.TryGetProperty("action", out _));
        var none = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk", new { action = "ADD", tags = new[] { "x" } }, Ct));
        Assert.True(none.TryGetProperty("selection", out _));
        var badExpression = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags/bulk?expression=" + Uri.EscapeDataString("env-prod AND"), new { action = "ADD", tags = new[] { "x" } }, Ct));
        Assert.Contains("at 12", badExpression.GetProperty("expression").GetString());
        var badRename = await DetailsAsync(await op.PutAsJsonAsync("/api/v1/tags/env-dev", new { newName = "no spaces" }, Ct));
        Assert.True(badRename.TryGetProperty("newName", out _));

        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var refused = await viewer.PostAsJsonAsync("/api/v1/tags/bulk?namePattern=web-*", new { action = "ADD", tags = new[] { "viewer-was-here" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/tags/env-dev", Ct)).StatusCode);
        Assert.DoesNotContain("viewer-was-here", await PveTagsAsync("proxmox-01", 101));
        Assert.Contains("env-dev", await PveTagsAsync("proxmox-01", 120));
    }
}
