using System.Text.Json.Serialization;

namespace Moxxie.Web.Api;

/// <summary>The API's one error shape (the UI guide's): <c>{error, message, status, timestamp, details}</c>.</summary>
public sealed record ApiError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("details")] object? Details = null)
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string ProxmoxError = "PROXMOX_ERROR";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Writes the error directly (authentication challenges, middleware), outside endpoint results.</summary>
    public static Task WriteAsync(HttpContext context, int status, string error, string message, object? details = null)
    {
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(error, message, status, time.GetUtcNow(), details), context.RequestAborted);
    }

    public static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
