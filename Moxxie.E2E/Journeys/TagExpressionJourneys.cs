using System.Text.RegularExpressions;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Issue 6: a tag expression drives the VM list — typed (validated as you type, Enter applies) or built with the
/// visual builder — and lives in the URL (?expr=), so a reload shows the same view. Counts come from the simulator's tags.</summary>
[Collection(JourneyCollection.Name)]
public sealed class TagExpressionJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private const string ProdNotAlwaysOn = "env-prod AND NOT always-on";

    private int Expected(Func<string[], bool> rule) =>
        Host.Simulator.Cluster.Guests.Count(g => rule(g.Tags.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public async Task Typed_expression_filters_the_list_lives_in_the_url_and_the_builder_gives_the_same_view()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            var expr = new TagExpressionFilterObject(Page);
            await vms.GotoAsync(UiTimeout);
            var all = Host.Simulator.Cluster.Guests.Count;
            var expected = Expected(t => t.Contains("env-prod") && !t.Contains("always-on"));
            Assert.InRange(expected, 1, Expected(t => t.Contains("env-prod")) - 1);   // the demo preset has both kinds
            await Expect(vms.Rows).ToHaveCountAsync(all);

            // Typed: an unfinished expression shows where it breaks; the list is not touched until Enter.
            await Expect(expr.Input).ToBeEditableAsync();   // read-only until the circuit is live (keystrokes are not waited for)
            await expr.Input.PressSequentiallyAsync("env-prod and not");
            await Expect(expr.Error).ToContainTextAsync("unexpected end of expression at 16, expected a tag, NOT or '('");
            await Expect(expr.Error).ToHaveAttributeAsync("data-position", "16");
            await Expect(vms.Rows).ToHaveCountAsync(all);
            await expr.Input.PressSequentiallyAsync(" always-on");
            await Expect(expr.Error).ToHaveCountAsync(0);
            await expr.Input.PressAsync("Enter");

            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]expr=env-prod(%20|\+)AND(%20|\+)NOT(%20|\+)always-on"));
            await Expect(vms.Rows).ToHaveCountAsync(expected);
            await Expect(expr.Input).ToHaveValueAsync(ProdNotAlwaysOn);
            foreach (var row in await vms.Rows.AllAsync())
            {
                var tags = await row.Locator(".mx-c-tags .mx-tag").AllTextContentsAsync();
                Assert.Contains("env-prod", tags);
                Assert.DoesNotContain("always-on", tags);
            }

            // The URL is the view: a reload shows the same rows and expression.
            var shared = Page.Url;
            await Page.ReloadAsync();
            await vms.WaitUntilLoadedAsync(UiTimeout);
            await Expect(vms.Rows).ToHaveCountAsync(expected);
            await Expect(expr.Input).ToHaveValueAsync(ProdNotAlwaysOn);

            // The builder shows the typed expression as a tree: env-prod, NOT always-on.
            await expr.BuilderToggle.ClickAsync();
            await Expect(expr.Conditions).ToHaveCountAsync(2);
            await Expect(expr.Conditions.Nth(0).GetByTestId("texpr-cond-tag")).ToHaveValueAsync("env-prod");
            await Expect(expr.Conditions.Nth(1).GetByTestId("texpr-cond-not")).ToBeCheckedAsync();
            await Expect(expr.Matches).ToHaveAttributeAsync("data-count", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // Cleared, then built with the builder: the same text, preview and list.
            await expr.Clear.ClickAsync();
            await Expect(Page).Not.ToHaveURLAsync(new Regex("expr="));
            await Expect(vms.Rows).ToHaveCountAsync(all);
            await Expect(expr.Conditions).ToHaveCountAsync(0);
            await expr.AddConditionAsync("env-prod");
            await Expect(expr.Input).ToHaveValueAsync("env-prod");
            await expr.AddConditionAsync("always-on", negated: true);
            await Expect(expr.Input).ToHaveValueAsync(ProdNotAlwaysOn);
            await Expect(expr.Matches).ToHaveTextAsync($"matches {expected} VMs");
            await Expect(expr.MatchList).ToHaveCountAsync(Math.Min(expected, 20));
            await expr.ShowInList.ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]expr=env-prod(%20|\+)AND(%20|\+)NOT(%20|\+)always-on"));
            await Expect(vms.Rows).ToHaveCountAsync(expected);
            Assert.Equal(shared, Page.Url);

            // Text → builder with a group and a wildcard: (env-prod OR env-staging) AND client-*.
            var clients = Expected(t => (t.Contains("env-prod") || t.Contains("env-staging")) && t.Any(x => x.StartsWith("client-", StringComparison.Ordinal)));
            await expr.Input.FillAsync("(env-prod OR env-staging) AND client-*");
            await Expect(expr.Groups).ToHaveCountAsync(2);
            await Expect(expr.Groups.Nth(1).GetByTestId("texpr-group-or")).ToHaveAttributeAsync("aria-checked", "true");
            await Expect(expr.Matches).ToHaveAttributeAsync("data-count", clients.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await expr.Input.PressAsync("Enter");
            await Expect(vms.Rows).ToHaveCountAsync(clients);

            // Saved: name it, clear the filter, apply it from the saved list, delete it (confirmed).
            var name = "Clients " + Guid.NewGuid().ToString("N")[..6];
            await Page.GetByTestId("saved-expression-start").ClickAsync();
            await Page.GetByTestId("saved-expression-name").FillAsync(name);
            await Page.GetByTestId("saved-expression-name").PressAsync("Enter");
            var saved = Page.Locator($"[data-testid=saved-expression][data-name=\"{name}\"]");
            await Expect(saved).ToHaveCountAsync(1);
            await expr.Clear.ClickAsync();
            await Expect(vms.Rows).ToHaveCountAsync(all);
            await saved.GetByTestId("saved-expression-apply").ClickAsync();
            await Expect(expr.Input).ToHaveValueAsync("(env-prod OR env-staging) AND client-*");
            await Expect(vms.Rows).ToHaveCountAsync(clients);
            await saved.GetByTestId("saved-expression-delete").ClickAsync();
            await Expect(vms.ConfirmationDialog).ToBeVisibleAsync();
            await vms.ConfirmButton.ClickAsync();
            await Expect(saved).ToHaveCountAsync(0);
        });
    }
}
