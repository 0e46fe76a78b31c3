using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Small helpers for the guest lifecycle tests: UPID-returning calls, task status and log.</summary>
public sealed class SimulatorGuestApi(HttpClient api)
{
    public HttpClient Http { get; } = api;

    public static Dictionary<string, string> Form(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    public async Task<string> UpidAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        var r = await Http.SendAsync(method, path, form ?? []);
        Assert.True(r.Status == HttpStatusCode.OK, $"{method} {path}: {(int)r.Status} {r.Reason}");
        var upid = r.Data!.GetValue<string>();
        Assert.StartsWith("UPID:", upid);
        return upid;
    }

    public Task<string> PostAsync(string path, params (string Key, string Value)[] form) => UpidAsync(HttpMethod.Post, path, Form(form));

    public async Task<JsonNode> StatusAsync(string upid) =>
        (await Http.GetJsonAsync($"nodes/{upid.Split(':')[1]}/tasks/{Uri.EscapeDataString(upid)}/status")).Data!;

    /// <summary>Waits (real time) until the task has stopped; returns its exit status.</summary>
    public async Task<string> WaitAsync(string upid, TimeSpan? timeout = null)
    {
        var s = await ApiCall.WaitForAsync(() => StatusAsync(upid), s => s["status"]!.GetValue<string>() == "stopped", timeout);
        return s["exitstatus"]!.GetValue<string>();
    }

    public async Task<IReadOnlyList<string>> LogAsync(string upid) =>
        (await Http.GetJsonAsync($"nodes/{upid.Split(':')[1]}/tasks/{Uri.EscapeDataString(upid)}/log?limit=0")).Data!.AsArray()
            .Select(l => l!["t"]!.GetValue<string>()).ToList();

    public async Task<JsonObject> ConfigAsync(string node, int vmid, string type = "qemu") =>
        (await Http.GetJsonAsync($"nodes/{node}/{type}/{vmid}/config")).Data!.AsObject();
}
