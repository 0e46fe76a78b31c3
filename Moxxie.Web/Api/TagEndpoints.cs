using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Tags;

namespace Moxxie.Web.Api;

public static class TagEndpoints
{
    public static RouteGroupBuilder MapTagEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/tags").WithTags("Tags")
            .MapGet("/", List).WithSummary("Tags in use with their guest count, category and colour, most used first.");
        return api;
    }

    private static Ok<List<TagDto>> List(TagService tags) =>
        TypedResults.Ok(tags.Summary().Select(t => new TagDto(t.Name, t.Count, t.CategoryName, t.Color)).ToList());
}
