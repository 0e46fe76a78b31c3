using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Tags;
using Moxxie.Core.Validation;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>/api/v1/tags: the tags in use merged with Moxxie's catalogue (category, colour), creating and editing entries.</summary>
public static class TagEndpoints
{
    public static RouteGroupBuilder MapTagEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tags").WithTags("Tags");
        group.MapGet("/", ListAsync).WithSummary("Tags in use (and catalogued ones with count 0) with their guest count, category and colour " +
            "(stored in the catalogue, else suggested from the prefix; stored says which), most used first.");
        group.MapGet("/{name}", DetailsAsync).WithSummary("One tag: count, category, colour, description, the guests carrying it, their counts per " +
            "status and per node, and the tags most often found on the same guests (404 NOT_FOUND when no guest has it and the catalogue does not know it).");
        group.MapPost("/", CreateAsync).WithSummary("Add a tag to the catalogue: {name, category?, color? (#rrggbb), description?}; category and colour default to the prefix suggestion.");
        group.MapPatch("/{name}", UpdateAsync).WithSummary("Set a tag's category, colour and/or description in the catalogue: {category?, color?, description? (\"\" clears it)}.");
        return api;
    }

    private static TagDto Dto(TagCatalogView t) => new(t.Name, t.Count, t.Category, t.Color) { Stored = t.Stored, Description = t.Description };

    private static async Task<Ok<List<TagDto>>> ListAsync(TagCatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).Select(Dto).ToList());

    private static async Task<Ok<TagDetailsDto>> DetailsAsync(string name, TagCatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok(TagDetailsDto.From(await catalog.DetailsAsync(name, ct) ?? throw new KeyNotFoundException($"Tag '{name}' not found.")));

    private static async Task<Created<TagDto>> CreateAsync(JsonElement body, HttpContext http, TagCatalogService catalog)
    {
        var errors = new Dictionary<string, string>();
        var b = JsonBody.Object(body, errors);
        var (name, category, color, description) = (b?.String("name"), b?.String("category"), b?.String("color"), b?.String("description"));
        if (errors.Count > 0) throw new ValidationException("The tag was not created: " + string.Join(" ", errors.Values), errors);
        var view = await catalog.CreateAsync(ActorFactory.FromHttpContext(http), name, category, color, description, http.RequestAborted);
        return TypedResults.Created($"/api/v1/tags/{Uri.EscapeDataString(view.Name)}", Dto(view));
    }

    private static async Task<Ok<TagDto>> UpdateAsync(string name, JsonElement body, HttpContext http, TagCatalogService catalog)
    {
        var errors = new Dictionary<string, string>();
        var b = JsonBody.Object(body, errors);
        var (category, color, description) = (b?.String("category"), b?.String("color"), b?.String("description"));
        if (errors.Count > 0) throw new ValidationException("The tag was not changed: " + string.Join(" ", errors.Values), errors);
        return TypedResults.Ok(Dto(await catalog.UpdateAsync(ActorFactory.FromHttpContext(http), name, category, color, description, http.RequestAborted)));
    }
}
