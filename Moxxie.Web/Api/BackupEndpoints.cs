using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Backups;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Tasks;
using Moxxie.Core.Vms;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>The guide's "Backup Management": the backup list (storage and VM filters), the configuration stored in a backup,
/// backup now, protection, notes, delete, and per storage the retention policy and prune (dry run or run). Async actions
/// answer {task, message, estimatedDuration}; errors come from <see cref="ApiErrorMapping"/> (VALIDATION_ERROR per field,
/// 403, 404, 409 for a protected backup, PVE's message).</summary>
public static class BackupEndpoints
{
    public static RouteGroupBuilder MapBackupEndpoints(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTags("Backups");
        backups.MapGet("/", ListAsync).WithSummary("Backups on every backup storage, newest first. storage: one storage; vmId: one guest; connection: one connection.");
        backups.MapGet("/{storage}/{volume}/config", ConfigAsync)
            .WithSummary("The guest configuration stored in the backup (volume: the archive's file name); node: for storage local to each node.");
        backups.MapPut("/{storage}/{volume}/protection", ProtectionAsync).WithSummary("Protect ({\"protected\":true}) or unprotect a backup. Operators and Admins; audited.");
        backups.MapPut("/{storage}/{volume}/notes", NotesAsync).WithSummary("Replace a backup's notes ({\"notes\":\"…\"}; empty removes them). Operators and Admins; audited.");
        backups.MapDelete("/{storage}/{volume}", DeleteAsync).WithSummary("Delete a backup; 409 while it is protected. Operators and Admins; audited with the UPID.");

        api.MapGroup("/vms/{vmid:int}/backups").WithTags("Backups")
            .MapPost("/", BackupNowAsync)
            .WithSummary("Back up the VM now (vzdump): storage, mode snapshot|suspend|stop, compress zstd|lzo|gzip|none, notes, protected.");

        var storage = api.MapGroup("/storage/{storage}").WithTags("Backups");
        storage.MapGet("/retention", RetentionAsync).WithSummary("The storage's retention policy (prune-backups).");
        storage.MapPut("/retention", SetRetentionAsync).WithSummary("Set the storage's retention policy (keepLast … keepYearly, keepAll); no keep option removes it. Admins; audited.");
        storage.MapPost("/prune", PruneAsync)
            .WithSummary("Prune backups by the storage's policy (or the body's). dryRun=true lists what would be kept and removed; otherwise starts the prune (Operators and Admins; audited).");
        return api;
    }

    private static string? Name(string? connection) => string.IsNullOrWhiteSpace(connection) ? null : connection.Trim();

    private static BackupRef Ref(string storage, string volume, string? connection, string? node) =>
        new(Name(connection), storage, Uri.UnescapeDataString(volume), string.IsNullOrWhiteSpace(node) ? null : node.Trim());

    private static async Task<Ok<List<BackupEntryDto>>> ListAsync(string? storage, string? vmId, string? connection, BackupService backups, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        int? vmid = null;
        if (!string.IsNullOrWhiteSpace(vmId))
        {
            if (int.TryParse(vmId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 100 and <= 999_999_999) vmid = id;
            else errors["vmId"] = "Must be a VMID (a whole number from 100 to 999999999).";
        }
        ApiQuery.ThrowIfAny(errors);
        var list = await backups.ListAsync(new BackupQuery(Name(connection), string.IsNullOrWhiteSpace(storage) ? null : storage.Trim(), vmid), ct);
        return TypedResults.Ok(list.Items.Select(ToDto).ToList());
    }

    private static async Task<Ok<JsonObject>> ConfigAsync(string storage, string volume, string? connection, string? node, BackupService backups,
        CancellationToken ct)
    {
        var config = await backups.GetConfigAsync(Ref(storage, volume, connection, node), ct);
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in config) byKey[k] = v;
        return TypedResults.Ok(VmDetailEndpoints.Config(byKey));
    }

