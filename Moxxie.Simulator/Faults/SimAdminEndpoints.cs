using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Moxxie.Simulator.Faults;

/// <summary>
/// The simulator's control endpoint, outside /api2: /_sim/faults, /_sim/nodes/{node}/offline|online, /_sim/nodes/{node}/storage/{storage}/usage,
/// /_sim/guests/{vmid}/fail-next-task, /_sim/api/down|up,
/// /_sim/clock[/advance], /_sim/reset, /_sim/requests[?pattern=] (counts, distinct paths, repeats), /_sim/tasks (fixed task duration). Protected by the simulator's API token: "Authorization: PVEAPIToken=ID=SECRET"
/// (as for /api2) or "Authorization: Bearer SECRET". Plain JSON in and out (no PVE envelope).
/// </summary>
internal sealed class SimAdminEndpoints(SimulatorControl control, string tokenId, string tokenSecret)
{
    public const string Prefix = "/_sim";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context)
    {
        if (!Authorized(context.Request.Headers.Authorization.ToString()))
        {
            await WriteAsync(context, 401, new JsonObject { ["error"] = "authentication failure: send 'Authorization: PVEAPIToken=ID=SECRET' or 'Bearer SECRET'" });
            return;
        }
        var method = context.Request.Method.ToUpperInvariant();
        var segments = context.Request.Path.Value![Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var result = (method, segments) switch
            {
                ("GET", []) or ("GET", ["faults"]) => Status(),
                ("POST", ["faults"]) => Describe(AddFault(body)),
                ("DELETE", ["faults"]) => ClearRules(),
                ("DELETE", ["faults", var id]) => control.RemoveFault(id) ? Status() : throw new KeyNotFoundException($"no fault '{id}'"),
                ("POST", ["nodes", var node, "offline"]) => SetNode(node, false),
                ("POST", ["nodes", var node, "online"]) => SetNode(node, true),
                ("POST", ["nodes", var node, "storage", var storage, "usage"]) => StorageUsage(node, storage, body),
                ("POST", ["guests", var vmid, "fail-next-task"]) => FailNextTask(vmid, body),
                ("POST", ["api", "down"]) => ApiDown(body),
                ("POST", ["api", "up"]) => ApiUp(),
                ("GET", ["clock"]) => Clock(),
                ("POST", ["clock", "advance"]) => Advance(body),
                ("POST", ["reset"]) => Reset(),
                ("GET", ["requests"]) => Requests(context.Request.Query["pattern"].ToString()),
                ("GET", ["tasks"]) => Tasks(),
                ("POST", ["tasks"]) => SetTasks(body),
                _ => throw new KeyNotFoundException($"no control endpoint '{method} {context.Request.Path}'"),
            };
            await WriteAsync(context, 200, result);
        }
        catch (KeyNotFoundException e)
        {
            await WriteAsync(context, 404, new JsonObject { ["error"] = e.Message });
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            await WriteAsync(context, 400, new JsonObject { ["error"] = e.Message });
        }
    }

    private SimulatedFault AddFault(JsonObject body)
    {
        var pattern = Str(body, "pattern") ?? throw new ArgumentException("'pattern' is required, e.g. \"GET nodes/*/qemu\"");
        var kind = Str(body, "kind")?.ToLowerInvariant()
                   ?? (body.ContainsKey("latencyMs") ? "latency" : body.ContainsKey("status") ? "error" : Bool(body, "timeout") ? "timeout" : null)
                   ?? throw new ArgumentException("say which fault: 'kind' (latency, error, timeout), or give latencyMs / status / timeout:true");
        var count = Int(body, "count");
        var rate = Double(body, "rate") ?? 1.0;
        return kind switch
        {
            "latency" => Str(body, "phase")?.ToLowerInvariant() switch
            {
                null or "request" => control.AddLatency(pattern, Int(body, "latencyMs") ?? 0, Int(body, "jitterMs") ?? 0, count),
                "response" => control.AddResponseLatency(pattern, Int(body, "latencyMs") ?? 0, Int(body, "jitterMs") ?? 0, count),
                var ph => throw new ArgumentException($"unknown latency phase '{ph}' (request, response)"),
            },
            "error" => control.AddError(pattern, Int(body, "status") ?? 500, Str(body, "message"), rate, count),
            "timeout" => control.AddTimeout(pattern, rate, count),
            _ => throw new ArgumentException($"unknown fault kind '{kind}' (latency, error, timeout)"),
        };
    }

    private JsonObject ClearRules()
    {
        foreach (var f in control.Status.Faults) control.RemoveFault(f.Id);
        return Status();
    }

    private JsonObject SetNode(string node, bool online)
    {
        control.SetNodeOnline(node, online);
        return Status();
    }

    /// <summary>POST /_sim/nodes/{node}/storage/{storage}/usage {"used":bytes} or {"fraction":0.85} fixes what the storage reports
    /// as used (PVE's status/resources alike); {"used":null} returns it to the content-driven figure.</summary>
    private JsonObject StorageUsage(string node, string storage, JsonObject body)
    {
        var (used, total) = body.ContainsKey("fraction")
            ? control.SetStorageUsedFraction(node, storage, Double(body, "fraction") ?? throw new ArgumentException("'fraction' must be a number between 0 and 1"))
            : body.ContainsKey("used")
                ? control.SetStorageUsed(node, storage, Long(body, "used"))
                : throw new ArgumentException("give 'used' (bytes, or null for the content-driven figure) or 'fraction' (0…1)");
        return new JsonObject
        {
            ["node"] = node, ["storage"] = storage, ["used"] = used, ["total"] = total,
            ["fraction"] = total == 0 ? 0 : Math.Round((double)used / total, 6),
        };
    }

    /// <summary>POST /_sim/guests/{vmid}/fail-next-task {"message":"…"}: the guest's next task ends with "TASK ERROR: message";
    /// in a vzdump job its backup fails half-way ("ERROR: Backup of VM n failed - message") and the job ends with "job errors".</summary>
    private JsonObject FailNextTask(string vmid, JsonObject body)
    {
        var id = int.TryParse(vmid, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"'{vmid}' is not a VMID");
        var message = Str(body, "message") ?? "simulated failure";
        control.FailNextTask(id, message);
        return new JsonObject { ["vmid"] = id, ["failNextTask"] = message };
    }

    private JsonObject ApiDown(JsonObject body)
    {
        var mode = Str(body, "mode")?.ToLowerInvariant() switch
        {
            null or "abort" => ApiDownMode.Abort,
            "503" or "unavailable" => ApiDownMode.Unavailable,
            var m => throw new ArgumentException($"unknown mode '{m}' (abort, 503)"),
        };
        control.SetApiDown(mode);
        return Status();
    }

    private JsonObject ApiUp()
    {
        control.SetApiDown(null);
        return Status();
    }

    private JsonObject Advance(JsonObject body)
    {
        var seconds = Double(body, "seconds") ?? throw new ArgumentException("'seconds' is required, e.g. {\"seconds\":600}");
        control.AdvanceClock(TimeSpan.FromSeconds(seconds));
        return Clock();
    }

    private JsonObject Reset()
    {
        control.Reset();
        return Status();
    }

    /// <summary>GET /_sim/requests?pattern=POST nodes/*/qemu/*/status/stop: calls received in total and matching the pattern,
    /// the distinct paths among them and how many calls repeated a path already called ("repeated": duplicate POSTs).</summary>
    private JsonObject Requests(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
            return new JsonObject { ["requests"] = control.ApiRequests, ["pattern"] = null, ["matching"] = null, ["paths"] = null, ["repeated"] = null };
        var (paths, repeated) = control.ApiRequestRepeats(pattern);
        return new JsonObject
        {
            ["requests"] = control.ApiRequests, ["pattern"] = pattern, ["matching"] = control.ApiRequestsMatching(pattern),
            ["paths"] = paths, ["repeated"] = repeated,
        };
    }

    private JsonObject Tasks() => new() { ["durationSeconds"] = control.TaskSeconds };

    /// <summary>POST /_sim/tasks {"durationSeconds":1.5} fixes the duration of new guest tasks; null restores the random spans.</summary>
    private JsonObject SetTasks(JsonObject body)
    {
        if (!body.ContainsKey("durationSeconds")) throw new ArgumentException("'durationSeconds' is required (seconds, or null for the usual spans)");
        control.TaskSeconds = Double(body, "durationSeconds");
        return Tasks();
    }

    private JsonObject Clock()
    {
        var s = control.Status;
        return new JsonObject
        {
            ["now"] = s.Now.ToString("O", CultureInfo.InvariantCulture), ["epoch"] = s.Now.ToUnixTimeSeconds(),
            ["offsetSeconds"] = s.ClockOffset.TotalSeconds,
        };
    }

    private JsonObject Status()
    {
        var s = control.Status;
        var faults = new JsonArray();
        foreach (var f in s.Faults) faults.Add(Describe(f));
        var offline = new JsonArray();
        foreach (var n in s.OfflineNodes) offline.Add(n);
        return new JsonObject
        {
            ["faults"] = faults, ["offlineNodes"] = offline,
            ["apiDown"] = s.ApiDown switch { ApiDownMode.Abort => "abort", ApiDownMode.Unavailable => "503", _ => null },
            ["hangingCalls"] = s.HangingCalls, ["requests"] = control.ApiRequests, ["clock"] = Clock(),
        };
    }

    private static JsonObject Describe(SimulatedFault f)
    {
        var o = new JsonObject { ["id"] = f.Id, ["kind"] = f.Kind.ToString().ToLowerInvariant(), ["pattern"] = f.Pattern };
        switch (f.Kind)
        {
            case FaultKind.Latency:
                o["latencyMs"] = f.LatencyMs;
                o["jitterMs"] = f.JitterMs;
                o["phase"] = f.OnResponse ? "response" : "request";
                break;
            case FaultKind.Error:
                o["status"] = f.Status;
                o["message"] = f.Message;
                o["rate"] = f.Rate;
                break;
            case FaultKind.Timeout:
                o["rate"] = f.Rate;
                break;
        }
        if (f.Count is { } count) o["count"] = count;
        return o;
    }

    /// <summary>PVEAPIToken=ID=SECRET (or "PVEAPIToken ID=SECRET") with the simulator's token, or Bearer SECRET.</summary>
    private bool Authorized(string header)
    {
        header = header.Trim();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return FixedEquals(header[7..].Trim(), tokenSecret);
        if (!header.StartsWith("PVEAPIToken", StringComparison.Ordinal) || header.Length < 13 || header[11] is not ('=' or ' '))
            return false;
        var value = Uri.UnescapeDataString(header[12..].Split(';')[0].Trim());
        var eq = value.LastIndexOf('=');
        return eq > 0 && FixedEquals(value[..eq], tokenId) & FixedEquals(value[(eq + 1)..], tokenSecret);
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return [];
        return JsonNode.Parse(text) as JsonObject ?? throw new ArgumentException("the body must be a JSON object");
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v ? v.ToString() : null;

    private static int? Int(JsonObject o, string name) =>
        Double(o, name) is { } d ? d == Math.Floor(d) ? (int)d : throw new ArgumentException($"'{name}' must be an integer") : null;

    private static long? Long(JsonObject o, string name) =>
        Double(o, name) is { } d ? d == Math.Floor(d) ? (long)d : throw new ArgumentException($"'{name}' must be an integer") : null;

    private static double? Double(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when double.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new ArgumentException($"'{name}' must be a number"),
    };

    private static bool Bool(JsonObject o, string name) => o[name] is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.ToString() == "1");

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(Json) + "\n", context.RequestAborted);
    }
}
