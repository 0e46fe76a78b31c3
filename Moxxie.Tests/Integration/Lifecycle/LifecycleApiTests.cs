using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Lifecycle;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Vms;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Lifecycle;

/// <summary>App (PostgreSQL) + simulator over HTTPS through Moxxie's PVE client, for the VM lifecycle API.</summary>
public sealed class LifecycleAppFixture : IAsyncLifetime
{
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions { Provider = DbProvider.Postgres }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>Create from a template and clone (seed 002's deployments, run in the background to ACTIVE or ERROR with the
/// event log in order and every PVE step audited with its UPID), edit options with pending changes, remove (refused by PVE
/// for a protected VM), and the guide's error shapes.</summary>
public sealed class LifecycleApiTests(LifecycleAppFixture fixture) : IClassFixture<LifecycleAppFixture>
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g deploy@moxxie";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "life" + role.ToLowerInvariant(), role);

    private IProxmoxGateway Gateway => App.Services.GetRequiredService<IProxmoxConnections>().Get("production-cluster");

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static async Task<JsonElement> FinalAsync(HttpClient client, string id) =>
        await MoxxieAppFactory.EventuallyAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/deployments/{id}", Ct),
            d => d.GetProperty("status").GetString() is "ACTIVE" or "ERROR", TimeSpan.FromSeconds(90));

    private async Task<string?> TaskEndAsync(string upid)
    {
        var task = await MoxxieAppFactory.EventuallyAsync(() => Gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(30));
        Assert.False(task.Running, upid);
        return task.ExitStatus;
    }

