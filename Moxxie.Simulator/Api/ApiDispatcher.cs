using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moxxie.Simulator.Model;
using Moxxie.Simulator.Schema;

namespace Moxxie.Simulator.Api;

/// <summary>
/// Serves /api2/json like pveproxy: authentication first, then the method lookup (501 when unknown), parameter
/// verification against the PVE schema (400 "Parameter verification failed."), node routing (proxyto), the handler;
/// answers in the {"data":…} envelope, errors in the HTTP reason phrase with {"data":null}. With validateResponses
/// every answer is checked against the method's "returns" schema too (500 naming the path and property when not).
/// </summary>
internal sealed class ApiDispatcher(SimulatedCluster cluster, PveAuth auth, IReadOnlyList<ApiRoute> routes, bool delayUnauthorized,
    bool validateResponses = false, PveSchema? schema = null)
{
    private const string Prefix = "/api2/json";
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Compiled once per route: the schema entry of its method and path (null = missing from the committed subset).
    private readonly Dictionary<ApiRoute, MethodSchema?> _schemas =
        routes.ToDictionary<ApiRoute, ApiRoute, MethodSchema?>(r => r, r => (schema ?? PveSchema.Embedded).Find(r.Method, r.Template), ReferenceEqualityComparer.Instance);

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var path = context.Request.Path.Value ?? "/";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || (path.Length > Prefix.Length && path[Prefix.Length] != '/'))
        {
            await WriteAsync(context, 404, "Not Found", new JsonObject { ["data"] = null });
            return;
        }

        var relative = "/" + path[Prefix.Length..].Trim('/');
        var segments = relative.Trim('/').Split('/');
        var method = context.Request.Method.ToUpperInvariant();
        ApiRoute? route = null;
        Dictionary<string, string>? pathParams = null;
        foreach (var r in routes)
        {
            if (r.Method != method) continue;
            pathParams = r.Match(segments);
            if (pathParams is not null) { route = r; break; }
        }

        try
        {
            var identity = route is { RequiresAuth: false } ? AuthIdentity.Anonymous : auth.Authenticate(context.Request);
            if (route is null) throw new PveError(501, $"Method '{method} {relative}' not implemented");

            // A served method without schema is a simulator bug: fail loudly instead of serving it unchecked.
            var methodSchema = _schemas[route]
                ?? throw PveError.Server($"simulator route '{method} /{route.Template.Trim('/')}' has no schema in Schema/pve-api-schema.subset.json - {SchemaSubset.RegenerateHint}");
            var parameters = await ReadParametersAsync(context.Request, ct);
            foreach (var (k, v) in pathParams!) parameters[k] = v;
            var errors = methodSchema.ValidateParameters(parameters);
            if (errors.Any) throw PveError.ParameterVerification(errors.Items);

            ApiResponse response;
            lock (cluster.Gate)
            {
                cluster.Advance();
                if (route.IsNodeScoped) CheckNode(parameters["node"]);
                response = route.Handler(new ApiRequest(method, parameters, identity));
            }
            if (validateResponses) CheckReturns(methodSchema, response);

            var body = new JsonObject { ["data"] = response.Data };
            if (response.Total is { } total) body["total"] = total;
            if (response.Extra is { } extra)
                foreach (var (k, v) in extra) body[k] = v?.DeepClone();
            await WriteAsync(context, 200, null, body);
        }
        catch (PveError e)
        {
            if (e.Status == 401 && delayUnauthorized) await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var body = new JsonObject { ["data"] = null };
            if (e.Errors is { } errors)
            {
                var o = new JsonObject();
                foreach (var (k, v) in errors) o[k] = v;
                body["errors"] = o;
            }
            await WriteAsync(context, e.Status, e.Reason, body);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // PVE turns any other die() into "500 <message>".
            await WriteAsync(context, 500, e.Message, new JsonObject { ["data"] = null });
        }
    }

    /// <summary>
    /// The handler's "data" against the method's returns schema (PVE's own result verification): a mismatch is a
    /// simulator bug and answers 500 naming the method, the property path and PVE::JSONSchema's message.
    /// </summary>
    private static void CheckReturns(MethodSchema schema, ApiResponse response)
    {
        var errors = schema.ValidateReturns(response.Data);
        if (!errors.Any) return;
        var named = errors.Items.ToDictionary(e => e.Key == "_root" ? "data" : e.Key.StartsWith('[') ? "data" + e.Key : "data." + e.Key, e => e.Value);
        var (path, message) = named.OrderBy(e => e.Key, StringComparer.Ordinal).First();
        throw new PveError(500, $"Result verification failed for {schema.Method} {schema.Path}: {path}: {message}", named);
    }

    /// <summary>proxyto => 'node': an unknown node fails the host name lookup, an off-line node is unreachable.</summary>
    private void CheckNode(string node)
    {
        var n = cluster.FindNode(node)
            ?? throw PveError.Server($"hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known");
        if (!n.Online) throw new PveError(595, "No route to host");
    }

    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in request.Query) values[k] = v.ToString();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (k, v) in form) values[k] = v.ToString();
            foreach (var file in form.Files)   // pveproxy spools uploads to a temp file and passes its name
            {
                values[file.Name] = file.FileName;
                values["tmpfilename"] = UploadedFiles.Register(file.Length);
            }
        }
        else if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    values[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!,
                        JsonValueKind.True => "1",
                        JsonValueKind.False => "0",
                        _ => p.Value.GetRawText(),
                    };
                }
            }
        }
        return values;
    }

    private static async Task WriteAsync(HttpContext context, int status, string? reason, JsonObject body)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (reason is not null) context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = ToReasonPhrase(reason);
        var now = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "max-age=0";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = now;
        response.Headers.Server = "pve-api-daemon/3.0";
        response.ContentType = "application/json;charset=UTF-8";
        // Into an array of its own: ToJsonString's pooled writer would leave megabyte buffers in ArrayPool.Shared after
        // each large answer (a 3,400-guest /cluster/resources), which Moxxie's benchmark would count as its own memory.
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
            body.WriteTo(writer, Json);
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>A reason phrase is one line of visible ASCII; PVE chomps its die messages the same way.</summary>
    private static string ToReasonPhrase(string message)
    {
        var sb = new StringBuilder(message.Length);
        foreach (var c in message.Trim())
            sb.Append(c is '\r' or '\n' or '\t' ? ' ' : c is >= ' ' and <= '~' ? c : '?');
        return sb.ToString();
    }
}
