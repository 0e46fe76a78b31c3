using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>App + simulator with a settable Moxxie clock (to pass the 24 h expiry) on one provider.</summary>
public abstract class IdempotencyAppFixture(DbProvider provider) : IAsyncLifetime
{
    public SettableClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(
        new MoxxieAppOptions { Provider = provider, Clock = Clock, Settings = new Dictionary<string, string> { ["Moxxie:Snapshots:ReapInterval"] = "01:00:00" } },
        TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

public sealed class IdempotencySqliteFixture() : IdempotencyAppFixture(DbProvider.Sqlite);

public sealed class IdempotencyPostgresFixture() : IdempotencyAppFixture(DbProvider.Postgres);

/// <summary>Idempotency-Key on the API's POSTs, counted at the PVE end: the simulator's per-route request counter says how
/// many snapshot POSTs reached "PVE". Same key and body → one PVE POST, the first answer twice; other body → 422 in the
/// guide's error shape; a duplicate while the first is in flight → 409; keys are per user and expire after 24 h.</summary>
public abstract class IdempotencyApiTests(IdempotencyAppFixture fixture)
{
    private const string Password = "Idempotency-Api-Pa55!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private long PveSnapshotPosts(int vmid) => App.Simulator.Control.ApiRequestsMatching($"POST nodes/*/qemu/{vmid}/snapshot");

    private async Task<HttpClient> ClientAsync(string? user = null)
    {
        user ??= MoxxieAppFixture.UniqueUser("idem");
        if (user.StartsWith("idem", StringComparison.Ordinal) && !await ExistsAsync(user)) await AppSession.CreateUserAsync(App, user, Password, MoxxieRoles.Operator);
        var client = AppSession.BearerClient(App, await AppSession.GetAccessTokenAsync(App, user, Password));
        await MoxxieAppFactory.EventuallyAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms", Ct)).GetArrayLength(), n => n > 0);
        return client;
    }

    private async Task<bool> ExistsAsync(string user)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Moxxie.Infrastructure.Persistence.MoxxieUser>>().FindByNameAsync(user) is not null;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, error.GetProperty("error").GetString());
        Assert.Equal((int)status, error.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.MinValue);
        Assert.True(error.GetProperty("details").TryGetProperty("Idempotency-Key", out _), text);
        return error;
    }

    private async Task TaskEndAsync(string upid)
    {
        var gateway = App.Services.GetRequiredService<Moxxie.Core.Proxmox.IProxmoxConnections>().Get("production-cluster");
        var task = await MoxxieAppFactory.EventuallyAsync(() => gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30));
        Assert.False(task.Running, upid);
    }

    [Fact]
    public async Task SameKeyAndBody_AnswersTheFirstResponseAgain_WithOnePvePost_OtherBodyIs422()
    {
        using var op = await ClientAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { name = "idem-once", description = "Once", ttlHours = 2 };
        var before = PveSnapshotPosts(104);

        using var first = await PostAsync(op, "/api/v1/vms/104/snapshots", body, key);
        var firstText = await first.Content.ReadAsStringAsync(Ct);
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, firstText);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before + 1, PveSnapshotPosts(104));
        var upid = JsonDocument.Parse(firstText).RootElement.GetProperty("task").GetString()!;
        await TaskEndAsync(upid);

        // The retry: same answer (same UPID), marked as replayed, and PVE saw no second POST.
        using var second = await PostAsync(op, "/api/v1/vms/104/snapshots", body, key);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(firstText, await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before + 1, PveSnapshotPosts(104));
        Assert.Single(await App.AuditEntriesAsync(Ct), a => a.Operation == "SNAPSHOT_CREATE" && a.ResourceId == "104/idem-once");

        // Same key, another body: refused in the guide's error shape, still no PVE call.
        using var other = await PostAsync(op, "/api/v1/vms/104/snapshots", new { name = "idem-twice", description = "Once", ttlHours = 2 }, key);
        var error = await ErrorAsync(other, HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        Assert.Contains("/api/v1/vms/104/snapshots", error.GetProperty("message").GetString());
        // Same key and body on another path (another VM) is another request too.
        using var otherPath = await PostAsync(op, "/api/v1/vms/105/snapshots", body, key);
        await ErrorAsync(otherPath, HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        Assert.Equal(before + 1, PveSnapshotPosts(104));
        Assert.Equal(0, PveSnapshotPosts(105));

        // Stored per (user, key), the answer protected at rest (it may hold a secret shown once).
        await using var db = await App.Services.GetRequiredService<IMoxxieDbFactory>().CreateAsync(Ct);
        var row = Assert.Single(await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == key).ToListAsync(Ct));
        Assert.Equal((202, "POST", "/api/v1/vms/104/snapshots"), (row.StatusCode, row.Method, row.Path));
        Assert.Equal(64, row.RequestHash.Length);
        Assert.DoesNotContain(upid, row.ResponseBody);
    }

    [Fact]
    public async Task KeysArePerUser_InvalidKeysAre400_AndWithoutAKeyEveryPostIsExecuted()
    {
        using var alice = await ClientAsync();
        using var bob = await ClientAsync();
        var key = "shared-key-" + Guid.NewGuid().ToString("N");
        var before = PveSnapshotPosts(106);

        using var a = await PostAsync(alice, "/api/v1/vms/106/snapshots", new { name = "idem-alice" }, key);
        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        await TaskEndAsync((await a.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!);
        using var b = await PostAsync(bob, "/api/v1/vms/106/snapshots", new { name = "idem-bob" }, key);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before + 2, PveSnapshotPosts(106));
        await TaskEndAsync((await b.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!);

        await ErrorAsync(await PostAsync(alice, "/api/v1/vms/106/snapshots", new { name = "idem-x" }, new string('k', 256)), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(await PostAsync(alice, "/api/v1/vms/106/snapshots", new { name = "idem-x" }, "has space"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(before + 2, PveSnapshotPosts(106));

        // A validation failure is remembered like any final answer: the same request again gets it without a PVE call.
        var badKey = Guid.NewGuid().ToString();
        using var bad1 = await PostAsync(alice, "/api/v1/vms/106/snapshots", new { name = "1bad" }, badKey);
        using var bad2 = await PostAsync(alice, "/api/v1/vms/106/snapshots", new { name = "1bad" }, badKey);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (bad1.StatusCode, bad2.StatusCode));
        Assert.Equal("true", bad2.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(before + 2, PveSnapshotPosts(106));
    }

    [Fact]
    public async Task DuplicateWhileTheFirstIsInFlight_Is409_ThenTheAnswerIsReplayed()
    {
        using var op = await ClientAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { name = "idem-slow" };
        var before = PveSnapshotPosts(107);
        // PVE answers this VM's snapshot POST slowly, so the first request is still in flight when the duplicate arrives.
        var slow = App.Simulator.Control.AddLatency("POST nodes/*/qemu/107/snapshot", 3000, count: 1);
        try
        {
            var first = PostAsync(op, "/api/v1/vms/107/snapshots", body, key);
            await MoxxieAppFactory.EventuallyAsync(() => PveSnapshotPosts(107) > before || first.IsCompleted ? Task.FromResult(true) : Task.FromResult(false), x => x);
            Assert.False(first.IsCompleted, "the first request should still be waiting for PVE");

            using var duplicate = await PostAsync(op, "/api/v1/vms/107/snapshots", body, key);
            await ErrorAsync(duplicate, HttpStatusCode.Conflict, "IDEMPOTENCY_KEY_IN_USE");

            using var firstResponse = await first;
            var firstText = await firstResponse.Content.ReadAsStringAsync(Ct);
            Assert.True(firstResponse.StatusCode == HttpStatusCode.Accepted, firstText);
            using var retry = await PostAsync(op, "/api/v1/vms/107/snapshots", body, key);
            Assert.Equal(firstText, await retry.Content.ReadAsStringAsync(Ct));
            Assert.Equal(before + 1, PveSnapshotPosts(107));
        }
        finally
        {
            App.Simulator.Control.RemoveFault(slow.Id);
        }
    }

    [Fact]
    public async Task AFailureWorthRetrying_FreesTheKey_AndKeysExpireAfter24Hours()
    {
        var user = MoxxieAppFixture.UniqueUser("idem");
        using var op = await ClientAsync(user);
        var key = Guid.NewGuid().ToString();
        var before = PveSnapshotPosts(108);

        // PVE fails once (500): the client may retry with the same key, and that retry is carried out.
        var fault = App.Simulator.Control.AddError("POST nodes/*/qemu/108/snapshot", 500, count: 1);
        using var failed = await PostAsync(op, "/api/v1/vms/108/snapshots", new { name = "idem-retry" }, key);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        App.Simulator.Control.RemoveFault(fault.Id);
        using var retried = await PostAsync(op, "/api/v1/vms/108/snapshots", new { name = "idem-retry" }, key);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before + 2, PveSnapshotPosts(108));
        await TaskEndAsync((await retried.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("task").GetString()!);

        // 24 h later the key is free again, even for another body (the bearer token expired with the jump: sign in again).
        fixture.Clock.Now = fixture.Clock.Now.AddHours(24).AddMinutes(1);
        using var later = await ClientAsync(user);
        using var reused = await PostAsync(later, "/api/v1/vms/108/snapshots", new { name = "idem-next-day" }, key);
        Assert.Equal(HttpStatusCode.Accepted, reused.StatusCode);
        Assert.Equal(before + 3, PveSnapshotPosts(108));
    }
}

public sealed class IdempotencyApiSqliteTests(IdempotencySqliteFixture fixture) : IdempotencyApiTests(fixture), IClassFixture<IdempotencySqliteFixture>;

public sealed class IdempotencyApiPostgresTests(IdempotencyPostgresFixture fixture) : IdempotencyApiTests(fixture), IClassFixture<IdempotencyPostgresFixture>;