    private static async Task<Accepted<AsyncTaskResponse>> BackupNowAsync(int vmid, string? connection, BackupNowBody body, HttpContext http,
        BackupService backups, VmService vms)
    {
        var vm = new VmRef(vmid, Name(connection));
        var result = await backups.BackupNowAsync(ActorFactory.FromHttpContext(http), vm,
            new BackupNowRequest(body.Storage?.Trim(), body.Mode?.Trim() ?? "snapshot", body.Compress?.Trim() ?? "zstd", body.Notes, body.Protected ?? false),
            http.RequestAborted);
        var disk = vms.Find(vm)?.Guest.MaxDisk ?? 0;
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, EstimatedSeconds(disk)));
    }

    /// <summary>About 200 MiB/s of disk, between half a minute and an hour.</summary>
    public static int EstimatedSeconds(long diskBytes) => (int)Math.Clamp(diskBytes / (200.0 * 1024 * 1024), 30, 3600);

    private static async Task<Ok<BackupEntryDto>> ProtectionAsync(string storage, string volume, string? connection, string? node, ProtectionBody body,
        HttpContext http, BackupService backups)
    {
        if (body.Protected is not { } value) throw Moxxie.Core.Validation.ValidationException.For("protected", "Must be true or false.");
        var item = await backups.SetProtectedAsync(ActorFactory.FromHttpContext(http), Ref(storage, volume, connection, node), value, http.RequestAborted);
        return TypedResults.Ok(ToDto(item));
    }

    private static async Task<Ok<BackupEntryDto>> NotesAsync(string storage, string volume, string? connection, string? node, NotesBody body,
        HttpContext http, BackupService backups)
    {
        var item = await backups.SetNotesAsync(ActorFactory.FromHttpContext(http), Ref(storage, volume, connection, node), body.Notes, http.RequestAborted);
        return TypedResults.Ok(ToDto(item));
    }

    private static async Task<Accepted<AsyncTaskResponse>> DeleteAsync(string storage, string volume, string? connection, string? node, HttpContext http,
        BackupService backups)
    {
        var result = await backups.DeleteAsync(ActorFactory.FromHttpContext(http), Ref(storage, volume, connection, node), http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, 5));
    }

    private static async Task<Ok<RetentionDto>> RetentionAsync(string storage, string? connection, BackupService backups, CancellationToken ct) =>
        TypedResults.Ok(RetentionDto.From(await backups.RequireStorageAsync(Name(connection), storage, ct)));

    private static async Task<Ok<RetentionDto>> SetRetentionAsync(string storage, string? connection, RetentionBody body, HttpContext http,
        BackupService backups)
    {
        var saved = await backups.SetRetentionAsync(ActorFactory.FromHttpContext(http), Name(connection), storage, body.ToPolicy(), http.RequestAborted);
        return TypedResults.Ok(RetentionDto.From(saved));
    }

    private static async Task<Results<Ok<PrunePreviewDto>, Accepted<PruneStartedDto>>> PruneAsync(string storage, string? connection, string? dryRun,
        string? vmId, HttpContext http, BackupService backups)
    {
        var errors = new Dictionary<string, string>();
        var dry = StorageEndpoints.Bool(dryRun, "dryRun", errors) ?? false;
        int? vmid = null;
        if (!string.IsNullOrWhiteSpace(vmId))
        {
            if (int.TryParse(vmId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 100) vmid = id;
            else errors["vmId"] = "Must be a VMID (a whole number from 100).";
        }
        RetentionPolicy? policy = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                policy = (await http.Request.ReadFromJsonAsync<RetentionBody>(http.RequestAborted))?.ToPolicy();
            }
            catch (System.Text.Json.JsonException ex)
            {
                errors["body"] = "Not a retention policy: " + ex.Message;
            }
        }
        ApiQuery.ThrowIfAny(errors);
        if (dry)
        {
            var preview = await backups.PreviewPruneAsync(Name(connection), storage, policy, vmid, http.RequestAborted);
            return TypedResults.Ok(new PrunePreviewDto(preview.Storage, preview.Connection, preview.Policy?.ToString(), preview.Removed, preview.Kept,
                [.. preview.Lines.Select(l => new PruneEntryDto(l.Entry.VolId, l.Entry.VmId, l.Entry.Type, l.Entry.Created?.ToUnixTimeSeconds(), l.Entry.Mark, l.Node))]));
        }
        var result = await backups.PruneAsync(ActorFactory.FromHttpContext(http), Name(connection), storage, policy, vmid, http.RequestAborted);
        var upids = result.Tasks.Select(t => t.Upid).ToList();
        return TypedResults.Accepted((string?)null, new PruneStartedDto(upids.FirstOrDefault() ?? "", upids,
            $"Prune of {result.Storage} started on {string.Join(", ", result.Tasks.Select(t => t.Node))}", 10));
    }

    public static BackupEntryDto ToDto(BackupItem b)
    {
        BackupVerificationDto? verification = null;
        if (b.Content.VerificationState is { } state)
            verification = new BackupVerificationDto(state, b.Content.VerificationUpid,
                Upid.TryParse(b.Content.VerificationUpid, out var upid) ? upid.StartTime.ToUnixTimeSeconds() : null);
        return new BackupEntryDto(b.VolId, b.Content.Content, b.Created?.ToUnixTimeSeconds(), b.Format, b.Size, b.VmId, b.Notes, b.Protected, verification,
            b.Storage, b.Node, b.Connection, b.VmName, b.GuestType);
    }
}

