using Moxxie.Core.Tags;
using Radzen;

namespace Moxxie.Web.Components.Pages.Tags;

/// <summary>Opens the tag dialogs (shared by the Tags page and a tag's page); each answers what was saved or done, or null.</summary>
internal static class TagDialogs
{
    private static DialogOptions Options(string width = "560px") => new() { Width = width, CloseDialogOnEsc = true, ShowClose = true, AutoFocusFirstElement = true };

    public static async Task<TagCatalogView?> EditAsync(DialogService dialogs, TagCatalogView? existing, IReadOnlyList<string> knownCategories) =>
        await dialogs.OpenAsync<TagEditDialog>(existing is null ? "New tag" : $"Edit {existing.Name}",
            new Dictionary<string, object?> { [nameof(TagEditDialog.Existing)] = existing, [nameof(TagEditDialog.KnownCategories)] = knownCategories },
            Options()) as TagCatalogView;

    public static async Task<TagBulkResult?> RenameAsync(DialogService dialogs, string name, int affected) =>
        await dialogs.OpenAsync<TagRenameDialog>($"Rename {name}",
            new Dictionary<string, object?> { [nameof(TagRenameDialog.Name)] = name, [nameof(TagRenameDialog.Affected)] = affected },
            Options("720px")) as TagBulkResult;

    public static async Task<TagBulkResult?> DeleteAsync(DialogService dialogs, string name, int affected) =>
        await dialogs.OpenAsync<TagDeleteDialog>($"Delete {name}",
            new Dictionary<string, object?> { [nameof(TagDeleteDialog.Name)] = name, [nameof(TagDeleteDialog.Affected)] = affected },
            Options("720px")) as TagBulkResult;

    public static async Task<TagBulkResult?> BulkAsync(DialogService dialogs, string? expression, IReadOnlyList<string> knownTags) =>
        await dialogs.OpenAsync<TagBulkDialog>("Add or remove tags",
            new Dictionary<string, object?> { [nameof(TagBulkDialog.Expression)] = expression, [nameof(TagBulkDialog.KnownTags)] = knownTags },
            Options("820px")) as TagBulkResult;
}
