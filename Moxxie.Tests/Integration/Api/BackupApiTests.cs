using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Api;

/// <summary>App (PostgreSQL) + its own simulator for the backup API: the tests change backups and retention policies.</summary>
public sealed class BackupAppFixture : IAsyncLifetime
{
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions { Provider = DbProvider.Postgres },
        TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>The guide's "Backup Management" API over the simulator (HTTPS, Moxxie's own PVE client) with PostgreSQL: the list
/// in the guide's shape with storage/VM filters, backup now → task → the new backup listed → its config is the VM's,
/// protection, notes, delete refused while protected (409, PVE's words) and accepted otherwise, retention policy
/// written to the storage's prune-backups, prune dry run and run; VALIDATION_ERROR per field, 404, 403; audit rows with UPIDs.</summary>
public sealed class BackupApiTests(BackupAppFixture fixture) : IClassFixture<BackupAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MoxxieAppFactory App => fixture.App;

    private Task<HttpClient> ClientAsync(string role) => AppSession.ApiClientAsync(App, "bk" + role.ToLowerInvariant(), role);

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string query) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/backups" + query, Ct)).EnumerateArray()];

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return body;
    }

    private async Task<string?> TaskEndAsync(string upid)
    {
        var gateway = App.Services.GetRequiredService<IProxmoxConnections>().Get("production-cluster");
        var task = await MoxxieAppFactory.EventuallyAsync(() => gateway.GetTaskStatusAsync(upid.Split(':')[1], upid, Ct), t => !t.Running, TimeSpan.FromSeconds(60));
        Assert.False(task.Running, upid);
        return task.ExitStatus;
    }

    private static string File(JsonElement backup) => backup.GetProperty("volid").GetString()!.Split('/')[^1];

    [Fact]
    public async Task List_HasTheGuidesShape_AndFiltersByStorageAndVm()
    {
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);

        var all = await ListAsync(viewer, "");
        Assert.Contains(all, b => b.GetProperty("storage").GetString() == "backup-nas");
        var one = (await ListAsync(viewer, "?storage=backup-nas&vmId=101"));
        Assert.Equal(3, one.Count);
        Assert.All(one, b => Assert.Equal((101, "backup-nas"), (b.GetProperty("vmid").GetInt32(), b.GetProperty("storage").GetString())));
        var first = one[0];
        Assert.Matches("^backup-nas:backup/vzdump-qemu-101-\\d{4}_\\d\\d_\\d\\d-\\d\\d_\\d\\d_\\d\\d\\.vma\\.zst$", first.GetProperty("volid").GetString());
        Assert.Equal(("backup", "vma.zst", "web-server-01"), (first.GetProperty("content").GetString(), first.GetProperty("format").GetString(), first.GetProperty("vmName").GetString()));
        Assert.True(first.GetProperty("size").GetInt64() > 0);
        Assert.True(first.GetProperty("ctime").GetInt64() > one[1].GetProperty("ctime").GetInt64(), "newest first");
        Assert.Equal(JsonValueKind.False, first.GetProperty("protected").ValueKind);
        Assert.Equal("web-server-01", first.GetProperty("notes").GetString());

        var bad = await viewer.GetAsync("/api/v1/backups?vmId=abc", Ct);
        var error = await BodyAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("error").GetString());
        Assert.True(error.GetProperty("details").TryGetProperty("vmId", out _));
        await BodyAsync(await viewer.GetAsync("/api/v1/backups?storage=nope", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BackupNow_StartsVzdump_TheBackupIsListed_WithTheVmsConfig_AndTheAuditHasTheUpid()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        var before = (await ListAsync(op, "?storage=backup-nas&vmId=103")).Select(b => b.GetProperty("volid").GetString()).ToHashSet();

        var started = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms/103/backups",
            new { storage = "backup-nas", mode = "snapshot", compress = "zstd", notes = "Before upgrade\nticket 42", @protected = true }, Ct), HttpStatusCode.Accepted);
        var upid = started.GetProperty("task").GetString()!;
        Assert.Matches("^UPID:proxmox-01:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzdump:103:", upid);
        Assert.Contains("web-server-03", started.GetProperty("message").GetString());
        Assert.True(started.GetProperty("estimatedDuration").GetInt32() >= 30);
        Assert.Equal("OK", await TaskEndAsync(upid));

        var added = Assert.Single(await ListAsync(op, "?storage=backup-nas&vmId=103"), b => !before.Contains(b.GetProperty("volid").GetString()));
        Assert.Equal("Before upgrade\nticket 42", added.GetProperty("notes").GetString());
        Assert.True(added.GetProperty("protected").GetBoolean());

        var config = await BodyAsync(await op.GetAsync($"/api/v1/backups/backup-nas/{File(added)}/config", Ct), HttpStatusCode.OK);
        Assert.Equal("web-server-03", config.GetProperty("name").GetString());
        Assert.Equal(2, config.GetProperty("cores").GetInt32());
        Assert.Equal(4096, config.GetProperty("memory").GetInt32());
        Assert.StartsWith("virtio=", config.GetProperty("net0").GetString());

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "BACKUP_CREATE" && a.Success && a.Upid == upid && a.ResourceId == "103");
    }

    [Fact]
    public async Task BackupNow_WithAnIdempotencyKey_SentTwice_StartsOneVzdump_AndAnswersTheSameTask()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        long VzdumpPosts() => App.Simulator.Control.ApiRequestsMatching("POST nodes/*/vzdump");
        var before = VzdumpPosts();
        var key = Guid.NewGuid().ToString();
        async Task<string> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vms/107/backups") { Content = JsonContent.Create(new { storage = "backup-nas", notes = "once" }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await op.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
            return text;
        }

        var first = await PostAsync();
        var second = await PostAsync();

        Assert.Equal(first, second);
        Assert.Equal(before + 1, VzdumpPosts());
        Assert.Single(await App.AuditEntriesAsync(Ct), a => a.Operation == "BACKUP_CREATE" && a.ResourceId == "107");
    }

    [Fact]
    public async Task BackupNow_Validation_IsPerField_UnknownVmIs404_ViewerIs403()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);

        var bad = await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms/101/backups",
            new { storage = "local-zfs", mode = "hibernate", compress = "bzip2", notes = "{{hostname}}" }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("VALIDATION_ERROR", bad.GetProperty("error").GetString());
        Assert.Equal(["compress", "mode", "notes", "storage"], bad.GetProperty("details").EnumerateObject().Select(p => p.Name).Order());

        await BodyAsync(await op.PostAsJsonAsync("/api/v1/vms/99999/backups", new { storage = "backup-nas" }, Ct), HttpStatusCode.NotFound);
        var forbidden = await BodyAsync(await viewer.PostAsJsonAsync("/api/v1/vms/101/backups", new { storage = "backup-nas" }, Ct), HttpStatusCode.Forbidden);
        Assert.Equal("FORBIDDEN", forbidden.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Protection_Notes_AndDelete_RefusedWhileProtected_ThenAccepted()
    {
        using var op = await ClientAsync(MoxxieRoles.Operator);
        using var viewer = await ClientAsync(MoxxieRoles.Viewer);
        var backup = (await ListAsync(op, "?storage=backup-nas&vmId=105")).First(b => !b.GetProperty("protected").GetBoolean());
        var file = File(backup);

        await BodyAsync(await viewer.PutAsJsonAsync($"/api/v1/backups/backup-nas/{file}/protection", new { @protected = true }, Ct), HttpStatusCode.Forbidden);
        var missing = await BodyAsync(await op.PutAsJsonAsync($"/api/v1/backups/backup-nas/{file}/protection", new { }, Ct), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("details").TryGetProperty("protected", out _));

        var protectedNow = await BodyAsync(await op.PutAsJsonAsync($"/api/v1/backups/backup-nas/{file}/protection", new { @protected = true }, Ct), HttpStatusCode.OK);
        Assert.True(protectedNow.GetProperty("protected").GetBoolean());
        var noted = await BodyAsync(await op.PutAsJsonAsync($"/api/v1/backups/backup-nas/{file}/notes", new { notes = "keep for the audit" }, Ct), HttpStatusCode.OK);
        Assert.Equal("keep for the audit", noted.GetProperty("notes").GetString());
        var listed = (await ListAsync(op, "?storage=backup-nas&vmId=105")).Single(b => File(b) == file);
        Assert.Equal((true, "keep for the audit"), (listed.GetProperty("protected").GetBoolean(), listed.GetProperty("notes").GetString()));

        var refused = await BodyAsync(await op.DeleteAsync($"/api/v1/backups/backup-nas/{file}", Ct), HttpStatusCode.Conflict);
        Assert.Equal("CONFLICT", refused.GetProperty("error").GetString());
        Assert.Equal($"cannot remove protected volume 'backup/{file}' on 'backup-nas'", refused.GetProperty("message").GetString());

        await BodyAsync(await op.PutAsJsonAsync($"/api/v1/backups/backup-nas/{file}/protection", new { @protected = false }, Ct), HttpStatusCode.OK);
        var deleted = await BodyAsync(await op.DeleteAsync($"/api/v1/backups/backup-nas/{file}", Ct), HttpStatusCode.Accepted);
        var upid = deleted.GetProperty("task").GetString()!;
        Assert.Matches(":imgdel:105@backup-nas:", upid);
        Assert.Equal("OK", await TaskEndAsync(upid));
        Assert.DoesNotContain(await ListAsync(op, "?storage=backup-nas&vmId=105"), b => File(b) == file);
        await BodyAsync(await op.GetAsync($"/api/v1/backups/backup-nas/{file}/config", Ct), HttpStatusCode.NotFound);

        var audit = await App.AuditEntriesAsync(Ct);
        var volid = $"backup-nas:backup/{file}";
        Assert.Equal(["BACKUP_PROTECT", "BACKUP_NOTES", "BACKUP_DELETE", "BACKUP_UNPROTECT", "BACKUP_DELETE"],
            audit.Where(a => a.ResourceId == volid && a.User != null && a.User.StartsWith("bkoperator", StringComparison.Ordinal)).Select(a => a.Operation));
        Assert.Contains(audit, a => a.ResourceId == volid && a.Operation == "BACKUP_DELETE" && a.Success && a.Upid == upid);
        Assert.Contains(audit, a => a.ResourceId == volid && a.Operation == "BACKUP_DELETE" && !a.Success && a.Error!.Contains("protected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_IsWrittenToTheStorage_PreviewShowsWhatWouldGo_AndPruneRemovesIt()
    {
        using var admin = await ClientAsync(MoxxieRoles.Admin);
        using var op = await ClientAsync(MoxxieRoles.Operator);

        await BodyAsync(await op.PutAsJsonAsync("/api/v1/storage/local/retention", new { keepLast = 1 }, Ct), HttpStatusCode.Forbidden);
        var invalid = await BodyAsync(await admin.PutAsJsonAsync("/api/v1/storage/local/retention", new { keepLast = -1, keepDaily = 2, keepAll = true }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Equal(["keepAll", "keepLast"], invalid.GetProperty("details").EnumerateObject().Select(p => p.Name).Order());

        // A dry run with a draft policy does not change anything.
        var draft = await BodyAsync(await op.PostAsJsonAsync("/api/v1/storage/backup-nas/prune?dryRun=true&vmId=106", new { keepLast = 1 }, Ct), HttpStatusCode.OK);
        Assert.Equal("keep-last=1", draft.GetProperty("pruneBackups").GetString());
        Assert.Equal(3, draft.GetProperty("entries").GetArrayLength());
        Assert.Equal(1, draft.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("mark").GetString() == "keep"));

        var saved = await BodyAsync(await admin.PutAsJsonAsync("/api/v1/storage/backup-nas/retention", new { keepLast = 1, keepWeekly = 0 }, Ct), HttpStatusCode.OK);
        Assert.Equal(("keep-last=1", 1), (saved.GetProperty("pruneBackups").GetString(), saved.GetProperty("keepLast").GetInt32()));
        var gateway = App.Services.GetRequiredService<IProxmoxConnections>().Get("production-cluster");
        Assert.Equal("keep-last=1", (await gateway.GetStorageConfigAsync("backup-nas", Ct)).PruneBackups?.ToString());
        var read = await BodyAsync(await op.GetAsync("/api/v1/storage/backup-nas/retention", Ct), HttpStatusCode.OK);
        Assert.Equal("keep-last=1", read.GetProperty("pruneBackups").GetString());

        var preview = await BodyAsync(await op.PostAsync("/api/v1/storage/backup-nas/prune?dryRun=true&vmId=106", null, Ct), HttpStatusCode.OK);
        var doomed = preview.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("mark").GetString() == "remove")
            .Select(e => e.GetProperty("volid").GetString()).ToList();
        Assert.NotEmpty(doomed);
        Assert.Equal(doomed.Count, preview.GetProperty("removed").GetInt32());

        var run = await BodyAsync(await op.PostAsync("/api/v1/storage/backup-nas/prune?vmId=106", null, Ct), HttpStatusCode.Accepted);
        var upid = run.GetProperty("task").GetString()!;
        Assert.Matches(":prunebackups:106@backup-nas:", upid);
        Assert.Equal("OK", await TaskEndAsync(upid));
        var left = (await ListAsync(op, "?storage=backup-nas&vmId=106")).Select(b => b.GetProperty("volid").GetString()).ToList();
        Assert.DoesNotContain(left, v => doomed.Contains(v));
        Assert.NotEmpty(left);

        var audit = await App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, a => a.Operation == "STORAGE_RETENTION" && a.Success && a.ResourceId == "backup-nas");
        Assert.Contains(audit, a => a.Operation == "BACKUP_PRUNE" && a.Success && a.Upid == upid);
        Assert.Contains(audit, a => a.Operation == "STORAGE_RETENTION" && !a.Success && a.Error!.StartsWith("Forbidden", StringComparison.Ordinal));
    }
}
