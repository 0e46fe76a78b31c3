using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>
/// HTTP client of one PVE connection: BaseAddress {Url}/api2/json/, API-token or ticket authentication (ticket renewed
/// before its 2 h expiry, one re-login on 401, CSRFPreventionToken on writes), a Polly pipeline (per-attempt timeout,
/// circuit breaker, retries for GET only) and PVE's error conventions mapped to <see cref="ProxmoxException"/>.
/// Secrets (token secret, password, ticket, CSRF token) never appear in logs or exception messages.
/// </summary>
internal sealed class ProxmoxClient : IDisposable
{
    private static readonly ResiliencePropertyKey<bool> IsReadKey = new("moxxie.pve.read");

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly ProxmoxConnectionSettings _settings;
    private readonly ProxmoxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private Ticket? _ticket;

    public ProxmoxClient(ProxmoxConnectionSettings settings, HttpMessageHandler handler, ProxmoxOptions options, TimeProvider time,
        ILogger logger, CertificatePolicy? certificates = null)
    {
        _settings = settings;
        _options = options;
        _time = time;
        _logger = logger;
        Certificates = certificates;
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = ApiBase(settings.Url),
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's timeout and the caller's token rule
            DefaultRequestVersion = HttpVersion.Version11, // PVE's messages travel in the HTTP/1.1 reason phrase
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Moxxie/1.0");
        _pipeline = BuildPipeline(options, time);
    }

    public string Connection => _settings.Name;

    public Uri Url => _settings.Url;

    public CertificatePolicy? Certificates { get; }

    private bool TicketAuth => !string.IsNullOrWhiteSpace(_settings.Username);

