using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal sealed record NodeStorageDto(string? Storage, string? Type, string? Content, bool? Active, bool? Enabled, bool? Shared, long? Total,
    long? Used, long? Avail, [property: JsonPropertyName("used_fraction")] double? UsedFraction);

internal sealed record ContentDto(string? VolId, string? Content, string? Format, long? Size, long? Used, long? CTime, int? VmId, string? Subtype,
    string? Notes, bool? Protected, string? Parent, VerificationDto? Verification, string? Encrypted);

internal sealed record VerificationDto(string? State, string? Upid);

internal sealed record VolumeDto(string? Path, string? Format, long? Size, long? Used, string? Notes, bool? Protected);

internal sealed record PruneDto(string? VolId, int? VmId, string? Type, long? CTime, string? Mark);
