using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Calls every method of Moxxie's PVE gateway (found by reflection, every value of every enum parameter) against a handler
/// that records each request and answers <c>{"data":{}}</c>, so the suite knows which API methods the client really sends —
/// independent of which integration tests happen to run. A call outside <see cref="PveRoutes"/> is refused by the client
/// before it is sent and shows up here as a failure.
/// </summary>
internal static class ClientRouteSweep
{
    public sealed record Result(IReadOnlyDictionary<PveRoute, IReadOnlyList<string>> UsedBy, IReadOnlyList<string> Failures, int Calls);

    /// <summary>Methods that build something without sending (checked separately) or are covered by another entry point.</summary>
    private static readonly HashSet<string> NotSending = [nameof(ProxmoxGateway.VncWebSocketUrl), nameof(ProxmoxGateway.Dispose)];

    public static async Task<Result> RunAsync(CancellationToken ct)
    {
        var usedBy = new Dictionary<PveRoute, List<string>>();
        var failures = new List<string>();
        var calls = 0;
        var methods = typeof(ProxmoxGateway).GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => (m.IsPublic || m.IsAssembly) && !m.IsSpecialName && !NotSending.Contains(m.Name) && m.Name != nameof(ToString))
            .OrderBy(m => m.Name, StringComparer.Ordinal);
        foreach (var method in methods)
        {
            foreach (var args in Arguments(method, ct))
            {
                calls++;
                var label = $"{method.Name}({string.Join(", ", args.Where(a => a is Enum).Select(a => a!.ToString()))})";
                var handler = new RecordingHandler();
                var ticket = method.Name == nameof(ProxmoxGateway.LoginAsync);
                using var gateway = Gateway(handler, ticket);
                try
                {
                    var result = method.Invoke(gateway, args);
                    if (result is Task task) await task;
                }
                catch (Exception ex) when (Unwrap(ex) is ProxmoxException || handler.Sent.Count > 0)
                {
                    // {"data":{}} is not what most calls expect; the request was sent (or refused on purpose) - that is all we need.
                }
                catch (Exception ex)
                {
                    var inner = Unwrap(ex);
                    failures.Add($"{label}: {inner.GetType().Name}: {inner.Message}");
                    continue;
                }
                if (handler.Sent.Count == 0 && !(method.Name == nameof(ProxmoxGateway.PowerAsync) && args.Contains(GuestType.Lxc) && args.Contains(PowerAction.Reset)))
                    failures.Add($"{label}: sent no request");
                foreach (var (verb, path) in handler.Sent)
                {
                    if (PveRoutes.Find(verb, path) is { } route)
                    {
                        if (!usedBy.TryGetValue(route, out var list)) usedBy[route] = list = [];
                        if (!list.Contains(method.Name)) list.Add(method.Name);
                    }
                    else failures.Add($"{label}: sent '{verb} {path}', which is not in PveRoutes");
                }
            }
        }

        // The websocket URL handed to browsers/relays is a GET of a catalogued route too.
        using (var gw = Gateway(new RecordingHandler(), false))
        {
            var url = gw.VncWebSocketUrl("pve", 100, GuestType.Qemu, 5900, "PVEVNC:x");
            var relative = url.AbsolutePath["/api2/json/".Length..];
            if (PveRoutes.Find("GET", relative) is null) failures.Add($"VncWebSocketUrl: '{relative}' is not in PveRoutes");
        }
        return new Result(usedBy.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value), failures, calls);
    }

    private static Exception Unwrap(Exception ex) => ex is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : ex;

    private static ProxmoxGateway Gateway(RecordingHandler handler, bool ticket) =>
        new(new ProxmoxClient(
            ticket
                ? new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006"), null, null, null, false, "root@pam", "pa55word")
                : new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006"), "root@pam!moxxie", "s3cret", null, false),
            handler, new ProxmoxOptions { ReadRetries = 0 }, TimeProvider.System, NullLogger.Instance));

    /// <summary>One argument list per combination of enum values (other parameters get one plausible value).</summary>
    private static IEnumerable<object?[]> Arguments(MethodInfo method, CancellationToken ct)
    {
        var parameters = method.GetParameters();
        IEnumerable<object?[]> lists = [new object?[parameters.Length]];
        for (var i = 0; i < parameters.Length; i++)
        {
            var index = i;
            var p = parameters[i];
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            object?[] choices = type.IsEnum ? [.. Enum.GetValues(type).Cast<object>()]
                : type == typeof(CancellationToken) ? [ct]
                : [Value(type, p.Name ?? "")];
            lists = lists.SelectMany(l => choices.Select(c =>
            {
                var copy = (object?[])l.Clone();
                copy[index] = c;
                return copy;
            })).ToList();
        }
        return lists;
    }

    private static object? Value(Type type, string name) => type switch
    {
        _ when type == typeof(string) => name.ToLowerInvariant() switch
        {
            "node" => "pve",
            "upid" => "UPID:pve:00000A1B:0000C2D3:65A1B2C3:qmstart:100:root@pam:",
            "storage" => "local",
            "volume" => "local:backup/vzdump-qemu-100-2024_01_01-00_00_00.vma.zst",
            "service" => "pveproxy",
            "iface" => "vmbr1",
            "vnet" => "vnet1",
            "id" => "backup-daily",
            "content" => "iso",
            "filename" => "debian.iso",
            "ticket" => "PVEVNC:ticket",
            "disk" => "scsi0",
            "size" => "+1G",
            "type" => "vm",
            "target" => "pve2",
            "archive" => "local:backup/vzdump-qemu-100-2024_01_01-00_00_00.vma.zst",
            _ => "snap1",
        },
        _ when type == typeof(int) || type == typeof(long) => Convert.ChangeType(name switch { "port" => 5900, "start" => 0, "limit" => 50, _ => 100 }, type, System.Globalization.CultureInfo.InvariantCulture),
        _ when type == typeof(bool) => true,
        _ when type == typeof(Stream) => new MemoryStream([1, 2, 3]),
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>) => null,
        _ when type == typeof(IReadOnlyList<int>) => new List<int> { 100 },
        _ when type == typeof(IReadOnlyList<string>) => new List<string> { "x" },
        _ when type.IsClass => Construct(type),
        _ => Activator.CreateInstance(type),
    };

    /// <summary>A request record built with its widest constructor (init-only properties stay unset).</summary>
    private static object Construct(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return ctor.Invoke([.. ctor.GetParameters().Select(p =>
        {
            var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            return t.IsEnum ? Enum.GetValues(t).GetValue(0) : Value(t, p.Name ?? "");
        })]);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<(string Method, string Path)> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            Sent.Add((request.Method.Method, path.StartsWith("/api2/json/", StringComparison.Ordinal) ? path["/api2/json/".Length..] : path));
            var body = request.RequestUri.AbsolutePath.EndsWith("/access/ticket", StringComparison.Ordinal)
                ? """{"data":{"username":"root@pam","ticket":"PVE:root@pam:0::x","CSRFPreventionToken":"0:x"}}"""
                : """{"data":{}}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
                Version = HttpVersion.Version11,
            });
        }
    }
}
