using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Tags.Expressions;

namespace Moxxie.Web.Api;

/// <summary>/api/v1/tags/expressions: the tag-expression language (validate).</summary>
public static class TagExpressionEndpoints
{
    public static RouteGroupBuilder MapTagExpressionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tags/expressions").WithTags("Tags");
        group.MapGet("/validate", Validate).WithSummary(
            "Parses a tag expression (AND, OR, NOT, parentheses, * wildcards; NOT > AND > OR). Valid: {valid:true, normalized, tags}; " +
            "invalid: {valid:false, error:{message, position (0-based), expected}}. Always 200.");
        return api;
    }

    private static Ok<TagExpressionValidationDto> Validate(string? expression)
    {
        if (TagExpression.TryParse(expression ?? "", out var parsed, out var error))
            return TypedResults.Ok(new TagExpressionValidationDto(true, parsed!.ToString(), parsed.Tags(), null));
        return TypedResults.Ok(new TagExpressionValidationDto(false, null, null,
            new TagExpressionErrorDto(error!.Message, error.Position, error.Expected)));
    }
}

/// <summary>GET /api/v1/tags/expressions/validate.</summary>
public sealed record TagExpressionValidationDto(
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("normalized"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Normalized,
    [property: JsonPropertyName("tags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Tags,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TagExpressionErrorDto? Error);

/// <summary>Why a tag expression does not parse: the message, the 0-based position and what was expected there.</summary>
public sealed record TagExpressionErrorDto(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("expected")] string Expected);
