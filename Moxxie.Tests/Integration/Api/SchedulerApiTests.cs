using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>Issue 8's API: /api/v1/scheduler/jobs in the guide's shapes: create, list (schedule in words, next run,
/// statistics), get, update, enable/disable, run now, history, delete; VALIDATION_ERROR per field; Viewers read but may
/// not change; audited.</summary>
public sealed class SchedulerApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private const string Password = "Scheduler-Api-Pa55!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "sched" + role.ToLowerInvariant(), role, AppSession.Ready);

    private static object Job(string name, string cron = "0 0 2 * * ?") => new
    {
        name,
        description = "Automated daily snapshot",
        taskType = "snapshot_create",
        cronExpression = cron,
        timeZone = "Europe/Berlin",
        enabled = true,
        parameters = new { snapshotNamePattern = "auto-{vm}-{date}", description = "Automated daily snapshot", maxSnapshots = 7, includeVMState = false },
        vmSelectors = new[] { new { type = "TAG_EXPRESSION", value = "env-prod AND NOT always-on" } },
    };

    [Fact]
    public async Task Jobs_are_created_listed_changed_run_and_deleted_in_the_guides_shape()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var created = await op.PostAsJsonAsync("/api/v1/scheduler/jobs", Job("daily-prod-snapshots"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var job = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = job.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("Every day at 02:00", job.GetProperty("schedule").GetString());
        Assert.Equal("7", job.GetProperty("parameters").GetProperty("maxSnapshots").GetString());
        Assert.Equal("false", job.GetProperty("parameters").GetProperty("includeVMState").GetString());
        Assert.Equal("TAG_EXPRESSION", job.GetProperty("vmSelectors")[0].GetProperty("type").GetString());
        Assert.Equal(0, job.GetProperty("statistics").GetProperty("totalRuns").GetInt32());
        var nextRun = job.GetProperty("nextRun").GetDateTimeOffset();
        var berlin = TimeZoneInfo.ConvertTime(nextRun, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal((2, 0, 0), (berlin.Hour, berlin.Minute, berlin.Second));

        var list = await op.GetFromJsonAsync<JsonElement>("/api/v1/scheduler/jobs", Ct);
        Assert.Contains(list.EnumerateArray(), j => j.GetProperty("id").GetString() == id && j.GetProperty("taskType").GetString() == "snapshot_create");

        var duplicate = await op.PostAsJsonAsync("/api/v1/scheduler/jobs", Job("daily-prod-snapshots"), Ct);
        Assert.Contains("already exists", (await DetailsAsync(duplicate)).GetProperty("name").GetString(), StringComparison.Ordinal);

        var updated = await op.PutAsJsonAsync($"/api/v1/scheduler/jobs/{id}", Job("daily-prod-snapshots", "0 30 3 ? * MON-FRI"), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Every weekday (Monday to Friday) at 03:30", (await updated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("schedule").GetString());

        var disabled = await (await op.PostAsync($"/api/v1/scheduler/jobs/{id}/disable", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("nextRun").ValueKind);
        Assert.True((await (await op.PostAsync($"/api/v1/scheduler/jobs/{id}/enable", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enabled").GetBoolean());

        var run = await op.PostAsync($"/api/v1/scheduler/jobs/{id}/run", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var execution = await run.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("MANUAL", execution.GetProperty("trigger").GetString());
        var history = await op.GetFromJsonAsync<JsonElement>($"/api/v1/scheduler/jobs/{id}/history?limit=5", Ct);
        Assert.Equal(execution.GetProperty("executionId").GetString(), history[0].GetProperty("executionId").GetString());
        Assert.True(history[0].GetProperty("results").TryGetProperty("details", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync($"/api/v1/scheduler/jobs/{id}/history?limit=0", Ct)).StatusCode);
        // The run's snapshots must be done before the next test snapshots the same simulator VMs (a VM mid-snapshot is locked).
        await MoxxieAppFactory.EventuallyAsync(
            async () => (await op.GetFromJsonAsync<JsonElement>($"/api/v1/scheduler/jobs/{id}/history?limit=1", Ct))[0],
            h => h.GetProperty("status").GetString() != "RUNNING", TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/api/v1/scheduler/jobs/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/v1/scheduler/jobs/{id}", Ct)).StatusCode);

        var audit = await App.AuditEntriesAsync(Ct);
        foreach (var operation in new[] { "SCHEDULER_JOB_CREATE", "SCHEDULER_JOB_UPDATE", "SCHEDULER_JOB_DISABLE", "SCHEDULER_JOB_ENABLE", "SCHEDULER_RUN", "SCHEDULER_JOB_DELETE" })
            Assert.Contains(audit, a => a.Operation == operation && a.ResourceId == id);
    }

    [Fact]
    public async Task Run_now_goes_through_the_bulk_engine_and_history_shows_per_vm_results()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        await MoxxieAppFactory.EventuallyAsync(async () => (await op.GetFromJsonAsync<JsonElement>("/api/v1/vms", Ct)).GetArrayLength(), n => n > 0);
        var created = await op.PostAsJsonAsync("/api/v1/scheduler/jobs", new
        {
            name = "snap-two",
            taskType = "snapshot_create",
            cronExpression = "0 0 3 * * ?",
            parameters = new { snapshotNamePattern = "sched-{vm}-{datetime}", description = "by the scheduler" },
            vmSelectors = new[] { new { type = "VM_IDS", value = "101, 102, 103" }, new { type = "NAME_PATTERN", value = "*" } },
        }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        var run = await (await op.PostAsync($"/api/v1/scheduler/jobs/{id}/run", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var operationId = run.GetProperty("operationId").GetString();
        Assert.StartsWith("bulk-", operationId, StringComparison.Ordinal);

        var done = await MoxxieAppFactory.EventuallyAsync(
            async () => (await op.GetFromJsonAsync<JsonElement>($"/api/v1/scheduler/jobs/{id}/history?limit=1", Ct))[0],
            h => h.GetProperty("status").GetString() != "RUNNING", TimeSpan.FromSeconds(60));
        Assert.True(done.GetProperty("status").GetString() == "SUCCESS", done.GetRawText());
        Assert.Equal([101, 102, 103], done.GetProperty("affectedVMs").EnumerateArray().Select(v => v.GetInt32()));
        var details = done.GetProperty("results").GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(3, details.Count);
        Assert.All(details, d => Assert.StartsWith("Snapshot created: sched-", d.GetProperty("message").GetString(), StringComparison.Ordinal));

        var operation = await op.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/operations/{operationId}", Ct);
        Assert.StartsWith($"scheduler job {id} manual ", operation.GetProperty("source").GetString(), StringComparison.Ordinal);
        var job = await op.GetFromJsonAsync<JsonElement>($"/api/v1/scheduler/jobs/{id}", Ct);
        Assert.Equal((1, 1), (job.GetProperty("statistics").GetProperty("totalRuns").GetInt32(), job.GetProperty("statistics").GetProperty("successfulRuns").GetInt32()));
    }

    [Fact]
    public async Task Invalid_jobs_answer_validation_error_per_field()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var response = await op.PostAsJsonAsync("/api/v1/scheduler/jobs", new
        {
            name = "",
            taskType = "snapshot_create",
            cronExpression = "0 61 2 * * ?",
            timeZone = "Nowhere/Land",
            parameters = new { maxSnapshots = "zero", snapshotNamePattern = "{vm}" },
            vmSelectors = new[] { new { type = "TAG_EXPRESSION", value = "env-prod AND" } },
        }, Ct);
        var details = await DetailsAsync(response);
        Assert.Equal("A name is required.", details.GetProperty("name").GetString());
        Assert.StartsWith("Minutes field '61'", details.GetProperty("cronExpression").GetString(), StringComparison.Ordinal);
        Assert.Contains("Nowhere/Land", details.GetProperty("timeZone").GetString(), StringComparison.Ordinal);
        Assert.True(details.TryGetProperty("parameters.maxSnapshots", out _));
        Assert.True(details.TryGetProperty("parameters.snapshotNamePattern", out _));
        Assert.True(details.TryGetProperty("vmSelectors[0].value", out _));

        var cron = await op.GetFromJsonAsync<JsonElement>("/api/v1/scheduler/cron?expression=0%200%2F15%20*%20*%20*%20%3F&timeZone=UTC", Ct);
        Assert.True(cron.GetProperty("valid").GetBoolean());
        Assert.Equal("Every 15 minutes", cron.GetProperty("schedule").GetString());
        Assert.Equal(5, cron.GetProperty("nextFireTimes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, cron.GetProperty("errorField").ValueKind);

        var bad = await op.GetFromJsonAsync<JsonElement>("/api/v1/scheduler/cron?expression=0%2061%202%20*%20*%20%3F&timeZone=UTC", Ct);
        Assert.False(bad.GetProperty("valid").GetBoolean());
        Assert.StartsWith("Minutes field '61'", bad.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, bad.GetProperty("errorField").GetInt32());
        Assert.Equal("minutes", bad.GetProperty("errorFieldName").GetString());
        Assert.Equal(["0", "61", "2", "*", "*", "?"], bad.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Viewers_read_jobs_but_cannot_change_or_run_them()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var id = (await (await op.PostAsJsonAsync("/api/v1/scheduler/jobs", Job("viewer-visible"), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
            .GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/scheduler/jobs/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/scheduler/jobs/{id}/history", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/scheduler/jobs", Job("nope"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/scheduler/jobs/{id}/run", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/scheduler/jobs/{id}/disable", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/v1/scheduler/jobs/{id}", Ct)).StatusCode);

        // The /scheduler page (prerendered) lists the job in words, without actions for a Viewer.
        var viewerName = MoxxieAppFixture.UniqueUser("schedpage");
        await AppSession.CreateUserAsync(App, viewerName, Password, MoxxieRoles.Viewer);
        var login = await AppSession.PostLoginAsync(App, viewerName, Password);
        using var browser = App.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/scheduler");
        request.Headers.Add("Cookie", login.AuthCookie!);
        var html = await (await browser.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"data-job=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("Every day at 02:00", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"job-run\"", html, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> DetailsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        return error.GetProperty("details");
    }
}
