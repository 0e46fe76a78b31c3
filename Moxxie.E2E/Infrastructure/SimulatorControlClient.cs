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
