using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Web.Components.Shared;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class SharedComponentTests
{
    [Theory]
    [InlineData("running", "success")]
    [InlineData("stopped", "neutral")]
    [InlineData("paused", "warning")]
    [InlineData("internal-error", "danger")]
    public async Task StatusChip_ColoursByStatus_AndExposesExactStatusText(string status, string variant)
    {
        var html = await ComponentHtml.RenderAsync<StatusChip>(new Dictionary<string, object?> { [nameof(StatusChip.Status)] = status });

        Assert.Contains($"class=\"mx-status mx-status--{variant}\"", html);
        Assert.Contains($"<span data-testid=\"vm-status\">{status}</span>", html);
    }

    [Theory]
    [InlineData(0.10, "normal", "10%")]
    [InlineData(0.6999, "normal", "70%")]
    [InlineData(0.70, "warning", "70%")]
    [InlineData(0.90, "warning", "90%")]
    [InlineData(0.905, "critical", "90.5%")]
    [InlineData(1.4, "critical", "100%")]
    public async Task UsageBar_IsGreenBelow70_YellowTo90_RedAbove(double fraction, string level, string width)
    {
        var html = await ComponentHtml.RenderAsync<UsageBar>(new Dictionary<string, object?>
        {
            [nameof(UsageBar.Fraction)] = fraction,
            [nameof(UsageBar.Label)] = "3.5 / 4.0 GB",
            [nameof(UsageBar.Tooltip)] = "exact values",
        });

        Assert.Contains($"mx-usage mx-usage--{level}", html);
        Assert.Contains($"style=\"width: {width}\"", html);
        Assert.Contains("role=\"progressbar\"", html);
        Assert.Contains("3.5 / 4.0 GB", html);
        Assert.Contains("title=\"exact values\"", html);
    }

    [Theory]
    [InlineData("env-prod", "#d32f2f", "environment")]
    [InlineData("env-dev", "#388e3c", "environment")]
    [InlineData("client-acme", "#1976d2", "client")]
    [InlineData("web-tier", "#00796b", "tier")]
    [InlineData("always-on", "#d32f2f", "criticality")]
    [InlineData("k8s-worker", "#7b1fa2", "kubernetes")]
    [InlineData("misc", "#616161", "other")]
    public async Task TagChip_ColoursByCategory(string tag, string color, string category)
    {
        var html = await ComponentHtml.RenderAsync<TagChip>(new Dictionary<string, object?> { [nameof(TagChip.Tag)] = tag });

        Assert.Contains($"--mx-tag-color: {color}", html);
        Assert.Contains($"data-category=\"{category}\"", html);
        Assert.Matches(new Regex($"<span[^>]*class=\"mx-tag\"[^>]*>{Regex.Escape(tag)}</span>"), html);
    }

    [Fact]
    public async Task TagChip_UsesTheCatalogueColourAndCategory_AndLinksWithACountBadge()
    {
        var palette = new Moxxie.Core.Tags.TagPalette();
        palette.Set([new Moxxie.Core.Tags.TagCatalogEntry { Name = "env-prod", Category = "stage", Color = "#00aa88", UpdatedBy = "t" }]);
        var html = await ComponentHtml.RenderAsync<TagChip>(new Dictionary<string, object?>
        {
            [nameof(TagChip.Tag)] = "ENV-PROD", [nameof(TagChip.Href)] = "tags/env-prod", [nameof(TagChip.Count)] = 7,
        }, s => s.AddSingleton(palette));
        var other = await ComponentHtml.RenderAsync<TagChip>(new Dictionary<string, object?> { [nameof(TagChip.Tag)] = "client-acme" }, s => s.AddSingleton(palette));

        Assert.Contains("--mx-tag-color: #00aa88", html);
        Assert.Contains("data-category=\"stage\"", html);
        Assert.Matches(new Regex("<a[^>]*class=\"mx-tag mx-tag--link\"[^>]*href=\"tags/env-prod\""), html);
        Assert.Matches(new Regex("<span class=\"mx-tag__count\"[^>]*>7</span>"), html);
        Assert.Contains("--mx-tag-color: #1976d2", other);   // not catalogued: the prefix suggestion
    }

    [Fact]
    public async Task ErrorAlert_ShowsTheMessage_AndNothingWithoutOne()
    {
        var shown = await ComponentHtml.RenderAsync<ErrorAlert>(new Dictionary<string, object?>
        {
            [nameof(ErrorAlert.Title)] = "Start of database-01 failed",
            [nameof(ErrorAlert.Message)] = "VM 102 is locked (backup)",
        });
        var hidden = await ComponentHtml.RenderAsync<ErrorAlert>(new Dictionary<string, object?>());

        Assert.Contains("VM 102 is locked (backup)", shown);
        Assert.Contains("role=\"alert\"", shown);
        Assert.Equal("", hidden.Trim());
    }
}
