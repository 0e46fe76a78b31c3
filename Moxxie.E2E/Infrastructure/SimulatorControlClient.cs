using System.Net.Http.Json;
using Moxxie.Simulator;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// The simulator's runtime control over HTTP (/_sim/…, the same PVEAPIToken header as /api2), the way an operator or another tool drives it:
/// nodes off-line/on-line, fault rules, the API down. Journeys use this public surface, not the in-process object.
/// </summary>
public sealed class SimulatorControlClient : IDisposable
{
    private readonly HttpClient _http;

    public SimulatorControlClient(SimulatorServer simulator)
    {
        _http = PinnedPveClient.Create(simulator.BaseUrl, simulator.CertificateFingerprint, simulator.TokenId, simulator.TokenSecret);
        _http.BaseAddress = new Uri(simulator.BaseUrl, "_sim/");
    }

    public Task NodeOfflineAsync(string node, CancellationToken ct) => PostAsync($"nodes/{node}/offline", ct);

    public Task NodeOnlineAsync(string node, CancellationToken ct) => PostAsync($"nodes/{node}/online", ct);

    /// <summary>Fixes the used share (0…1) of <paramref name="storage"/> on <paramref name="node"/> as PVE reports it
    /// (POST /_sim/nodes/{node}/storage/{storage}/usage); null returns it to the simulator's content-driven figure.</summary>
    public async Task SetStorageUsageAsync(string node, string storage, double? fraction, CancellationToken ct)
    {
        var path = $"nodes/{Uri.EscapeDataString(node)}/storage/{Uri.EscapeDataString(storage)}/usage";
        using var response = fraction is { } f
            ? await _http.PostAsJsonAsync(path, new { fraction = f }, ct)
            : await _http.PostAsync(path, new StringContent("""{"used":null}""", System.Text.Encoding.UTF8, "application/json"), ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The guest's next task ends with "TASK ERROR: <paramref name="message"/>" (POST /_sim/guests/{vmid}/fail-next-task).</summary>
    public async Task FailNextTaskAsync(int vmid, string message, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync($"guests/{vmid}/fail-next-task", new { message }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/guests/{vmid}/fail-next-task: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The whole API down ("abort": connections dropped without an answer, as when pveproxy is stopped).</summary>
    public async Task ApiDownAsync(CancellationToken ct, string mode = "abort")
    {
        using var response = await _http.PostAsJsonAsync("api/down", new { mode }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/api/down: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    public Task ApiUpAsync(CancellationToken ct) => PostAsync("api/up", ct);

    /// <summary>Moves the simulated PVE clock forward (POST /_sim/clock/advance); it is never turned back.</summary>
    public async Task AdvanceClockAsync(TimeSpan by, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("clock/advance", new { seconds = by.TotalSeconds }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/clock/advance: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Adds a latency rule (POST /_sim/faults): calls matching <paramref name="pattern"/> ("POST nodes/*/qemu/*/snapshot")
    /// answer after <paramref name="latencyMs"/>. Returns the rule's id for <see cref="RemoveFaultAsync"/>.</summary>
    public async Task<string> AddLatencyAsync(string pattern, int latencyMs, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("faults", new { kind = "latency", pattern, latencyMs }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/faults: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        return body.GetProperty("id").GetString() ?? throw new InvalidOperationException("POST /_sim/faults answered no id");
    }

    /// <summary>Adds an error rule (POST /_sim/faults): calls matching <paramref name="pattern"/> fail with <paramref name="status"/>
    /// and a PVE-worded <paramref name="message"/> until removed. Returns the rule's id.</summary>
    public async Task<string> AddErrorAsync(string pattern, int status, string message, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("faults", new { kind = "error", pattern, status, message }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/faults: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        return body.GetProperty("id").GetString() ?? throw new InvalidOperationException("POST /_sim/faults answered no id");
    }

    public async Task RemoveFaultAsync(string id, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync("faults/" + Uri.EscapeDataString(id), ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"DELETE /_sim/faults/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The /_sim status document (faults, offlineNodes, apiDown, clock).</summary>
    public async Task<System.Text.Json.JsonElement> StatusAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<System.Text.Json.JsonElement>("faults", ct);

    private async Task PostAsync(string path, CancellationToken ct)
    {
        using var response = await _http.PostAsync(path, content: null, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /_sim/{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    public void Dispose() => _http.Dispose();
}
