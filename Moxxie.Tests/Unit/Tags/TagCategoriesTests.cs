using Moxxie.Core.Tags;
using Xunit;

namespace Moxxie.Tests.Unit.Tags;

public sealed class TagCategoriesTests
{
    [Theory]
    [InlineData("env-prod", TagCategory.Environment)]
    [InlineData("ENV-Dev", TagCategory.Environment)]
    [InlineData("client-acme", TagCategory.Client)]
    [InlineData("web-tier", TagCategory.Tier)]
    [InlineData("tier-1", TagCategory.Tier)]
    [InlineData("always-on", TagCategory.Criticality)]
    [InlineData("k8s-worker", TagCategory.Kubernetes)]
    [InlineData("backup-daily", TagCategory.Other)]
    public void Of_ReadsTheConventionalPrefixes(string tag, TagCategory expected) => Assert.Equal(expected, TagCategories.Of(tag));

    [Fact]
    public void Colors_MatchTheGuidesTagSummary()
    {
        Assert.Equal("#d32f2f", TagCategories.Color("env-prod"));
        Assert.Equal("#388e3c", TagCategories.Color("env-dev"));
        Assert.Equal("#1976d2", TagCategories.Color("client-globex"));
        Assert.Equal("#d32f2f", TagCategories.Color("always-on"));
        Assert.Equal("#7b1fa2", TagCategories.Color("k8s-worker"));
        Assert.Equal("environment", TagCategories.Name(TagCategories.Of("env-prod")));
    }
}
