using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Snapshots;
using Moxxie.Web.Components.Pages.VmDetail;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>The Snapshots tab: tree order and depth, the "current" marker, TTL badges and the details of the selected
/// snapshot (by default the one the VM runs on).</summary>
public sealed class SnapshotTreeComponentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static Snapshot Snap(string name, string? parent, int minutes, string? description = null, bool vmstate = false) =>
        new(name, parent, description, T0.AddMinutes(minutes), vmstate, false, null);

    [Fact]
    public async Task Tree_NestsChildren_MarksCurrent_ShowsTtlBadges_AndTheCurrentSnapshotsDetails()
    {
        var entries = new[]
        {
            new Snapshot("current", "upgrade", "You are here!", null, false, true, true),
            Snap("base", null, 0, "Initial setup"), Snap("upgrade", "base", 30, "Before upgrade (TTL: 1h)", vmstate: true), Snap("side", "base", 10),
        };
        var ttl = new SnapshotTtl { Connection = "prod", VmId = 101, SnapshotName = "upgrade", TtlHours = 1, CreatedBy = "o", CreatedAt = T0.AddMinutes(30), ExpiresAt = T0.AddMinutes(90) };
        var tree = SnapshotService.BuildTree(entries, [ttl], T0.AddMinutes(45), running: true);

        var html = await ComponentHtml.RenderAsync<VmSnapshotList>(new Dictionary<string, object?>
        {
            [nameof(VmSnapshotList.Tree)] = tree,
            [nameof(VmSnapshotList.Now)] = T0.AddMinutes(45),
        });

        var rows = Regex.Matches(html, "aria-level=\"(\\d)\"[^>]*data-testid=\"snapshot-row\" data-name=\"([^\"]+)\"").Select(m => (m.Groups[2].Value, m.Groups[1].Value)).ToList();
        Assert.Equal([("base", "1"), ("side", "2"), ("upgrade", "2")], rows);
        Assert.Single(Regex.Matches(html, "data-testid=\"snapshot-current\""));
        var badge = Regex.Match(html, "data-testid=\"snapshot-ttl\"[^>]*>\\s*([^<]+)<");
        Assert.Equal("TTL 45 min", badge.Groups[1].Value.Trim());
        var details = Regex.Match(html, "data-testid=\"snapshot-details\">(.*?)</dl>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("<dd>upgrade</dd>", details);
        Assert.Contains("<dd>Before upgrade</dd>", details);
        Assert.Contains("Included", details);
        Assert.Contains("1 h, 45 min left", details);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Actions_ShowOnlyToOperators(bool canOperate)
    {
        var tree = SnapshotService.BuildTree([new Snapshot("current", "base", "You are here!", null, false, true, true), Snap("base", null, 0)], [], T0, true);
        var html = await ComponentHtml.RenderAsync<VmSnapshotList>(new Dictionary<string, object?>
        {
            [nameof(VmSnapshotList.Tree)] = tree,
            [nameof(VmSnapshotList.Now)] = T0,
            [nameof(VmSnapshotList.CanOperate)] = canOperate,
        });
        Assert.Contains("snapshot-details", html);
        foreach (var id in new[] { "snapshot-rollback", "snapshot-rollback-start", "snapshot-delete", "snapshot-create" })
            Assert.Equal(canOperate, html.Contains($"data-testid=\"{id}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoSnapshots_ShowsTheEmptyState()
    {
        var html = await ComponentHtml.RenderAsync<VmSnapshotList>(new Dictionary<string, object?>
        {
            [nameof(VmSnapshotList.Tree)] = SnapshotService.BuildTree([new Snapshot("current", null, "You are here!", null, false, true, true)], [], T0, false),
            [nameof(VmSnapshotList.Now)] = T0,
        });
        Assert.Contains("No snapshots", html);
        Assert.DoesNotContain("snapshot-row", html);
    }

    [Fact]
    public async Task WhilePveCreatesASnapshot_TheTabShowsItsProgress_AndNewSnapshotWaits()
    {
        var html = await ComponentHtml.RenderAsync<VmSnapshotList>(new Dictionary<string, object?>
        {
            [nameof(VmSnapshotList.Tree)] = SnapshotService.BuildTree([new Snapshot("current", null, "You are here!", null, false, true, true)], [], T0, true),
            [nameof(VmSnapshotList.Now)] = T0,
            [nameof(VmSnapshotList.CanOperate)] = true,
            [nameof(VmSnapshotList.Pending)] = new VmSnapshotList.Progress("Creating snapshot nightly…", "UPID:pve:1", null, "saving VM state and RAM using storage 'local-lvm'"),
        });
        var at = html.IndexOf("data-testid=\"snapshot-progress\"", StringComparison.Ordinal);
        Assert.True(at > 0, html);
        var progress = html[at..];
        Assert.Contains("Creating snapshot nightly", progress);
        Assert.Contains("saving VM state and RAM", progress);
        Assert.Matches("<button[^>]*disabled[^>]*data-testid=\"snapshot-create\"|<button[^>]*data-testid=\"snapshot-create\"[^>]*disabled", html);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateDialog_OffersRamOnlyWhenItCanBeSaved_AndStaysQuietUntilTyping(bool canSaveRam)
    {
        var html = await ComponentHtml.RenderAsync<CreateSnapshotDialog>(new Dictionary<string, object?>
        {
            [nameof(CreateSnapshotDialog.ExistingNames)] = new[] { "base" },
            [nameof(CreateSnapshotDialog.CanSaveRam)] = canSaveRam,
            [nameof(CreateSnapshotDialog.RamUnavailable)] = "Only while the VM runs (it is stopped).",
            [nameof(CreateSnapshotDialog.Create)] = (Func<SnapshotCreate, Task<SnapshotActionResult>>)(_ => throw new InvalidOperationException("not sent")),
        });
        var ram = Regex.Match(html, "<input[^>]*data-testid=\"snapshot-create-ram\"[^>]*>").Value;
        Assert.Equal(!canSaveRam, ram.Contains("disabled", StringComparison.Ordinal));
        Assert.Equal(!canSaveRam, html.Contains("Only while the VM runs (it is stopped).", StringComparison.Ordinal));
        Assert.DoesNotContain("snap-name-error", html);   // untouched: no message yet
        Assert.Matches("<button[^>]*disabled[^>]*data-testid=\"snapshot-create-submit\"|<button[^>]*data-testid=\"snapshot-create-submit\"[^>]*disabled", html);
    }
}
