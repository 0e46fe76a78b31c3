namespace Moxxie.Core.Storage;

/// <summary>PVE content types, their labels, and what may be uploaded.</summary>
public static class StorageContentKinds
{
    public const string Iso = "iso";
    public const string Template = "vztmpl";
    public const string Backup = "backup";
    public const string Images = "images";
    public const string RootDir = "rootdir";

    /// <summary>Tabs of the content browser, in order (images covers container volumes too).</summary>
    public static IReadOnlyList<string> Browsable { get; } = [Iso, Template, Backup, Images];

    public static string Label(string content) => content switch
    {
        Iso => "ISO images",
        Template => "Container templates",
        Backup => "Backups",
        Images => "Disk images",
        RootDir => "Container volumes",
        "snippets" => "Snippets",
        "import" => "Import",
        _ => content,
    };

    /// <summary>Which tab a volume belongs to (rootdir volumes show with disk images).</summary>
    public static string TabOf(string content) => content == RootDir ? Images : content;

    /// <summary>Extensions PVE accepts per upload content type (pve-manager's upload checks).</summary>
    public static IReadOnlyList<string> UploadExtensions(string content) => content switch
    {
        Iso => [".iso", ".img"],
        Template => [".tar.gz", ".tar.xz", ".tar.zst"],
        _ => [],
    };

    public static bool CanUpload(string content) => content is Iso or Template;

    /// <summary>The content-browser tabs a storage has, in <see cref="Browsable"/> order (disk images also for rootdir-only storage).</summary>
    public static IReadOnlyList<string> TabsFor(StorageOverview storage) =>
        [.. Browsable.Where(t => storage.Supports(t) || (t == Images && storage.Supports(RootDir)))];

    /// <summary>What may be uploaded to the storage (iso and/or vztmpl, if it holds them and is enabled).</summary>
    public static IReadOnlyList<string> UploadableTo(StorageOverview storage) =>
        storage.Enabled ? [.. new[] { Iso, Template }.Where(storage.Supports)] : [];

    /// <summary>The file part of a volume for display: "iso/debian.iso" → "debian.iso", "vm-101-disk-0" stays.</summary>
    public static string DisplayName(Moxxie.Core.Proxmox.StorageContentItem item)
    {
        var volume = item.Volume;
        var slash = volume.LastIndexOf('/');
        return slash >= 0 ? volume[(slash + 1)..] : volume;
    }

    /// <summary>Browser accept attribute for an upload content type.</summary>
    public static string Accept(string content) => string.Join(',', UploadExtensions(content));
}
