using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>Issue 6's catalogue: GET /api/v1/tags answers the stored category and colour (the prefix suggestion when none
/// is stored), POST /tags creates an entry (listed with count 0 until a VM has it), PATCH /tags/{name} edits it, a rename
/// across the VMs carries the entry along; audited, validated per field, Viewers refused.</summary>
public sealed class TagCatalogApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "tagcat" + role.ToLowerInvariant(), role);

    private static async Task<JsonElement?> TagAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/tags", Ct)).EnumerateArray()
            .Where(t => t.GetProperty("name").GetString() == name).Select(t => (JsonElement?)t).FirstOrDefault();

    private static async Task<JsonElement> DetailsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        return error.GetProperty("details");
    }

    [Fact]
    public async Task Stored_category_and_colour_replace_the_prefix_suggestion_and_follow_a_rename()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var suggested = (await TagAsync(op, "client-globex"))!.Value;
        Assert.Equal("client", suggested.GetProperty("category").GetString());
        Assert.Equal("#1976d2", suggested.GetProperty("color").GetString());
        Assert.False(suggested.GetProperty("stored").GetBoolean());
        var count = suggested.GetProperty("count").GetInt32();

        var edited = await op.PatchAsJsonAsync("/api/v1/tags/client-globex", new { category = "Customer", color = "#AA00BB" }, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var stored = (await TagAsync(op, "client-globex"))!.Value;
        Assert.Equal("customer", stored.GetProperty("category").GetString());
        Assert.Equal("#aa00bb", stored.GetProperty("color").GetString());
        Assert.Equal(count, stored.GetProperty("count").GetInt32());
        Assert.True(stored.GetProperty("stored").GetBoolean());

        var created = await op.PostAsJsonAsync("/api/v1/tags", new { name = "Cost-Center-42", category = "finance", color = "#123456" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listed = (await TagAsync(op, "cost-center-42"))!.Value;
        Assert.Equal(0, listed.GetProperty("count").GetInt32());
        Assert.Equal("finance", listed.GetProperty("category").GetString());

        var added = await (await op.PostAsJsonAsync("/api/v1/tags/bulk", new { action = "ADD", tags = new[] { "cost-center-42" }, vmIds = new[] { 122 } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, added.GetProperty("modified").GetInt32());
        await MoxxieAppFactory.EventuallyAsync(() => TagAsync(op, "cost-center-42"), t => t?.GetProperty("count").GetInt32() == 1);

        var renamed = await op.PutAsJsonAsync("/api/v1/tags/cost-center-42", new { newName = "cc-42" }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var moved = await MoxxieAppFactory.EventuallyAsync(() => TagAsync(op, "cc-42"), t => t?.GetProperty("count").GetInt32() == 1);
        Assert.Equal("finance", moved!.Value.GetProperty("category").GetString());
        Assert.Equal("#123456", moved.Value.GetProperty("color").GetString());
        Assert.Null(await MoxxieAppFactory.EventuallyAsync(() => TagAsync(op, "cost-center-42"), t => t is null));

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "TAG_UPDATE" && a.Success && a.ResourceId == "client-globex" && a.DetailsJson!.Contains("#aa00bb"));
        Assert.Contains(audit, a => a.Operation == "TAG_CREATE" && a.Success && a.ResourceId == "cost-center-42");
    }

    [Fact]
    public async Task Description_is_stored_listed_and_cleared_and_chip_colours_follow_the_catalogue()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var palette = App.Services.GetRequiredService<TagPalette>();
        var created = await op.PostAsJsonAsync("/api/v1/tags", new { name = "owner-team-red", color = "#ab0000", description = "  Team red's machines " }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Team red's machines", (await TagAsync(op, "owner-team-red"))!.Value.GetProperty("description").GetString());
        Assert.Equal("#ab0000", palette.ColorOf("Owner-Team-Red"));

        Assert.Equal(HttpStatusCode.OK, (await op.PatchAsJsonAsync("/api/v1/tags/owner-team-red", new { color = "#00ab00" }, Ct)).StatusCode);
        var kept = (await TagAsync(op, "owner-team-red"))!.Value;
        Assert.Equal("Team red's machines", kept.GetProperty("description").GetString());
        Assert.Equal("#00ab00", palette.ColorOf("owner-team-red"));

        Assert.Equal(HttpStatusCode.OK, (await op.PatchAsJsonAsync("/api/v1/tags/owner-team-red", new { description = "" }, Ct)).StatusCode);
        Assert.False((await TagAsync(op, "owner-team-red"))!.Value.TryGetProperty("description", out _));

        var tooLong = await DetailsAsync(await op.PatchAsJsonAsync("/api/v1/tags/owner-team-red", new { description = new string('x', 501) }, Ct));
        Assert.True(tooLong.TryGetProperty("description", out _));
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "TAG_UPDATE" && a.ResourceId == "owner-team-red" && a.DetailsJson!.Contains("Team red"));
    }

    [Fact]
    public async Task Details_list_the_tags_vms_their_spread_and_the_tags_found_with_it()
    {
        await ClientAsync(MoxxieRoles.Operator);
        await using var scope = App.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<TagCatalogService>();

        var details = (await catalog.DetailsAsync("ENV-PROD", Ct))!;
        Assert.Equal("env-prod", details.Tag.Name);
        Assert.NotEmpty(details.Vms);
        Assert.All(details.Vms, v => Assert.Contains("env-prod", v.Guest.Tags, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(details.Vms.Count, details.Tag.Count);
        Assert.Equal(details.Vms.Count, details.ByStatus.Sum(c => c.Count));
        Assert.Equal(details.Vms.Count, details.ByNode.Sum(c => c.Count));
        var expected = details.Vms.SelectMany(v => v.Guest.Tags.Distinct()).Where(t => t != "env-prod")
            .GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        Assert.NotEmpty(details.Related);
        Assert.All(details.Related, r => Assert.Equal(expected[r.Name], r.Together));
        Assert.Equal(expected.Values.Max(), details.Related[0].Together);
        Assert.True(details.Related.Count <= TagCatalogService.MaxRelated);

        Assert.Null(await catalog.DetailsAsync("no-such-tag-anywhere", Ct));
    }

    [Fact]
    public async Task Get_tag_answers_its_vms_spread_and_related_tags_for_viewers_too_and_404_for_an_unknown_tag()
    {
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var tag = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/tags/env-prod", Ct);
        var vms = tag.GetProperty("vms").EnumerateArray().ToList();
        Assert.Equal("env-prod", tag.GetProperty("name").GetString());
        Assert.Equal(vms.Count, tag.GetProperty("count").GetInt32());
        Assert.NotEmpty(vms);
        Assert.All(vms, v => Assert.Contains("env-prod", v.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
        Assert.Equal(vms.Count, tag.GetProperty("byStatus").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(vms.Count(v => v.GetProperty("node").GetString() == "proxmox-01"), tag.GetProperty("byNode").GetProperty("proxmox-01").GetInt32());
        var related = tag.GetProperty("related").EnumerateArray().First();
        Assert.Equal(vms.Count(v => v.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == related.GetProperty("name").GetString())),
            related.GetProperty("together").GetInt32());

        var missing = await viewer.GetAsync("/api/v1/tags/no-such-tag-here", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NOT_FOUND", (await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Invalid_entries_answer_per_field_errors_and_viewers_are_refused()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var bad = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags", new { name = "no spaces", category = "Bad/Category", color = "red" }, Ct));
        Assert.Equal(["category", "color", "name"], bad.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/api/v1/tags", new { name = "twice" }, Ct)).StatusCode);
        var suggested = (await TagAsync(op, "twice"))!.Value;
        Assert.Equal("other", suggested.GetProperty("category").GetString());
        var again = await DetailsAsync(await op.PostAsJsonAsync("/api/v1/tags", new { name = "TWICE" }, Ct));
        Assert.Contains("already in the catalogue", again.GetProperty("name").GetString());

        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/tags", new { name = "viewer-tag" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync("/api/v1/tags/env-prod", new { color = "#000000" }, Ct)).StatusCode);
        Assert.Equal("#d32f2f", (await TagAsync(viewer, "env-prod"))!.Value.GetProperty("color").GetString());
        Assert.Null(await TagAsync(viewer, "viewer-tag"));
    }
}
