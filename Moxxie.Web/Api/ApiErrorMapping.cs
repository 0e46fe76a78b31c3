using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Api;

/// <summary>The one place where failures become the API's error responses.</summary>
public static class ApiErrorMapping
{
    public static JsonHttpResult<ApiError> Error(TimeProvider time, int status, string code, string message, object? details = null) =>
        TypedResults.Json(new ApiError(code, message, status, time.GetUtcNow(), details), statusCode: status);

    public static JsonHttpResult<ApiError>? FromException(Exception exception, TimeProvider time) => exception switch
    {
        ValidationException v => Error(time, StatusCodes.Status400BadRequest, ApiError.ValidationError, v.Message, v.Errors),
        ForbiddenException f => Error(time, StatusCodes.Status403Forbidden, ApiError.Forbidden, f.Message),
        ProxmoxException p => Error(time, StatusCodes.Status502BadGateway, ApiError.ProxmoxError, p.Message,
            new { connection = p.Connection, proxmoxStatus = p.StatusCode, parameters = p.ParameterErrors }),
        Moxxie.Core.Backups.BackupProtectedException b => Error(time, StatusCodes.Status409Conflict, ApiError.Conflict, b.Message),
        Moxxie.Core.Scheduling.SchedulerConflictException c => Error(time, StatusCodes.Status409Conflict, ApiError.Conflict, c.Message),
        KeyNotFoundException k => Error(time, StatusCodes.Status404NotFound, ApiError.NotFound, k.Message),
        BadHttpRequestException b => Error(time, b.StatusCode, b.StatusCode == 400 ? ApiError.ValidationError : ApiError.InternalError, b.Message),
        _ => null,
    };

    public static JsonHttpResult<ApiError> FromPowerFailure(PowerResult result, TimeProvider time) => result.Failure switch
    {
        PowerFailure.NotFound => Error(time, StatusCodes.Status404NotFound, ApiError.NotFound, result.Message),
        PowerFailure.Refused => Error(time, StatusCodes.Status409Conflict, ApiError.Conflict, result.Message,
            new { connection = result.Connection, node = result.Node }),
        _ => Error(time, StatusCodes.Status502BadGateway, ApiError.ProxmoxError, result.Message,
            new { connection = result.Connection, node = result.Node, proxmoxStatus = result.ProxmoxStatus }),
    };

    /// <summary>Endpoint filter on the /api/v1 group: known exceptions → error shape; the rest stays a 500 (logged).</summary>
    public sealed class Filter(TimeProvider time) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            try
            {
                return await next(context);
            }
            catch (Exception ex) when (FromException(ex, time) is { } mapped)
            {
                return mapped;
            }
        }
    }
}
