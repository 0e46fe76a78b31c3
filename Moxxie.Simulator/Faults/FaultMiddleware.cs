using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Moxxie.Simulator.Faults;

/// <summary>
/// Runs before the API dispatcher: serves /_sim/… (runtime control) and applies the active faults to /api2/json calls
/// (API down, latency, hanging calls, PVE errors) before they reach the real handlers.
/// </summary>
internal sealed class FaultMiddleware(FaultSet faults, SimAdminEndpoints admin)
{
    private const string ApiPrefix = "/api2/json";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path == SimAdminEndpoints.Prefix || path.StartsWith(SimAdminEndpoints.Prefix + "/", StringComparison.Ordinal))
        {
            await admin.HandleAsync(context);
            return;
        }
        if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var segments = path[ApiPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var decision = faults.Decide(context.Request.Method.ToUpperInvariant(), segments);
        var ct = context.RequestAborted;
        try
        {
            switch (decision.ApiDown)
            {
                case ApiDownMode.Abort:
                    context.Abort();
                    return;
                case ApiDownMode.Unavailable:
                    await WriteErrorAsync(context, 503, PveErrorMessages.For(503));
                    return;
            }
            if (decision.Delay > TimeSpan.Zero) await Task.Delay(decision.Delay, ct);
            if (decision.Hang)
            {
                // Hang until the client gives up, or until the fault is removed (then answer normally).
                using var counted = faults.Hanging();
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, faults.ReleaseToken);
                await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (ct.IsCancellationRequested) return;
            }
            if (decision.ErrorStatus != 0)
            {
                await WriteErrorAsync(context, decision.ErrorStatus, decision.ErrorMessage!);
                return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;   // the client gave up
        }
        if (decision.DelayAfter <= TimeSpan.Zero)
        {
            await next(context);
            return;
        }
        // Response latency: the call is carried out now, its answer is held back (lost if the client goes away meanwhile).
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        try
        {
            await Task.Delay(decision.DelayAfter, ct);
            buffer.Position = 0;
            await buffer.CopyToAsync(original, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>An error as pveproxy sends it: status line with the reason, body {"data":null}.</summary>
    private static async Task WriteErrorAsync(HttpContext context, int status, string reason)
    {
        var response = context.Response;
        response.StatusCode = status;
        context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase =
            new string(reason.Trim().Select(c => c is >= ' ' and <= '~' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?').ToArray());
        var now = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "max-age=0";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = now;
        response.Headers.Server = "pve-api-daemon/3.0";
        response.ContentType = "application/json;charset=UTF-8";
        var bytes = Encoding.UTF8.GetBytes("{\"data\":null}");
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
