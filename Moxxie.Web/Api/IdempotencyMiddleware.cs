using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Moxxie.Core.Idempotency;

namespace Moxxie.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> for every POST of an endpoint marked with <see cref="Marker"/> (the whole /api/v1 group, so
/// endpoints added to it later are covered without doing anything). Keyed by (user, key); "the same request" is the same
/// method, path with query and raw body (SHA-256). First request: carried out, its answer stored (body protected with
/// Data Protection: it may hold a secret shown once, such as a new API token). Same key and request again: that answer,
/// with <c>Idempotent-Replayed: true</c>, and nothing executed. Same key, other request: 422 IDEMPOTENCY_KEY_REUSED.
/// Same key while the first is still running: 409 IDEMPOTENCY_KEY_IN_USE. Answers worth retrying (5xx, 408, 409, 429, an
/// exception) are not kept, so the client may retry with the same key. Keys live 24 h. A middleware rather than an
/// endpoint filter because it must hash the raw body before model binding reads it and capture the written answer.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string KeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string KeyInUse = "IDEMPOTENCY_KEY_IN_USE";
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Endpoint metadata: POSTs to this endpoint honour Idempotency-Key.</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();
        private Marker() { }
    }

    public async Task InvokeAsync(HttpContext http, IdempotencyService service, IDataProtectionProvider protection)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null
            || !http.Request.Headers.TryGetValue(HeaderName, out var values) || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }

        var key = values.Count == 1 ? values[0] : null;
        if ((values.Count == 1 ? IdempotencyService.KeyError(key) : "Send one key.") is { } keyError)
        {
            await ApiError.WriteAsync(http, 400, ApiError.ValidationError, $"Invalid {HeaderName} header: {keyError}", new Dictionary<string, string> { [HeaderName] = keyError });
            return;
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await TooLargeAsync(http);
            return;
        }

        http.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBodyBytes);
        byte[] body;
        try
        {
            using var copy = new MemoryStream();
            await http.Request.Body.CopyToAsync(copy, http.RequestAborted);
            body = copy.ToArray();
        }
        catch (IOException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await TooLargeAsync(http);
            return;
        }
        http.Request.Body.Position = 0;

        var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.Identity.Name ?? "unknown";
        var pathAndQuery = http.Request.Path.Value + http.Request.QueryString.Value;
        var hash = IdempotencyService.Hash(http.Request.Method, pathAndQuery, body);
        var protector = protection.CreateProtector("Moxxie.Idempotency.ResponseBody.v1");

        switch (await service.BeginAsync(user, key!, http.Request.Method, pathAndQuery, hash, http.RequestAborted))
        {
            case IdempotencyDecision.Mismatch m:
                await ApiError.WriteAsync(http, StatusCodes.Status422UnprocessableEntity, KeyReused,
                    $"This {HeaderName} was already used for a different request ({m.Method} {m.Path}); use a new key for a new request.",
                    new Dictionary<string, string> { [HeaderName] = "Already used with another method, path or body in the last 24 hours." });
                return;
            case IdempotencyDecision.InFlight:
                await ApiError.WriteAsync(http, StatusCodes.Status409Conflict, KeyInUse,
                    $"A request with this {HeaderName} is still being processed; retry once it has been answered.",
                    new Dictionary<string, string> { [HeaderName] = "In flight." });
                return;
            case IdempotencyDecision.Replay r:
                http.Response.StatusCode = r.StatusCode;
                http.Response.Headers[ReplayedHeader] = "true";
                if (r.ContentType is not null) http.Response.ContentType = r.ContentType;
                if (r.Body is { Length: > 0 } stored) await http.Response.WriteAsync(protector.Unprotect(stored), Encoding.UTF8, http.RequestAborted);
                return;
            case IdempotencyDecision.Proceed p:
                await ProceedAsync(http, service, protector, p.RecordId);
                return;
        }
    }

    private async Task ProceedAsync(HttpContext http, IdempotencyService service, IDataProtector protector, long recordId)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            http.Response.Body = original;
            await service.AbandonAsync(recordId);
            throw;
        }
        http.Response.Body = original;

        var status = http.Response.StatusCode;
        if (status >= 500 || status is StatusCodes.Status408RequestTimeout or StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests)
            await service.AbandonAsync(recordId);
        else
        {
            try
            {
                var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                await service.CompleteAsync(recordId, status, http.Response.ContentType, text.Length == 0 ? null : protector.Protect(text));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The request was carried out; its answer goes to the client even if it could not be remembered.
                logger.LogError(ex, "Could not store the answer of idempotent request {Id}", recordId);
                await service.AbandonAsync(recordId);
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static Task TooLargeAsync(HttpContext http) => ApiError.WriteAsync(http, 400, ApiError.ValidationError,
        $"Requests with an {HeaderName} may carry at most {MaxBodyBytes / 1024 / 1024} MiB.",
        new Dictionary<string, string> { [HeaderName] = $"Not supported for bodies over {MaxBodyBytes / 1024 / 1024} MiB." });
}

public static class IdempotencySetup
{
    /// <summary>Endpoints of the group (POSTs) honour Idempotency-Key.</summary>
    public static TBuilder WithIdempotencyKeys<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotencyMiddleware.Marker.Instance);

    /// <summary>After authentication and authorization (keys are per user; refused requests never reach it).</summary>
    public static IApplicationBuilder UseMoxxieIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
