using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Proxmox;
using Moxxie.Core.VmDetail;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Api;

/// <summary>GET /api/v1/vms/{id}/detail: the guide's "Get VM Details with Config" ({vm, config, snapshots, backups}).</summary>
public static class VmDetailEndpoints
{
    /// <summary>Config keys whose values stay strings even when they look like numbers.</summary>
    private static readonly HashSet<string> StringKeys = new(StringComparer.Ordinal)
    {
        "name", "hostname", "description", "tags", "digest", "vmgenid", "smbios1", "meta", "lock", "parent", "ciuser", "cipassword",
        "searchdomain", "nameserver", "sshkeys", "boot", "bootdisk", "cpu", "args", "affinity",
    };

    public static RouteGroupBuilder MapVmDetailEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/vms").WithTags("VMs")
            .MapGet("/{vmid:int}/detail", GetAsync)
            .WithSummary("A guest with its config (as PVE stores it), snapshots and backups; 404 when no connection has it.");
        return api;
    }

    private static async Task<Results<Ok<VmDetailResponse>, JsonHttpResult<ApiError>>> GetAsync(int vmid, string? connection, VmDetailService details,
        TimeProvider time, CancellationToken ct)
    {
        var name = string.IsNullOrWhiteSpace(connection) ? null : connection.Trim();
        var detail = await details.GetDetailAsync(new VmRef(vmid, name), ct);
        if (detail is null)
            return ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound,
                name is null ? $"VM {vmid} not found." : $"VM {vmid} not found on connection '{name}'.");
        return TypedResults.Ok(new VmDetailResponse(
            VmEndpoints.ToDto(detail.Vm),
            Config(detail.Config),
            [.. detail.Snapshots.Select(s => new SnapshotDto(s.Name, s.Time?.ToUnixTimeSeconds(), s.Description, s.Parent, s.VmState))],
            [.. detail.Backups.Select(b => new BackupDto(b.VolId, b.Content, b.Created?.ToUnixTimeSeconds(), b.Format, b.Size, b.Notes, b.Protected,
                b.VerificationState is { } state ? new VerificationDto(state) : null))],
            detail.Warnings.Count > 0 ? detail.Warnings : null));
    }

    /// <summary>PVE's config with integers as numbers (cores: 4, onboot: 1), as PVE itself sends them; everything else strings.</summary>
    public static JsonObject Config(IReadOnlyDictionary<string, string> raw)
    {
        var config = new JsonObject();
        foreach (var (key, value) in raw.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!StringKeys.Contains(key) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && number.ToString(CultureInfo.InvariantCulture) == value)
                config[key] = number;
            else
                config[key] = value;
        }
        return config;
    }
}

public sealed record VmDetailResponse(
    [property: JsonPropertyName("vm")] VmDto Vm,
    [property: JsonPropertyName("config")] JsonObject Config,
    [property: JsonPropertyName("snapshots")] IReadOnlyList<SnapshotDto> Snapshots,
    [property: JsonPropertyName("backups")] IReadOnlyList<BackupDto> Backups,
    [property: JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IReadOnlyList<string>? Warnings);

public sealed record SnapshotDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("snaptime")] long? SnapTime,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("vmstate")] bool VmState);

public sealed record BackupDto(
    [property: JsonPropertyName("volid")] string VolId,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("ctime")] long? CTime,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("protected")] bool Protected,
    [property: JsonPropertyName("verification")] VerificationDto? Verification);

public sealed record VerificationDto([property: JsonPropertyName("state")] string State);