public sealed record BackupNowBody(
    [property: JsonPropertyName("storage")] string? Storage,
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("compress")] string? Compress,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("protected")] bool? Protected);

public sealed record ProtectionBody([property: JsonPropertyName("protected")] bool? Protected);

public sealed record NotesBody([property: JsonPropertyName("notes")] string? Notes);

/// <summary>A retention policy as the API names it (null or 0 = not set).</summary>
public sealed record RetentionBody(
    [property: JsonPropertyName("keepLast")] int? KeepLast,
    [property: JsonPropertyName("keepHourly")] int? KeepHourly,
    [property: JsonPropertyName("keepDaily")] int? KeepDaily,
    [property: JsonPropertyName("keepWeekly")] int? KeepWeekly,
    [property: JsonPropertyName("keepMonthly")] int? KeepMonthly,
    [property: JsonPropertyName("keepYearly")] int? KeepYearly,
    [property: JsonPropertyName("keepAll")] bool? KeepAll)
{
    public RetentionPolicy ToPolicy() => new(Set(KeepLast), Set(KeepHourly), Set(KeepDaily), Set(KeepWeekly), Set(KeepMonthly), Set(KeepYearly), KeepAll ?? false);

    private static int? Set(int? value) => value is 0 ? null : value;
}

public sealed record RetentionDto(
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("pruneBackups")] string? PruneBackups,
    [property: JsonPropertyName("keepLast")] int? KeepLast,
    [property: JsonPropertyName("keepHourly")] int? KeepHourly,
    [property: JsonPropertyName("keepDaily")] int? KeepDaily,
    [property: JsonPropertyName("keepWeekly")] int? KeepWeekly,
    [property: JsonPropertyName("keepMonthly")] int? KeepMonthly,
    [property: JsonPropertyName("keepYearly")] int? KeepYearly,
    [property: JsonPropertyName("keepAll")] bool KeepAll)
{
    public static RetentionDto From(BackupStorage s)
    {
        var p = s.Retention;
        return new RetentionDto(s.Storage, s.Connection, p?.ToString(), p?.KeepLast, p?.KeepHourly, p?.KeepDaily, p?.KeepWeekly, p?.KeepMonthly,
            p?.KeepYearly, p?.KeepAll ?? false);
    }
}

/// <summary>The guide's backup entry (volid, content, ctime, format, size, vmid, notes, protected, verification) plus where it is.</summary>
public sealed record BackupEntryDto(
    [property: JsonPropertyName("volid")] string VolId,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("ctime")] long? CTime,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("vmid")] int? VmId,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("protected")] bool Protected,
    [property: JsonPropertyName("verification"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BackupVerificationDto? Verification,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("vmName"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? VmName,
    [property: JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type);

public sealed record BackupVerificationDto(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("upid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Upid,
    [property: JsonPropertyName("lastVerified"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastVerified);

public sealed record PrunePreviewDto(
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("pruneBackups")] string? PruneBackups,
    [property: JsonPropertyName("removed")] int Removed,
    [property: JsonPropertyName("kept")] int Kept,
    [property: JsonPropertyName("entries")] IReadOnlyList<PruneEntryDto> Entries);

public sealed record PruneEntryDto(
    [property: JsonPropertyName("volid")] string VolId,
    [property: JsonPropertyName("vmid")] int? VmId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("ctime")] long? CTime,
    [property: JsonPropertyName("mark")] string Mark,
    [property: JsonPropertyName("node")] string Node);

/// <summary>The async shape plus every UPID (storage local to each node is pruned on each node).</summary>
public sealed record PruneStartedDto(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("tasks")] IReadOnlyList<string> Tasks,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("estimatedDuration")] int EstimatedDuration);
