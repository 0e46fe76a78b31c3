using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Tags;

/// <summary>The tag catalogue: categories and colours kept in Moxxie's database, merged with the tags in use (counts from
/// the inventory). A tag without an entry gets the category and colour its prefix suggests (env-, client-, k8s-, …).
/// Operators and Admins create and edit entries (audited TAG_CREATE, TAG_UPDATE); Viewers are refused.</summary>
public sealed partial class TagCatalogService(IMoxxieDbFactory dbFactory, TagService tags, IAuditLog audit, TimeProvider time)
{
    public const int MaxCategoryLength = 50;

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
        var stored = (await db.TagCatalog.AsNoTracking().ToListAsync(ct)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var views = used.Select(t => stored.TryGetValue(t.Name, out var e)
                ? new TagCatalogView(t.Name, t.Count, e.Category, e.Color, true)
                : new TagCatalogView(t.Name, t.Count, t.CategoryName, t.Color, false))
            .Concat(stored.Values.Where(e => used.All(u => u.Name != e.Name)).Select(e => new TagCatalogView(e.Name, 0, e.Category, e.Color, true)));
        return [.. views.OrderByDescending(v => v.Count).ThenBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>Adds <paramref name="name"/> to the catalogue (category and colour default to the prefix suggestion).
    /// ValidationException (name, category, color) for an invalid or already catalogued tag.</summary>
    public async Task<TagCatalogView> CreateAsync(Actor actor, string? name, string? category, string? color, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "TAG_CREATE", name, started);
        var errors = new Dictionary<string, string>();
        if (TagOperationsService.TagError(name) is { } n) errors["name"] = n;
        var (cat, col) = Check(category, color, errors);
        var tag = (name ?? "").Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateAsync(ct);
        if (errors.Count == 0 && await db.TagCatalog.AnyAsync(e => e.Name == tag, ct)) errors["name"] = $"'{tag}' is already in the catalogue.";
        if (errors.Count > 0) throw new ValidationException("The tag was not created: " + string.Join(" ", errors.Values), errors);

        var entry = new TagCatalogEntry
        {
            Name = tag, Category = cat ?? TagCategories.Name(TagCategories.Of(tag)), Color = col ?? TagCategories.Color(tag),
            UpdatedAt = time.GetUtcNow(), UpdatedBy = actor.UserName,
        };
        db.TagCatalog.Add(entry);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(actor, "TAG_CREATE", "TAG", tag, true, time.GetElapsedTime(started),
            Details: new { name = tag, category = entry.Category, color = entry.Color }), CancellationToken.None);
        return new TagCatalogView(tag, CountOf(tag), entry.Category, entry.Color, true);
    }

    /// <summary>Sets the category and/or colour of <paramref name="name"/> (creating its entry when there is none).</summary>
    public async Task<TagCatalogView> UpdateAsync(Actor actor, string name, string? category, string? color, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "TAG_UPDATE", name, started);
        var errors = new Dictionary<string, string>();
        if (TagOperationsService.TagError(name) is { } n) errors["name"] = n;
        var (cat, col) = Check(category, color, errors);
        if (errors.Count == 0 && cat is null && col is null) errors["category"] = "Give a category or a colour.";
        if (errors.Count > 0) throw new ValidationException("The tag was not changed: " + string.Join(" ", errors.Values), errors);

        var tag = name.Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateAsync(ct);
        var entry = await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == tag, ct);
        if (entry is null)
        {
            entry = new TagCatalogEntry { Name = tag, Category = TagCategories.Name(TagCategories.Of(tag)), Color = TagCategories.Color(tag), UpdatedBy = actor.UserName };
            db.TagCatalog.Add(entry);
        }
        var previous = new { category = entry.Category, color = entry.Color };
        if (cat is not null) entry.Category = cat;
        if (col is not null) entry.Color = col;
        entry.UpdatedAt = time.GetUtcNow();
        entry.UpdatedBy = actor.UserName;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(actor, "TAG_UPDATE", "TAG", tag, true, time.GetElapsedTime(started),
            Details: new { name = tag, previous, category = entry.Category, color = entry.Color }), CancellationToken.None);
        return new TagCatalogView(tag, CountOf(tag), entry.Category, entry.Color, true);
    }

    /// <summary>After a rename across the VMs: the entry moves to the new name (unless the new name has its own).</summary>
    public async Task MoveAsync(string from, string to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var entry = await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == from, ct);
        if (entry is null) return;
        db.TagCatalog.Remove(entry);
        if (!await db.TagCatalog.AnyAsync(e => e.Name == to, ct))
            db.TagCatalog.Add(new TagCatalogEntry { Name = to, Category = entry.Category, Color = entry.Color, UpdatedAt = time.GetUtcNow(), UpdatedBy = entry.UpdatedBy });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>After a delete from every VM: the entry goes too.</summary>
    public async Task RemoveAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.TagCatalog.FirstOrDefaultAsync(e => e.Name == name, ct) is { } entry)
        {
            db.TagCatalog.Remove(entry);
            await db.SaveChangesAsync(ct);
        }
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
