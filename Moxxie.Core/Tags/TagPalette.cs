namespace Moxxie.Core.Tags;

/// <summary>Singleton lookup of each tag's colour and category as the catalogue stores them, falling back to the prefix
/// suggestion (<see cref="TagCategories"/>) for tags without an entry. Every tag chip (VM list, VM detail, Tags pages)
/// reads it, so a colour edited in the catalogue shows everywhere. <see cref="TagCatalogService"/> fills it (first use,
/// and after every catalogue write).</summary>
public sealed class TagPalette
{
    private volatile IReadOnlyDictionary<string, Entry> _stored = new Dictionary<string, Entry>(StringComparer.Ordinal);
    private volatile bool _loaded;

    /// <summary>False until the catalogue was read once (chips use the prefix suggestion meanwhile).</summary>
    public bool Loaded => _loaded;

    /// <summary>Raised after <see cref="Set"/> replaced the entries.</summary>
    public event Action? Changed;

    /// <summary>Replaces the stored entries (the whole catalogue).</summary>
    public void Set(IEnumerable<TagCatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _stored = entries.GroupBy(e => e.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Entry(g.First().Category, g.First().Color, g.First().Description), StringComparer.Ordinal);
        _loaded = true;
        Changed?.Invoke();
    }

    public string ColorOf(string? tag) => Find(tag)?.Color ?? TagCategories.Color(tag ?? "");

    public string CategoryOf(string? tag) => Find(tag)?.Category ?? TagCategories.Name(TagCategories.Of(tag ?? ""));

    public string? DescriptionOf(string? tag) => Find(tag)?.Description;

    private Entry? Find(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null : _stored.GetValueOrDefault(tag.Trim().ToLowerInvariant());

    private sealed record Entry(string Category, string Color, string? Description);
}
