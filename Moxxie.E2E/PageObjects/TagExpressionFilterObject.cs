using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>The VM list's tag-expression filter: input [data-testid=tag-expression-input], error with data-position,
/// the builder (groups [data-testid=texpr-group], conditions [data-testid=texpr-condition]) and its preview.</summary>
public sealed class TagExpressionFilterObject(IPage page)
{
    public ILocator Input => page.GetByTestId("tag-expression-input");
    public ILocator Error => page.GetByTestId("tag-expression-error");
    public ILocator BuilderToggle => page.GetByTestId("tag-expression-builder-toggle");
    public ILocator Builder => page.GetByTestId("tag-expression-builder");
    public ILocator Clear => page.GetByTestId("tag-expression-clear");
    public ILocator Conditions => Builder.GetByTestId("texpr-condition");
    public ILocator RootGroup => Builder.GetByTestId("texpr-group").First;
    public ILocator Groups => Builder.GetByTestId("texpr-group");
    public ILocator Matches => page.GetByTestId("tag-expression-matches");
    public ILocator MatchList => page.GetByTestId("tag-expression-match-list").Locator("li[data-vmid]");
    public ILocator ShowInList => page.GetByTestId("tag-expression-builder-apply");

    /// <summary>Adds a tag condition to the root group: "+ Tag", type the tag, Tab (the change reaches the circuit).</summary>
    public async Task AddConditionAsync(string tag, bool negated = false)
    {
        var before = await Conditions.CountAsync();
        await RootGroup.GetByTestId("texpr-add-tag").Last.ClickAsync();
        await Assertions.Expect(Conditions).ToHaveCountAsync(before + 1);
        var condition = Conditions.Nth(before);
        await condition.GetByTestId("texpr-cond-tag").FillAsync(tag);
        await condition.GetByTestId("texpr-cond-tag").PressAsync("Tab");
        if (negated) await condition.GetByTestId("texpr-cond-not").CheckAsync();
    }
}
