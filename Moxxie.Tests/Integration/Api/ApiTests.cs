using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Moxxie.Web.Identity;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>The REST API end to end: real app, real simulator over HTTPS, real database. Each test uses its own users
/// and its own VMs so they can share one app.</summary>
public sealed class ApiTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private const string Password = "Api-User-Pa55word!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsAsync(string role) => AppSession.ApiClientAsync(App, role.ToLowerInvariant(), role);

    private static async Task<JsonElement> ErrorBodyAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, body.GetProperty("error").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.True(body.TryGetProperty("details", out _));
        return body;
    }

    [Fact]
    public async Task Anonymous_request_gets_401_in_the_error_shape()
    {
        using var client = App.CreateApiClient();
        using var response = await client.GetAsync("/api/v1/vms", Ct);
        await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Unknown_bearer_token_gets_401()
    {
        using var client = AppSession.BearerClient(App, "mxx_not-a-real-token");
        using var response = await client.GetAsync("/api/v1/vms", Ct);
        await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Viewer_cannot_stop_a_vm()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);
        using var response = await client.PostAsync("/api/v1/vms/101/stop", null, Ct);
        await ErrorBodyAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal("running", App.Simulator.Cluster.FindGuest(101)!.Status);
        Assert.DoesNotContain(await App.AuditEntriesAsync(Ct), a => a.Operation == "VM_STOP" && a.ResourceId == "101" && a.Success);
    }

    [Fact]
    public async Task Operator_starts_a_stopped_vm_and_gets_the_pve_task_which_is_audited()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Operator);
        Assert.Equal("stopped", App.Simulator.Cluster.FindGuest(102)!.Status);

        using var response = await client.PostAsync("/api/v1/vms/102/start", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var upid = body.GetProperty("task").GetString()!;
        Assert.StartsWith("UPID:proxmox-01:", upid);
        Assert.Contains(":qmstart:102:", upid);
        Assert.NotNull(App.Simulator.Cluster.FindTask(upid));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));

        var audit = await App.AuditEntriesAsync(Ct);
        var row = Assert.Single(audit, a => a.Upid == upid);
        Assert.Equal("VM_START", row.Operation);
        Assert.Equal("102", row.ResourceId);
        Assert.True(row.Success);
        Assert.StartsWith("operator", row.User);

        // The task shows up in /tasks (tracked at once, before the next poll).
        var tasks = await client.GetFromJsonAsync<JsonElement>("/api/v1/tasks?limit=100", Ct);
        Assert.Contains(tasks.EnumerateArray(), t => t.GetProperty("upid").GetString() == upid);
        await MoxxieAppFactory.EventuallyAsync(() => Task.FromResult(App.Simulator.Cluster.FindGuest(102)!.Status), s => s == "running");
        Assert.Equal("running", App.Simulator.Cluster.FindGuest(102)!.Status);
    }

    [Fact]
    public async Task Starting_a_running_vm_is_a_conflict_with_the_reason()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Admin);
        using var response = await client.PostAsync("/api/v1/vms/101/start", null, Ct);
        var body = await ErrorBodyAsync(response, HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("already running", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Pve_error_message_surfaces_as_proxmox_error()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Operator);
        // PVE refuses to reboot a VM that is not running; Moxxie's inventory still says it runs (until the next poll).
        App.Simulator.Cluster.SetGuestStatus(105, "stopped");
        using var response = await client.PostAsync("/api/v1/vms/105/reboot", null, Ct);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            // The poll won the race: Moxxie itself refused with its own reason.
            var refused = await ErrorBodyAsync(response, HttpStatusCode.Conflict, "CONFLICT");
            Assert.Contains("stopped", refused.GetProperty("message").GetString());
            return;
        }
        var body = await ErrorBodyAsync(response, HttpStatusCode.BadGateway, "PROXMOX_ERROR");
        Assert.Contains("VM 105 not running", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unknown_vm_is_not_found()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Operator);
        using var response = await client.PostAsync("/api/v1/vms/99999/start", null, Ct);
        await ErrorBodyAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("/api/v1/vms?limit=0", "limit")]
    [InlineData("/api/v1/vms?limit=1001", "limit")]
    [InlineData("/api/v1/vms?limit=abc", "limit")]
    [InlineData("/api/v1/vms?status=sleeping", "status")]
    [InlineData("/api/v1/tasks?statusfilter=running,weird", "statusfilter")]
    public async Task Invalid_query_is_a_validation_error_naming_the_field(string url, string field)
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);
        using var response = await client.GetAsync(url, Ct);
        var body = await ErrorBodyAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(body.GetProperty("details").TryGetProperty(field, out var message));
        Assert.False(string.IsNullOrWhiteSpace(message.GetString()));
    }

    [Fact]
    public async Task Vm_list_filters_and_has_the_guide_shape()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?tags=env-prod,web-tier&status=running&limit=20", Ct);
        var items = list.EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, vm =>
        {
            Assert.Equal("running", vm.GetProperty("status").GetString());
            var tags = vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.Contains("env-prod", tags);
            Assert.Contains("web-tier", tags);
        });
        var web1 = Assert.Single(items, vm => vm.GetProperty("vmid").GetInt32() == 101);
        Assert.Equal("web-server-01", web1.GetProperty("name").GetString());
        Assert.Equal("proxmox-01", web1.GetProperty("node").GetString());
        Assert.Equal("qemu", web1.GetProperty("type").GetString());
        Assert.True(web1.GetProperty("cpus").GetInt32() > 0);
        foreach (var key in new[] { "cpu", "mem", "maxmem", "disk", "maxdisk", "netin", "netout", "diskread", "diskwrite", "uptime", "template", "lock", "hastate" })
            Assert.True(web1.TryGetProperty(key, out _), key);

        var limited = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?limit=2", Ct);
        Assert.Equal(2, limited.GetArrayLength());
    }

    [Fact]
    public async Task Cluster_status_has_the_guide_shape()
    {
        using var client = await ClientAsAsync(MoxxieRoles.Viewer);
        var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/cluster/status", Ct);
        var cluster = status.GetProperty("cluster");
        Assert.Equal("production-cluster", cluster.GetProperty("name").GetString());
        Assert.Equal(3, cluster.GetProperty("nodes").GetInt32());
        Assert.True(cluster.GetProperty("quorate").GetBoolean());
        var nodes = status.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["proxmox-01", "proxmox-02", "proxmox-03"], nodes.Select(n => n.GetProperty("name").GetString()));
        var local = Assert.Single(nodes, n => n.GetProperty("local").GetBoolean());
        Assert.Equal("proxmox-03", local.GetProperty("name").GetString());
        Assert.Equal("node/proxmox-03", local.GetProperty("id").GetString());
        Assert.Equal("node", local.GetProperty("type").GetString());
        Assert.Equal("192.168.1.12", local.GetProperty("ip").GetString());

        using var unknown = await client.GetAsync("/api/v1/cluster/status?connection=nope", Ct);
        await ErrorBodyAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Personal_token_is_shown_once_stored_hashed_and_stops_working_when_revoked()
    {
        using var session = await ClientAsAsync(MoxxieRoles.Operator);
        using var created = await session.PostAsJsonAsync("/api/v1/tokens", new { name = "ci" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("details").GetProperty("id").GetInt32();
        Assert.StartsWith("mxx_", token);
        Assert.True(token.Length >= 40);

        await using (var db = await App.Services.GetRequiredService<IMoxxieDbFactory>().CreateAsync(Ct))
        {
            var row = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == id, Ct);
            Assert.NotEqual(token, row.TokenHash);
            Assert.DoesNotContain(token, row.TokenHash);
            Assert.Equal(ApiTokenService.Hash(token), row.TokenHash);
            Assert.Equal(token[..8], row.Prefix);
        }

        // The list never shows the secret.
        var list = await session.GetStringAsync("/api/v1/tokens", Ct);
        Assert.Contains("\"ci\"", list);
        Assert.DoesNotContain(token, list);

        using (var withToken = AppSession.BearerClient(App, token))
            Assert.Equal(HttpStatusCode.OK, (await withToken.GetAsync("/api/v1/vms?limit=1", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await session.DeleteAsync($"/api/v1/tokens/{id}", Ct)).StatusCode);

        using (var revoked = AppSession.BearerClient(App, token))
        {
            using var response = await revoked.GetAsync("/api/v1/vms?limit=1", Ct);
            await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
    }

    [Fact]
    public async Task Access_token_stops_working_when_the_security_stamp_changes()
    {
        var user = MoxxieAppFixture.UniqueUser("stamp");
        await AppSession.CreateUserAsync(App, user, Password, MoxxieRoles.Viewer);
        var token = await AppSession.GetAccessTokenAsync(App, user, Password);
        using var client = AppSession.BearerClient(App, token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tasks", Ct)).StatusCode);

        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Moxxie.Infrastructure.Persistence.MoxxieUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByNameAsync(user))!);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tasks", Ct)).StatusCode);
        // A tampered token is rejected too.
        using var tampered = AppSession.BearerClient(App, token[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await tampered.GetAsync("/api/v1/tasks", Ct)).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_for_token_is_401()
    {
        using var client = App.CreateApiClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "nope" }, Ct);
        await ErrorBodyAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        using var missing = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin" }, Ct);
        var body = await ErrorBodyAsync(missing, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(body.GetProperty("details").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Health_and_openapi_are_anonymous()
    {
        using var client = App.CreateApiClient();
        var health = await MoxxieAppFactory.EventuallyAsync(async () =>
        {
            using var r = await client.GetAsync("/healthz", Ct);
            return (r.StatusCode, Body: await r.Content.ReadAsStringAsync(Ct));
        }, h => h.StatusCode == HttpStatusCode.OK && h.Body.Contains("\"status\":\"Healthy\""));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var doc = JsonDocument.Parse(health.Body);
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "database" && c.GetProperty("status").GetString() == "Healthy");
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "proxmox:production-cluster");

        using var openapi = await client.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        var spec = await openapi.Content.ReadAsStringAsync(Ct);
        Assert.Contains("/api/v1/vms", spec);
        Assert.Contains("/api/v1/cluster/status", spec);
    }
}
