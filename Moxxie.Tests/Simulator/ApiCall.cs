using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Small helpers over HttpClient for PVE's envelope and reason phrases.</summary>
public static class ApiCall
{
    public sealed record Result(HttpStatusCode Status, string? Reason, JsonObject Body, HttpResponseMessage Response)
    {
        public JsonNode? Data => Body["data"];
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) as JsonObject)
        ?? throw new InvalidOperationException("body is not a JSON object");

    public static async Task<Result> SendAsync(this HttpClient client, HttpMethod method, string path, IDictionary<string, string>? form = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (form is not null) request.Content = new FormUrlEncodedContent(form);
        configure?.Invoke(request);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new Result(response.StatusCode, response.ReasonPhrase, await ReadAsync(response), response);
    }

    public static Task<Result> GetJsonAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);

    public static Task<Result> PostFormAsync(this HttpClient client, string path, IDictionary<string, string>? form = null) =>
        client.SendAsync(HttpMethod.Post, path, form ?? new Dictionary<string, string>());

    /// <summary>Polls until the condition holds or the deadline passes (no fixed sleeps).</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met in time; last value: {value}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    public static MediaTypeHeaderValue? ContentType(this Result r) => r.Response.Content.Headers.ContentType;
}
