using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>Issue 6's API: validating a tag expression and filtering GET /vms by one, against the demo simulator's tags.</summary>
public sealed class TagExpressionApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ViewerAsync() => AppSession.ApiClientAsync(App, "texpr", MoxxieRoles.Viewer);

    private static string[] TagsOf(JsonElement vm) => [.. vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];

    [Fact]
    public async Task Validate_answers_the_normalized_text_and_tags_or_the_error_with_its_position()
    {
        using var client = await ViewerAsync();

        var ok = await client.GetFromJsonAsync<JsonElement>(
            "/api/v1/tags/expressions/validate?expression=" + Uri.EscapeDataString("(ENV-prod or env-staging) and ((client-*)) AND not always-on"), Ct);
        Assert.True(ok.GetProperty("valid").GetBoolean());
        Assert.Equal("(env-prod OR env-staging) AND client-* AND NOT always-on", ok.GetProperty("normalized").GetString());
        Assert.Equal(["env-prod", "env-staging", "client-*", "always-on"], ok.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(ok.TryGetProperty("error", out _));

        var bad = await client.GetFromJsonAsync<JsonElement>("/api/v1/tags/expressions/validate?expression=" + Uri.EscapeDataString("env-prod AND ()"), Ct);
        Assert.False(bad.GetProperty("valid").GetBoolean());
        var error = bad.GetProperty("error");
        Assert.Equal("unexpected ')' at 14, expected a tag, NOT or '('", error.GetProperty("message").GetString());
        Assert.Equal(14, error.GetProperty("position").GetInt32());
        Assert.Equal("a tag, NOT or '('", error.GetProperty("expected").GetString());
        Assert.False(bad.TryGetProperty("normalized", out _));

        var empty = await client.GetFromJsonAsync<JsonElement>("/api/v1/tags/expressions/validate", Ct);
        Assert.False(empty.GetProperty("valid").GetBoolean());
        Assert.Equal(0, empty.GetProperty("error").GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Vm_list_filtered_by_an_expression_is_exactly_the_matching_guests()
    {
        using var client = await ViewerAsync();
        var all = (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms", Ct)).EnumerateArray().ToList();

        async Task<int[]> FilteredAsync(string expression) =>
            [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?tagExpression=" + Uri.EscapeDataString(expression), Ct))
                .EnumerateArray().Select(v => v.GetProperty("vmid").GetInt32())];

        int[] Expected(Func<string[], bool> rule) => [.. all.Where(v => rule(TagsOf(v))).Select(v => v.GetProperty("vmid").GetInt32())];

        var prodNotAlwaysOn = Expected(t => t.Contains("env-prod") && !t.Contains("always-on"));
        Assert.NotEmpty(prodNotAlwaysOn);
        Assert.True(prodNotAlwaysOn.Length < Expected(t => t.Contains("env-prod")).Length, "the demo cluster has always-on production VMs");
        Assert.Equal(prodNotAlwaysOn, await FilteredAsync("env-prod AND NOT always-on"));

        var clients = Expected(t => (t.Contains("env-prod") || t.Contains("env-staging")) && t.Any(x => x.StartsWith("client-", StringComparison.Ordinal)));
        Assert.NotEmpty(clients);
        Assert.Equal(clients, await FilteredAsync("(env-prod OR env-staging) AND client-*"));

        var paged = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?status=running&tagExpression=" + Uri.EscapeDataString("env-prod and not always-on") + "&page=1&limit=100", Ct);
        Assert.Equal(["status:running", "tagExpression:env-prod AND NOT always-on"],
            paged.GetProperty("filters").GetProperty("applied").EnumerateArray().Select(a => a.GetString()));
        Assert.All(paged.GetProperty("data").EnumerateArray(), v => Assert.Contains("env-prod", TagsOf(v)));
    }

    [Fact]
    public async Task Vm_list_with_a_bad_expression_is_a_validation_error_naming_the_position()
    {
        using var client = await ViewerAsync();

        var response = await client.GetAsync("/api/v1/vms?tagExpression=" + Uri.EscapeDataString("env-prod AND ()"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("error").GetString());
        Assert.Equal("unexpected ')' at 14, expected a tag, NOT or '('", body.GetProperty("details").GetProperty("tagExpression").GetString());
    }

    [Fact]
    public async Task Csv_export_follows_the_pages_expr()
    {
        using var client = await ViewerAsync();
        var expected = (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?tagExpression=" + Uri.EscapeDataString("env-prod AND NOT always-on"), Ct))
            .GetArrayLength();

        var csv = await client.GetStringAsync("/api/v1/vms/export.csv?expr=" + Uri.EscapeDataString("env-prod AND NOT always-on"), Ct);

        Assert.Equal(expected + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