    private static List<(string Level, string Message, string? Upid)> Events(JsonElement deployment) =>
        [.. deployment.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("level").GetString()!, e.GetProperty("message").GetString()!,
            e.GetProperty("upid").GetString()))];

    [Fact]
    public async Task CreateFromTemplate_RunsToActive_EventsInOrder_ConfigAppliedAtPve_AuditedWithUpids()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var response = await op.PostAsJsonAsync("/api/v1/vms", new
        {
            name = "web-new-01", templateId = 9000, full = true, storage = "local-zfs", cores = 4, memory = 4096, start = true,
            cloudInit = new { user = "deploy", sshKeys = new[] { Key }, ipConfig = "ip=10.0.0.50/24,gw=10.0.0.1" },
        }, Ct);
        var accepted = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {accepted}");
        var id = accepted.GetProperty("deploymentId").GetString()!;
        Assert.Matches("^dep_[0-9a-f]{16}$", id);
        Assert.Equal($"/api/v1/deployments/{id}", response.Headers.Location?.ToString());
        Assert.Contains(accepted.GetProperty("status").GetString(), new[] { "REQUESTED", "PROVISIONING" });
        Assert.Equal("proxmox-01", accepted.GetProperty("spec").GetProperty("node").GetString());   // local storage: only the template's node
        Assert.True(accepted.GetProperty("spec").GetProperty("nodeElected").GetBoolean());

        var final = await FinalAsync(op, id);
        Assert.True(final.GetProperty("status").GetString() == "ACTIVE", final.ToString());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("lastError").ValueKind);
        var vmid = final.GetProperty("runtime").GetProperty("vmid").GetInt32();

        var events = Events(final);
        string[] expected =
        [
            "Requested by", "Node proxmox-01 elected", "Provisioning started", $"VMID {vmid} allocated", "Full clone of 9000", "Clone task started",
            "Clone done", "Applying configuration: cores=4, memory=4096 MiB, ciuser=deploy, sshkeys (1 key, URL-encoded), ipconfig0=ip=10.0.0.50/24,gw=10.0.0.1",
            "Configuration task started", "Configuration applied", $"Starting VM {vmid}", "Start task started", $"VM {vmid} started", $"VM {vmid} 'web-new-01' is ready",
        ];
        Assert.Equal(expected.Length, events.Count);
        for (var i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i], events[i].Message);
        Assert.All(events, e => Assert.Equal("INFO", e.Level));
        Assert.Matches($"^UPID:proxmox-01:.*:qmclone:9000:", events[5].Upid);
        Assert.Matches($"^UPID:proxmox-01:.*:qmconfig:{vmid}:", events[8].Upid);
        Assert.Matches($"^UPID:proxmox-01:.*:qmstart:{vmid}:", events[11].Upid);

        // What PVE holds now: the config applied, sshkeys URL-encoded as PVE stores them, the VM running.
        var config = await Gateway.GetGuestConfigAsync("proxmox-01", vmid, GuestType.Qemu, Ct);
        Assert.Equal(("web-new-01", "4", "4096", "deploy"), (config["name"], config["cores"], config["memory"], config["ciuser"]));
        Assert.Equal(Uri.EscapeDataString(Key + "\n"), config["sshkeys"]);
        Assert.Contains("%20", config["sshkeys"]);
        Assert.Equal("ip=10.0.0.50/24,gw=10.0.0.1", config["ipconfig0"]);
        Assert.StartsWith("local-zfs:vm-" + vmid + "-disk-0", config["scsi0"]);
        Assert.Equal("running", (await Gateway.GetGuestStatusAsync("proxmox-01", vmid, GuestType.Qemu, Ct)).Status);

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "DEPLOYMENT_CREATE" && a.Success && a.ResourceId == id);
        Assert.Contains(audit, a => a.Operation == "VM_CLONE" && a.Success && a.Upid == events[5].Upid && a.ResourceId == vmid.ToString());
        Assert.Contains(audit, a => a.Operation == "VM_CONFIG" && a.Success && a.Upid == events[8].Upid);
        Assert.Contains(audit, a => a.Operation == "VM_START" && a.Success && a.Upid == events[11].Upid);

        var log = await op.GetFromJsonAsync<JsonElement>($"/api/v1/deployments/{id}/events", Ct);
        Assert.Equal(expected.Length, log.GetArrayLength());
        var list = await op.GetFromJsonAsync<JsonElement>("/api/v1/deployments?page=1&pageSize=50", Ct);
        Assert.Contains(list.GetProperty("data").EnumerateArray(), d => d.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task CloneFailures_EndInError_WithPvesMessage()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);

        // Refused inside the worker: the clone task ends with TASK ERROR.
        App.Simulator.Cluster.FailNextTask(9001, "no space left on device");
        var accepted = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms", new { name = "linked-01", templateId = 9001, full = false }, Ct));
        var failed = await FinalAsync(op, accepted.GetProperty("deploymentId").GetString()!);
        Assert.Equal("ERROR", failed.GetProperty("status").GetString());
        Assert.Equal("Clone failed: no space left on device", failed.GetProperty("lastError").GetProperty("message").GetString());
        var last = Events(failed)[^1];
        Assert.Equal("ERROR", last.Level);
        Assert.Matches("^UPID:proxmox-02:.*:qmclone:9001:", last.Upid);
        Assert.DoesNotContain(Events(failed), e => e.Message.StartsWith("Clone done", StringComparison.Ordinal));

        // Refused by PVE before the task: a snapshot that does not exist.
        var clone = await op.PostAsJsonAsync("/api/v1/vms/102/clone", new { name = "db-copy", snapname = "no-such-snap" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, clone.StatusCode);
        var refused = await FinalAsync(op, (await BodyAsync(clone)).GetProperty("deploymentId").GetString()!);
        Assert.Equal("ERROR", refused.GetProperty("status").GetString());
        Assert.Equal("Clone failed: snapshot 'no-such-snap' does not exist", refused.GetProperty("lastError").GetProperty("message").GetString());
        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "VM_CLONE" && !a.Success && a.Error == "snapshot 'no-such-snap' does not exist");
    }

    [Fact]
    public async Task Validation_IsPerField_ArraysRefused_ViewerRefused_UnknownIs404()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);

        var bad = await op.PostAsJsonAsync("/api/v1/vms", new
        {
            name = "bad name", templateId = 101, cores = 0, memory = 8, node = "proxmox-09",
            cloudInit = new { user = "9lives", sshKeys = new[] { "not a key" }, ipConfig = "ip=300.1.1.1/24" },
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = await BodyAsync(bad);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        Assert.Equal(["cloudInit.ipConfig", "cloudInit.sshKeys", "cloudInit.user", "cores", "memory", "name", "node", "templateId"],
            error.GetProperty("details").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("not a template", error.GetProperty("details").GetProperty("templateId").GetString());

        var linked = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms", new { name = "x1", templateId = 9000, full = false, storage = "local-zfs" }, Ct));
        Assert.Contains("linked clone", linked.GetProperty("details").GetProperty("storage").GetString());
        var types = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms", new { name = "x2", templateId = "nine", cores = "many", full = "yes" }, Ct));
        Assert.Equal(["cores", "full", "templateId"], types.GetProperty("details").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var crossNode = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms", new { name = "x3", templateId = 9000, node = "proxmox-02" }, Ct));
        Assert.Contains("not shared", crossNode.GetProperty("details").GetProperty("node").GetString());

        // An array is seed 000's bulk create (BulkApiTests); its items are checked per index.
        var array = await op.PostAsJsonAsync("/api/v1/vms", new[] { new { name = "-bad-", templateId = 9000 } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
        Assert.True((await BodyAsync(array)).GetProperty("details").TryGetProperty("vms[0].name", out _));

        var forbidden = await viewer.PostAsJsonAsync("/api/v1/vms", new { name = "viewer-vm", templateId = 9000 }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/v1/vms/102/config", new { cores = 2 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/vms/102", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/vms/102/clone", new { name = "c" }, Ct)).StatusCode);
        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "DEPLOYMENT_CREATE" && !a.Success && a.Error!.StartsWith("Forbidden", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Operation == "VM_DELETE" && !a.Success && a.ResourceId == "102");

        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/v1/deployments/dep_0000000000000000", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/v1/vms/99999/clone", new { name = "c" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.DeleteAsync("/api/v1/vms/99999", Ct)).StatusCode);
    }

    [Fact]
    public async Task EditConfig_AppliesToAStoppedVm_AndLeavesColdChangesPendingOnARunningOne()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var stopped = await op.PutAsJsonAsync("/api/v1/vms/123/config", new { cores = 3, memory = 6144, onboot = true, description = "Edited by Moxxie" }, Ct);
        var body = await BodyAsync(stopped);
        Assert.True(stopped.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var upid = body.GetProperty("task").GetString()!;
        Assert.Matches("^UPID:proxmox-02:.*:qmconfig:123:", upid);
        Assert.Equal("OK", await TaskEndAsync(upid));
        var config = await Gateway.GetGuestConfigAsync("proxmox-02", 123, GuestType.Qemu, Ct);
        Assert.Equal(("3", "6144", "1", "Edited by Moxxie"), (config["cores"], config["memory"], config["onboot"], config["description"]));
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "VM_CONFIG" && a.Success && a.Upid == upid && a.ResourceId == "123");

        // Running VM 114: memory needs a restart (PVE keeps it pending); onboot applies at once.
        var running = await BodyAsync(await op.PutAsJsonAsync("/api/v1/vms/114/config", new { memory = 12288, onboot = true }, Ct));
        Assert.Equal("OK", await TaskEndAsync(running.GetProperty("task").GetString()!));
        using var scope = App.Services.CreateScope();
        var form = await scope.ServiceProvider.GetRequiredService<VmLifecycleService>().GetFormAsync(new VmRef(114), Ct);
        var pending = Assert.Single(form.Pending);
        Assert.Equal(("memory", "8192", "12288"), (pending.Key, pending.Value, pending.Pending));
        Assert.True(form.OnBoot);

        var nothing = await op.PutAsJsonAsync("/api/v1/vms/114/config", new { onboot = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        var balloon = await BodyAsync(await op.PutAsJsonAsync("/api/v1/vms/114/config", new { memory = 2048, balloon = 4096 }, Ct));
        Assert.Equal("VALIDATION_ERROR", balloon.GetProperty("error").GetString());
        Assert.True(balloon.GetProperty("details").TryGetProperty("balloon", out _));
    }

    [Fact]
    public async Task Remove_ProtectedVm_IsRefusedWithPvesMessage_ThenRemovedOnceUnprotected()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var protect = await BodyAsync(await op.PutAsJsonAsync("/api/v1/vms/124/config", new { protection = true }, Ct));
        Assert.Equal("OK", await TaskEndAsync(protect.GetProperty("task").GetString()!));

        var refused = await op.DeleteAsync("/api/v1/vms/124?confirm=dev-db-01", Ct);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var error = await BodyAsync(refused);
        Assert.Equal("PROXMOX_ERROR", error.GetProperty("error").GetString());
        Assert.Equal("can't remove VM 124 - protection mode enabled", error.GetProperty("message").GetString());
        Assert.Equal("dev-db-01", (await Gateway.GetGuestConfigAsync("proxmox-03", 124, GuestType.Qemu, Ct))["name"]);
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "VM_DELETE" && !a.Success && a.Error == "can't remove VM 124 - protection mode enabled");

        var wrongName = await BodyAsync(await op.DeleteAsync("/api/v1/vms/124?confirm=dev-db-02", Ct));
        Assert.Contains("dev-db-01", wrongName.GetProperty("details").GetProperty("confirm").GetString());

        var unprotect = await BodyAsync(await op.PutAsJsonAsync("/api/v1/vms/124/config", new { protection = false }, Ct));
        Assert.Equal("OK", await TaskEndAsync(unprotect.GetProperty("task").GetString()!));
        var removed = await op.DeleteAsync("/api/v1/vms/124?confirm=dev-db-01", Ct);
        var body = await BodyAsync(removed);
        Assert.True(removed.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var upid = body.GetProperty("task").GetString()!;
        Assert.Matches("^UPID:proxmox-03:.*:qmdestroy:124:", upid);
        Assert.Equal("OK", await TaskEndAsync(upid));
        await MoxxieAppFactory.EventuallyAsync(async () => (await op.GetAsync("/api/v1/vms/124", Ct)).StatusCode, s => s == HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/v1/vms/124", Ct)).StatusCode);
        Assert.Contains(await App.AuditEntriesAsync(Ct), a => a.Operation == "VM_DELETE" && a.Success && a.Upid == upid);
    }
}
