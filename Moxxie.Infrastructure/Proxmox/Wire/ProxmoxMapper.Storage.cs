using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal static partial class ProxmoxMapper
{
    public static NodeStorage ToNodeStorage(NodeStorageDto d, string? storage = null) =>
        new(d.Storage ?? storage ?? "", d.Type ?? "unknown", SplitList(d.Content), d.Active ?? false, d.Enabled ?? true, d.Shared ?? false,
            d.Total ?? 0, d.Used ?? 0, d.Avail ?? 0, d.UsedFraction);

    public static StorageConfig ToStorageConfig(IReadOnlyDictionary<string, string> p)
    {
        string? S(string k) => p.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        return new StorageConfig(S("storage") ?? "", S("type") ?? "unknown", SplitList(S("content")), SplitList(S("nodes")),
            PropertyString.ParseBool(S("shared")) ?? false, PropertyString.ParseBool(S("disable")) ?? false, S("path"), S("server"),
            RetentionPolicy.Parse(S("prune-backups")), S("digest"), p);
    }

    public static StorageContentItem ToContent(ContentDto d) =>
        new(d.VolId ?? "", d.Content ?? "", Empty(d.Format), d.Size ?? 0, d.Used, d.CTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null,
            d.VmId, Empty(d.Subtype), Empty(d.Notes), d.Protected ?? false, Empty(d.Parent), Empty(d.Verification?.State),
            d.Encrypted is null ? null : d.Encrypted is not ("" or "0"))
        { VerificationUpid = Empty(d.Verification?.Upid) };

    public static StorageVolumeInfo ToVolume(string volId, VolumeDto d) =>
        new(volId, Empty(d.Path), Empty(d.Format), d.Size ?? 0, d.Used, Empty(d.Notes), d.Protected ?? false);

    public static PruneEntry ToPrune(PruneDto d) =>
        new(d.VolId ?? "", d.VmId, d.Type ?? "", d.CTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null, d.Mark ?? "");

    public static BackupJob ToBackupJob(IReadOnlyDictionary<string, string> p)
    {
        string? S(string k) => p.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        bool? B(string k) => PropertyString.ParseBool(S(k));
        long? nextRun = long.TryParse(S("next-run"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        return new BackupJob(S("id") ?? "", B("enabled") ?? true, S("schedule") ?? S("starttime"), S("storage"), S("vmid"), B("all") ?? false,
            S("mode"), S("compress"), S("node"), S("pool"), S("comment"), S("notes-template"), S("mailnotification"),
            nextRun is { } r ? DateTimeOffset.FromUnixTimeSeconds(r) : null, Retention(S("prune-backups")), p);
    }

    /// <summary>prune-backups of a job: PVE answers it parsed ({"keep-last":3,…}); older answers and storage.cfg use "keep-last=3,…".</summary>
    private static RetentionPolicy? Retention(string? value)
    {
        if (value is null || !value.TrimStart().StartsWith('{')) return RetentionPolicy.Parse(value);
        using var doc = System.Text.Json.JsonDocument.Parse(value);
        return RetentionPolicy.Parse(string.Join(',', doc.RootElement.EnumerateObject().Select(e => $"{e.Name}={PveJson.ScalarText(e.Value)}")));
    }
}