    public static Uri ApiBase(Uri url)
    {
        var text = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (!text.EndsWith("/api2/json", StringComparison.OrdinalIgnoreCase)) text += "/api2/json";
        return new Uri(text + "/");
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, IReadOnlyList<KeyValuePair<string, string>>? form, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, form ?? [], ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    public Task<JsonElement> PutAsync(string path, IReadOnlyList<KeyValuePair<string, string>>? form, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, path, form ?? [], ct);

    /// <summary>Multipart upload (POST …/upload): the form fields first, then the file streamed with progress. Runs outside the
    /// per-attempt timeout (large ISOs take minutes; the caller's token cancels) and is never retried. A ticket refused with
    /// 401 is renewed and the upload repeated only when the stream can seek back (PVE did not take the upload then).</summary>
    public async Task<JsonElement> UploadAsync(string path, IReadOnlyList<KeyValuePair<string, string>> fields, string fileName, Stream data,
        long? length, IProgress<UploadProgress>? progress, CancellationToken ct)
    {
        var start = data.CanSeek ? data.Position : 0;
        var first = true;
        try
        {
            return await SendOnceAsync(HttpMethod.Post, path, () =>
            {
                if (!first)
                {
                    if (!data.CanSeek) throw new ProxmoxException(Connection, 401, "PVE refused the ticket during the upload; start the upload again.");
                    data.Position = start;
                }
                first = false;
                var content = new MultipartFormDataContent();
                foreach (var (k, v) in fields) content.Add(new StringContent(v), k);
                var file = new ProgressStreamContent(data, length, progress);
                file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
                content.Add(file, "filename", fileName);
                return content;
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            throw Transport(ex);
        }
    }

    /// <summary>The envelope's "data" deserialized with PVE-tolerant settings.</summary>
    /// <remarks>The answer is deserialized straight from its bytes, without a JsonDocument in between: parsing a
    /// 3,400-guest /cluster/resources into a document rents megabyte buffers that ArrayPool.Shared then keeps per thread.</remarks>
    public Task<T> GetDataAsync<T>(string path, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, (response, token) => ReadDataAsync<T>(response, path, token), ct);

    private sealed record Envelope<T>(T? Data);

    private async Task<T> ReadDataAsync<T>(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) await ReadAsync(response, ct);   // throws with PVE's message
        var body = await ReadBodyAsync(response.Content, ct);
        try
        {
            if (body.Length > 0 && JsonSerializer.Deserialize<Envelope<T>>(body, PveJson.Options) is { Data: { } data }) return data;
        }
        catch (JsonException)
        {
            // Fall through: the element path below names what is wrong (not JSON, no data, or an unexpected shape).
        }
        return Data<T>(Parse(body) ?? throw new ProxmoxException(Connection, (int)response.StatusCode, "PVE answered with something that is not JSON."), path);
    }

    public T Data<T>(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
            throw new ProxmoxException(Connection, 200, $"PVE returned no data for {path}.");
        try
        {
            return data.Deserialize<T>(PveJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new ProxmoxException(Connection, 200, $"PVE returned an unexpected shape for {path}.", null, ex);
        }
    }

    private Task<JsonElement> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>>? form, CancellationToken ct) =>
        SendAsync(method, path, form, ReadAsync, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>>? form,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(IsReadKey, method == HttpMethod.Get);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static (ctx, s) => new ValueTask<T>(s.Self.SendOnceAsync(s.Method, s.Path, s.Form is null ? null : () => new FormUrlEncodedContent(s.Form), s.Read, ctx.CancellationToken)),
                context, (Self: this, Method: method, Path: path, Form: form, Read: read));
            _logger.LogDebug("PVE {Connection}: {Method} {Path} OK in {Elapsed:0} ms", Connection, method, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (ProxmoxException ex)
        {
            _logger.LogDebug("PVE {Connection}: {Method} {Path} failed ({Status}): {Message}", Connection, method, path, ex.StatusCode, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ProxmoxException(Connection, null, $"{_settings.Url.Authority} did not answer within {ex.Timeout.TotalSeconds:0} s.", null, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new ProxmoxException(Connection, null, $"{_settings.Url.Authority} is unavailable after repeated failures; Moxxie retries in a few seconds.", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Transport(ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new ProxmoxException(Connection, null, $"{_settings.Url.Authority} did not answer in time.", null, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<JsonElement> SendOnceAsync(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken ct) =>
        SendOnceAsync(method, path, content, ReadAsync, ct);

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, Func<HttpContent>? content,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        PveRoutes.Require(method.Method, path);   // every call is in the catalogue the contract suite checks
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (content is not null) request.Content = content();
            var ticket = await AuthenticateAsync(request, ct);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && ticket is not null && attempt == 0)
            {
                // The ticket expired or the signing key rotated: log in again once. A 401 means PVE did not run the call.
                Interlocked.CompareExchange(ref _ticket, null, ticket);
                _logger.LogInformation("PVE {Connection}: ticket refused, logging in again", Connection);
                continue;
            }
            return await read(response, ct);
        }
    }

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var root = Parse(await ReadBodyAsync(response.Content, ct));

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var message = response.ReasonPhrase;
            if (string.IsNullOrWhiteSpace(message) || message == DefaultReason(response.StatusCode))
                message = BodyMessage(root) ?? (string.IsNullOrWhiteSpace(message) ? $"HTTP {status}" : message);
            throw new ProxmoxException(Connection, status, message.Trim(), ParameterErrors(root));
        }
        return root ?? throw new ProxmoxException(Connection, (int)response.StatusCode, "PVE answered with something that is not JSON.");
    }

    /// <summary>The answer as an element of its own (null when empty or not JSON).</summary>
    private static JsonElement? Parse(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The whole answer in one array of its own (exact size when PVE sends Content-Length). HttpClient's own buffering and
    /// ReadAsByteArrayAsync rent from ArrayPool.Shared, which then keeps megabyte buffers per thread for every large poll.
    /// A connection that breaks mid-answer surfaces as an HttpRequestException, as it did with buffered content.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct);
            if (content.Headers.ContentLength is { } length and >= 0 and <= int.MaxValue)
            {
                var exact = new byte[length];
                await stream.ReadExactlyAsync(exact, ct);
                return exact;
            }
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        catch (IOException ex)
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection closed before the whole answer arrived.", ex);
        }
    }

    /// <summary>Adds credentials; returns the ticket used (ticket auth) so a 401 can invalidate exactly that one.</summary>
    private async Task<Ticket?> AuthenticateAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!TicketAuth)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"PVEAPIToken={_settings.TokenId}={_settings.TokenSecret}");
            return null;
        }
        var ticket = await EnsureTicketAsync(ct);
        request.Headers.TryAddWithoutValidation("Cookie", "PVEAuthCookie=" + Uri.EscapeDataString(ticket.Value));
        if (request.Method != HttpMethod.Get) request.Headers.TryAddWithoutValidation("CSRFPreventionToken", ticket.Csrf);
        return ticket;
    }

    private async Task<Ticket> EnsureTicketAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _ticket);
        if (current is not null && _time.GetUtcNow() - current.IssuedAt < _options.TicketRenewAfter) return current;
        return (await LoginCoreAsync(force: false, ct)).Ticket;
    }

    /// <summary>POST /access/ticket now (ticket auth only) and keep the new ticket; PVE's answer (user, cluster, capabilities)
    /// is returned without the secrets.</summary>
    public async Task<PveSession> LoginAsync(CancellationToken ct)
    {
        if (!TicketAuth) throw new InvalidOperationException($"Connection '{Connection}' uses an API token; there is no login.");
        var (_, dto) = await LoginCoreAsync(force: true, ct);
        var caps = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (dto.Cap is { ValueKind: JsonValueKind.Object } cap)
            foreach (var area in cap.EnumerateObject())
                caps[area.Name] = area.Value.ValueKind == JsonValueKind.Object
                    ? [.. area.Value.EnumerateObject().Where(p => PveJson.ScalarText(p.Value) is "1").Select(p => p.Name).Order(StringComparer.Ordinal)]
                    : [];
        return new PveSession(dto.Username ?? _settings.Username!, string.IsNullOrEmpty(dto.ClusterName) ? null : dto.ClusterName, caps);
    }

    private async Task<(Ticket Ticket, TicketDto Dto)> LoginCoreAsync(bool force, CancellationToken ct)
    {
        await _loginLock.WaitAsync(ct);
        try
        {
            var current = Volatile.Read(ref _ticket);
            if (!force && current is not null && _time.GetUtcNow() - current.IssuedAt < _options.TicketRenewAfter) return (current, new TicketDto(null, null, null, null));
            using var request = new HttpRequestMessage(HttpMethod.Post, "access/ticket")
            {
                Content = new FormUrlEncodedContent([new("username", _settings.Username!), new("password", _settings.Password ?? "")]),
            };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var root = await ReadAsync(response, ct);
            var dto = Data<TicketDto>(root, "access/ticket");
            if (string.IsNullOrEmpty(dto.Ticket) || string.IsNullOrEmpty(dto.CsrfPreventionToken))
                throw new ProxmoxException(Connection, (int)response.StatusCode, "PVE's login answer carried no ticket.");
            var ticket = new Ticket(dto.Ticket, dto.CsrfPreventionToken, _time.GetUtcNow());
            Volatile.Write(ref _ticket, ticket);
            _logger.LogInformation("PVE {Connection}: logged in as {User}", Connection, _settings.Username);
            return (ticket, dto);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private ProxmoxException Transport(HttpRequestException ex)
    {
        if (ex.InnerException is AuthenticationException && Certificates is { LastRejected: true } policy)
            return new ProxmoxException(Connection, null, policy.Describe(_settings.Url), null, ex);
        var detail = ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name could not be resolved",
            HttpRequestError.ConnectionError => "the connection was refused or could not be established",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            _ => ex.Message,
        };
        return new ProxmoxException(Connection, null, $"Cannot reach {_settings.Url.Authority}: {detail}.", null, ex);
    }

    private static ResiliencePipeline BuildPipeline(ProxmoxOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.ReadRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.ReadRetries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Only reads: a retried POST would start a second task.
                ShouldHandle = args => ValueTask.FromResult(args.Context.Properties.GetValue(IsReadKey, false) && IsTransient(args.Outcome.Exception)),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.8,
            MinimumThroughput = 8,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
        });
        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    private static bool IsTransient(Exception? ex) => ex switch
    {
        TimeoutRejectedException => true,
        HttpRequestException { InnerException: AuthenticationException } => false, // a certificate does not fix itself
        HttpRequestException => true,
        _ => false,
    };

    private static string? BodyMessage(JsonElement? root) =>
        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;

    private static Dictionary<string, string>? ParameterErrors(JsonElement? root)
    {
        if (root is not { ValueKind: JsonValueKind.Object } r || !r.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
            return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in errors.EnumerateObject()) result[p.Name] = PveJson.ScalarText(p.Value)?.Trim() ?? "";
        return result;
    }

    private static string DefaultReason(HttpStatusCode code) => code switch
    {
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        _ => "\u0000",
    };

    public void Dispose()
    {
        _http.Dispose();
        _loginLock.Dispose();
    }

    private sealed record Ticket(string Value, string Csrf, DateTimeOffset IssuedAt)
    {
        public override string ToString() => "Ticket { *** }";
    }
}
