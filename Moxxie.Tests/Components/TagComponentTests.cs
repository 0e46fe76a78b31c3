using System.Text.RegularExpressions;
using Moxxie.Core.Tags;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Web.Components.Pages.Tags;
using Moxxie.Web.Components.Pages.Vms;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>The tag screens' pieces: the builder's tag picker is Radzen's AutoComplete (an ARIA combobox, labelled, over the
/// tags in use), and the per-VM result table shows previous and current tags and PVE's message for a refused VM.</summary>
public sealed class TagComponentTests
{
    [Fact]
    public async Task Builder_tag_picker_is_a_labelled_combobox_with_the_current_pattern()
    {
        var html = await ComponentHtml.RenderAsync<TagQueryGroupEditor>(new Dictionary<string, object?>
        {
            [nameof(TagQueryGroupEditor.Node)] = TagQueryNode.Group(false, false, TagQueryNode.Condition("client-*")),
            [nameof(TagQueryGroupEditor.Tags)] = new[] { "client-acme", "env-prod" },
        });

        var input = Regex.Match(html, "<input[^>]*data-testid=\"texpr-cond-tag\"[^>]*>").Value;
        Assert.NotEmpty(input);
        Assert.Contains("role=\"combobox\"", input);
        Assert.Contains("aria-label=\"Tag\"", input);
        Assert.Contains("value=\"client-*\"", input);
        Assert.DoesNotContain("<datalist", html);
    }

    [Fact]
    public async Task Result_table_shows_each_vms_tags_before_and_after_and_pves_refusal()
    {
        var result = new TagBulkResult(2, 1, 1,
        [
            new TagChangeResult(101, "web-01", "c", "n1", true, true, ["env-prod"], ["env-prod", "web-tier"], null),
            new TagChangeResult(114, "db-01", "c", "n2", false, false, ["app-tier"], ["app-tier"], "VM is locked (backup)"),
        ]);
        var html = System.Net.WebUtility.HtmlDecode(await ComponentHtml.RenderAsync<TagResultsTable>(new Dictionary<string, object?> { [nameof(TagResultsTable.Result)] = result }));

        Assert.Contains("2 VMs selected · 1 changed · 1 failed", Regex.Replace(html, @"\s+", " "));
        Assert.Matches(new Regex("data-vmid=\"101\" data-success=\"true\".*?data-testid=\"tag-result-current\"[^>]*>.*?web-tier.*?Changed", RegexOptions.Singleline), html);
        Assert.Matches(new Regex("data-vmid=\"114\" data-success=\"false\".*?VM is locked \\(backup\\)", RegexOptions.Singleline), html);
    }
}
