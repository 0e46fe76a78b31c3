using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Tags;
using Moxxie.Core.Validation;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>Tag operations (issue 6, guide "Tag Management"): bulk add/remove (POST /tags/bulk), rename across every VM
/// (PUT /tags/{name}), delete from every VM (DELETE /tags/{name}). Each answers the guide's bulk shape with one result
/// per VM (previous and current tags, PVE's message when it refused that VM).</summary>
public static class TagOperationEndpoints
{
    public static RouteGroupBuilder MapTagOperationEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tags").WithTags("Tags");
        group.MapPost("/bulk", BulkAsync).WithSummary(
            "Add or remove tags ({action: ADD|REMOVE, tags}) on the VMs chosen by exactly one of ?namePattern= (web-*), ?expression= " +
            "(a tag expression) or the body's vmIds; ?connection= narrows. One result per VM with previousTags and currentTags.");
        group.MapPut("/{name}", RenameAsync).WithSummary("Rename the tag ({newName}) on every VM that has it; one result per VM.");
        group.MapDelete("/{name}", DeleteAsync).WithSummary("Remove the tag from every VM that has it; one result per VM.");
        return api;
    }

    private static async Task<Ok<TagBulkResultDto>> BulkAsync(JsonElement body, string? namePattern, string? expression, string? connection,
        HttpContext http, TagOperationsService tags)
    {
        var errors = new Dictionary<string, string>();
        TagAction? action = null;
        IReadOnlyList<string>? names = null;
        IReadOnlyList<int>? vmIds = null;
        if (JsonBody.Object(body, errors) is { } b)
        {
            var a = b.String("action");
            if (string.Equals(a, "ADD", StringComparison.OrdinalIgnoreCase)) action = TagAction.Add;
            else if (string.Equals(a, "REMOVE", StringComparison.OrdinalIgnoreCase)) action = TagAction.Remove;
            else errors.TryAdd("action", "ADD or REMOVE.");
            names = b.Strings("tags");
            vmIds = b.Ints("vmIds");
            namePattern ??= b.String("namePattern");
            expression ??= b.String("expression");
        }
        if (errors.Count > 0) throw new ValidationException("Tags were not changed: " + string.Join(" ", errors.Values), errors);
        var result = await tags.BulkAsync(ActorFactory.FromHttpContext(http), new TagSelection(vmIds, namePattern, expression, connection),
            action!.Value, names, http.RequestAborted);
        return TypedResults.Ok(TagBulkResultDto.From(result));
    }

    private static async Task<Ok<TagBulkResultDto>> RenameAsync(string name, JsonElement body, HttpContext http, TagOperationsService tags)
    {
        var errors = new Dictionary<string, string>();
        var newName = JsonBody.Object(body, errors)?.String("newName");
        if (errors.Count > 0) throw new ValidationException("The tag was not renamed: " + string.Join(" ", errors.Values), errors);
        return TypedResults.Ok(TagBulkResultDto.From(await tags.RenameAsync(ActorFactory.FromHttpContext(http), name, newName, http.RequestAborted)));
    }

    private static async Task<Ok<TagBulkResultDto>> DeleteAsync(string name, HttpContext http, TagOperationsService tags) =>
        TypedResults.Ok(TagBulkResultDto.From(await tags.DeleteAsync(ActorFactory.FromHttpContext(http), name, http.RequestAborted)));
}

/// <summary>The guide's bulk tag answer: totalVMs, modified (VMs whose tags changed), failed, and one result per VM.</summary>
public sealed record TagBulkResultDto(
    [property: JsonPropertyName("totalVMs")] int TotalVms,
    [property: JsonPropertyName("modified")] int Modified,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("results")] IReadOnlyList<TagVmResultDto> Results)
{
    public static TagBulkResultDto From(TagBulkResult r) =>
        new(r.TotalVms, r.Modified, r.Failed, [.. r.Results.Select(v => new TagVmResultDto(v.VmId, v.Name, v.Name, v.Connection, v.Node,
            v.PreviousTags, v.CurrentTags, v.Success, v.Changed, v.Error))]);
}

/// <summary>One VM of a bulk tag answer (vmName as in the guide, name as an alias); error is PVE's message when it refused.</summary>
public sealed record TagVmResultDto(
    [property: JsonPropertyName("vmId")] int VmId,
    [property: JsonPropertyName("vmName")] string VmName,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("connection")] string? Connection,
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("previousTags")] IReadOnlyList<string> PreviousTags,
    [property: JsonPropertyName("currentTags")] IReadOnlyList<string> CurrentTags,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("changed")] bool Changed,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
