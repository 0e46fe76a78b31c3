using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Tags;

/// <summary>The tag catalogue: categories and colours kept in Moxxie's database, merged with the tags in use (counts from
/// the inventory). A tag without an entry gets the category and colour its prefix suggests (env-, client-, k8s-, …).
/// Operators and Admins create and edit entries (audited TAG_CREATE, TAG_UPDATE); Viewers are refused. Keeps the shared
/// <see cref="TagPalette"/> (chip colours everywhere) in step with the stored entries.</summary>
public sealed partial class TagCatalogService(IMoxxieDbFactory dbFactory, TagService tags, IAuditLog audit, TimeProvider time, TagPalette? palette = null)
{
    public const int MaxCategoryLength = 50;
    public const int MaxDescriptionLength = 500;

    /// <summary>How many related tags <see cref="DetailsAsync"/> lists.</summary>
    public const int MaxRelated = 12;

    private readonly TagPalette _palette = palette ?? new TagPalette();

    /// <summary>Categories offered in forms (the prefix conventions); any other lower-case name may be used.</summary>
    public static IReadOnlyList<string> SuggestedCategories { get; } = [.. Enum.GetValues<TagCategory>().Select(TagCategories.Name)];

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColorRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9 _-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryRegex();

    /// <summary>Tags in use and catalogued tags not yet on any guest (count 0), most used first, then by name.</summary>
    public async Task<IReadOnlyList<TagCatalogView>> ListAsync(CancellationToken ct)
    {
        var used = tags.Summary();
        await using var db = await dbFactory.CreateAsync(ct);
        var entries = await db.TagCatalog.AsNoTracking().ToListAsync(ct);
        _palette.Set(entries);
        var stored = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var views = used.Select(t => stored.TryGetValue(t.Name, out var e)
                ? new TagCatalogView(t.Name, t.Count, e.Category, e.Color, true, e.Description)
                : new TagCatalogView(t.Name, t.Count, t.CategoryName, t.Color, false))
            .Concat(stored.Values.Where(e => used.All(u => u.Name != e.Name)).Select(e => new TagCatalogView(e.Name, 0, e.Category, e.Color, true, e.Description)));
        return [.. views.OrderByDescending(v => v.Count).ThenBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>Adds <paramref name="name"/> to the catalogue (category and colour default to the prefix suggestion).
    /// ValidationException (name, category, color) for an invalid or already catalogued tag.</summary>
    public async Task<TagCatalogView> CreateAsync(Actor actor, string? name, string? category, string? color, CancellationToken ct) =>
        await CreateAsync(actor, name, category, color, null, ct);

    /// <summary>As <see cref="CreateAsync(Actor, string?, string?, string?, CancellationToken)"/>, with a description.</summary>
    public async Task<TagCatalogView> CreateAsync(Actor actor, string? name, string? category, string? color, string? description, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "TAG_CREATE", name, started);
        var errors = new Dictionary<string, string>();
        if (TagOperationsService.TagError(name) is { } n) errors["name"] = n;
        var (cat, col) = Check(category, color, errors);
        var desc = CheckDescription(description, errors);
        var tag = (name ?? "").Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateAsync(ct);
        if (errors.Count == 0 && await db.TagCatalog.AnyAsync(e => e.Name == tag, ct)) errors["name"] = $"'{tag}' is already in the catalogue.";
        if (errors.Count > 0) throw new ValidationException("The tag was not created: " + string.Join(" ", errors.Values), errors);

        var entry = new TagCatalogEntry
        {
            Name = tag, Category = cat ?? TagCategories.Name(TagCategories.Of(tag)), Color = col ?? TagCategories.Color(tag),
            Description = string.IsNullOrEmpty(desc) ? null : desc, UpdatedAt = time.GetUtcNow(), UpdatedBy = actor.UserName,
        };
        db.TagCatalog.Add(entry);
        await db.SaveChangesAsync(ct);
        await ReloadPaletteAsync(db, ct);
        await audit.WriteAsync(new AuditRecord(actor, "TAG_CREATE", "TAG", tag, true, time.GetElapsedTime(started),
            Details: new { name = tag, category = entry.Category, color = entry.Color, description = entry.Description }), CancellationToken.None);
        return new TagCatalogView(tag, CountOf(tag), entry.Category, entry.Color, true, entry.Description);
    }

    /// <summary>Sets the category and/or colour of <paramref name="name"/> (creating its entry when there is none).</summary>
    public async Task<TagCatalogView> UpdateAsync(Actor actor, string name, string? category, string? color, CancellationToken ct) =>
        await UpdateAsync(actor, name, category, color, null, ct);

    /// <summary>As <see cref="UpdateAsync(Actor, string, string?, string?, CancellationToken)"/>; a non-null
    /// <paramref name="description"/> replaces the stored one (empty clears it).</summary>
    public async Task<TagCatalogView> UpdateAsync(Actor actor, string name, string? category, string? color, string? description, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "TAG_UPDATE", name, started);
        var errors = new Dictionary<string, string>();
        if (TagOperationsService.TagError(name) is { } n) errors["name"] = n;
        var (cat, col) = Check(category, color, errors);
        var desc = CheckDescription(description, errors);
        if (errors.Count == 0 && cat is null && col is null && desc is null) errors["category"] = "Give a category, a colour or a description.";
        if (errors.Count > 0) throw new ValidationException("The tag was not changed: " + string.Join(" ", errors.Values), errors);

        var tag = name.Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateAsync(ct);
        var entry = await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == tag, ct);
        if (entry is null)
        {
            entry = new TagCatalogEntry { Name = tag, Category = TagCategories.Name(TagCategories.Of(tag)), Color = TagCategories.Color(tag), UpdatedBy = actor.UserName };
            db.TagCatalog.Add(entry);
        }
        var previous = new { category = entry.Category, color = entry.Color, description = entry.Description };
        if (cat is not null) entry.Category = cat;
        if (col is not null) entry.Color = col;
        if (desc is not null) entry.Description = desc.Length == 0 ? null : desc;
        entry.UpdatedAt = time.GetUtcNow();
        entry.UpdatedBy = actor.UserName;
        await db.SaveChangesAsync(ct);
        await ReloadPaletteAsync(db, ct);
        await audit.WriteAsync(new AuditRecord(actor, "TAG_UPDATE", "TAG", tag, true, time.GetElapsedTime(started),
            Details: new { name = tag, previous, category = entry.Category, color = entry.Color, description = entry.Description }), CancellationToken.None);
        return new TagCatalogView(tag, CountOf(tag), entry.Category, entry.Color, true, entry.Description);
    }

    /// <summary>After a rename across the VMs: the entry moves to the new name (unless the new name has its own).</summary>
    public async Task MoveAsync(string from, string to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var entry = await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == from, ct);
        if (entry is null) return;
        db.TagCatalog.Remove(entry);
        if (!await db.TagCatalog.AnyAsync(e => e.Name == to, ct))
            db.TagCatalog.Add(new TagCatalogEntry
            {
                Name = to, Category = entry.Category, Color = entry.Color, Description = entry.Description, UpdatedAt = time.GetUtcNow(), UpdatedBy = entry.UpdatedBy,
            });
        await db.SaveChangesAsync(ct);
        await ReloadPaletteAsync(db, ct);
    }

    /// <summary>After a delete from every VM: the entry goes too.</summary>
    public async Task RemoveAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == name, ct) is { } entry)
        {
            db.TagCatalog.Remove(entry);
            await db.SaveChangesAsync(ct);
            await ReloadPaletteAsync(db, ct);
        }
    }

    /// <summary>Reads the catalogue into the shared <see cref="TagPalette"/> unless that was done already (pages showing
    /// tag chips call it once; catalogue writes keep it current afterwards).</summary>
    public async Task EnsurePaletteAsync(CancellationToken ct)
    {
        if (_palette.Loaded) return;
        await using var db = await dbFactory.CreateAsync(ct);
        await ReloadPaletteAsync(db, ct);
    }

    /// <summary>One tag: its catalogue view, the guests carrying it, their spread over statuses and nodes, and the tags
    /// found most often on the same guests. Null when no guest has the tag and the catalogue does not know it.</summary>
    public async Task<TagDetails?> DetailsAsync(string name, CancellationToken ct)
    {
        var tag = (name ?? "").Trim().ToLowerInvariant();
        if (tag.Length == 0) return null;
        var vms = tags.Carrying(tag);
        await using var db = await dbFactory.CreateAsync(ct);
        var entry = await db.TagCatalog.AsNoTracking().FirstOrDefaultAsync(e => e.Name == tag, ct);
        if (entry is null && vms.Count == 0) return null;
        var view = entry is null
            ? new TagCatalogView(tag, vms.Count, TagCategories.Name(TagCategories.Of(tag)), TagCategories.Color(tag), false)
            : new TagCatalogView(tag, vms.Count, entry.Category, entry.Color, true, entry.Description);
        var counts = tags.Summary().ToDictionary(t => t.Name, t => t.Count, StringComparer.Ordinal);
        var related = vms.SelectMany(v => v.Guest.Tags.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
            .Where(t => t != tag)
            .GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => new RelatedTag(g.Key, g.Count(), counts.GetValueOrDefault(g.Key, g.Count())))
            .OrderByDescending(r => r.Together).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(MaxRelated)
            .ToList();
        return new TagDetails(view, vms, Group(vms, v => v.Status), Group(vms, v => v.Node), related);
    }

    private static List<TagCount> Group(IReadOnlyList<Vms.VmView> vms, Func<Vms.VmView, string> key) =>
        [.. vms.GroupBy(key, StringComparer.OrdinalIgnoreCase).Select(g => new TagCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)];

    private async Task ReloadPaletteAsync(IMoxxieDb db, CancellationToken ct) =>
        _palette.Set(await db.TagCatalog.AsNoTracking().ToListAsync(ct));

    private static string? CheckDescription(string? description, Dictionary<string, string> errors)
    {
        if (description is null) return null;
        var d = description.Trim();
        if (d.Length > MaxDescriptionLength) errors["description"] = $"At most {MaxDescriptionLength} characters.";
        return d;
    }

    private static (string? Category, string? Color) Check(string? category, string? color, Dictionary<string, string> errors)
    {
        string? cat = null, col = null;
        if (category is not null)
        {
            cat = category.Trim().ToLowerInvariant();
            if (cat.Length == 0 || cat.Length > MaxCategoryLength || !CategoryRegex().IsMatch(cat))
                errors["category"] = $"1–{MaxCategoryLength} characters: lower-case letters, digits, spaces, '_' or '-' (e.g. {string.Join(", ", SuggestedCategories)}).";
        }
        if (color is not null)
        {
            col = color.Trim().ToLowerInvariant();
            if (!ColorRegex().IsMatch(col)) errors["color"] = "A hex colour such as #1976d2.";
        }
        return (cat, col);
    }

    private int CountOf(string tag) => tags.Summary().FirstOrDefault(t => t.Name == tag)?.Count ?? 0;

    private async Task RequireOperatorAsync(Actor actor, string operation, string? tag, long started)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.CanOperate) return;
        var message = $"{actor.UserName} may not change the tag catalogue (Viewer role).";
        await audit.WriteAsync(new AuditRecord(actor, operation, "TAG", tag?.Trim().ToLowerInvariant(), false, time.GetElapsedTime(started),
            Error: "Forbidden: " + message), CancellationToken.None);
        throw new ForbiddenException(message);
    }
}
