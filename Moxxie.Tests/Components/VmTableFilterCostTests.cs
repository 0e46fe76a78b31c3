using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Pages.Vms;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>
/// What a name filter costs the server and the wire on a page of 50 rows, measured with Blazor Server's own batch writer:
/// the bytes are deterministic (they do not depend on the machine's load), so they can bound the render.
/// </summary>
public sealed class VmTableFilterCostTests
{
    private static VmListRow Row(int i, string prefix) => new("dc1", 1000 + i, $"{prefix}-{i:0000}", $"pve-{i % 16:00}", GuestType.Qemu,
        "running", false, 0.05 + i % 90 / 100.0, 4, (long)(2.5 * (1L << 30)) + i * 1_000_000L, 4L << 30, 0, 32L << 30,
        1536 + i * 17, 307200 + i * 31, 432000 + i * 60, ["env-prod", $"client-{prefix}", "web-tier"], null, null,
        [.. Enumerable.Range(0, 20).Select(k => (i * 7 + k * 13) % 100 / 100.0)]);

    private static readonly string[] s_envs = ["env-prod", "env-staging", "env-dev"];
    private static readonly string[] s_clients = ["client-acme", "client-globex", "client-initech", "client-umbrella"];
    private static readonly string[] s_others = ["web-tier", "db-tier", "always-on", "backup-daily"];

    /// <summary>Rows as a large estate has them: one in five stopped, one to four tags, some containers, a lock now
    /// and then (the structure of a row changes with its status, so a filter also adds and removes cells' elements).</summary>
    private static VmListRow Mixed(int i, string prefix)
    {
        var running = i % 5 != 0;
        string[] tags = [.. new[] { s_envs[i % 3], s_clients[i * 7 % 4], s_others[i % 4], s_others[(i + 1) % 4] }.Take(1 + i * 3 % 4)];
        return new("dc1", 1000 + i, $"{prefix}-{i:0000}", $"dc1-pve{i % 16:00}", i % 7 == 0 ? GuestType.Lxc : GuestType.Qemu,
            running ? "running" : "stopped", false, running ? 0.02 + i * 37 % 97 / 100.0 : 0, 2 << (i % 3),
            running ? (1L << 30) + i * 37_000_000L : 0, 4L << 30, i % 7 == 0 ? (3L << 30) + i * 1_000_000L : 0, 32L << 30,
            running ? 900 + i * 131 % 50_000 : 0, running ? 300 + i * 977 % 900_000 : 0, running ? 3600 + i * 86_413 : 0, tags,
            i % 17 == 0 ? "backup" : null, null,
            running ? [.. Enumerable.Range(0, 20).Select(k => (i * 7 + k * 13) % 100 / 100.0)] : []);
    }

    /// <summary>The VM table rendered with <paramref name="rows"/> in the recorder; the harness changes its rows later.</summary>
    private static async Task<VmTableHarness> RenderHarnessAsync(RenderBatchRecorder renderer, VmListRow[] rows)
    {
        VmTableHarness? harness = null;
        await renderer.RenderRootAsync<VmTableHarness>(new Dictionary<string, object?>
        {
            [nameof(VmTableHarness.Rows)] = rows, [nameof(VmTableHarness.OnCreated)] = (Action<VmTableHarness>)(h => harness = h),
        });
        return harness!;
    }

    [Fact]
    public async Task A_name_filter_between_pages_of_mixed_rows_sends_a_small_batch()
    {
        var output = TestContext.Current.TestOutputHelper;
        var pageA = Enumerable.Range(0, 50).Select(i => Mixed(i, "web")).ToArray();
        var pageB = Enumerable.Range(51, 50).Select(i => Mixed(i, "db")).ToArray();
        await using var services = ComponentHtml.Services();
        await using var renderer = new RenderBatchRecorder(services);
        var harness = await RenderHarnessAsync(renderer, pageA);
        renderer.Clear();
        await renderer.Dispatcher.InvokeAsync(() => harness.Show(pageB));
        var bytes = renderer.Bytes;
        foreach (var (kind, count) in renderer.EditKinds.OrderByDescending(k => k.Value)) output?.WriteLine($"  {count,5} {kind}");
        output?.WriteLine($"filter (50 other mixed rows): {bytes / 1024.0:0.0} KiB, {renderer.ComponentsRendered} components rendered, {renderer.Edits.Count} edits");

        // 152 KiB before the cells were flattened, 115 KiB after.
        Assert.True(bytes < 128 * 1024, $"{bytes / 1024.0:0.0} KiB");
        // A row that changes between stopped and running (or gains a badge) gets elements, never static markup, which the
        // browser would insert through its HTML parser (37 markup insertions here before).
        Assert.False(renderer.EditKinds.ContainsKey("PrependFrame markup"), "markup frames inserted");
        // Running and stopped rows have the same cell elements: a swap between them changes texts and classes rather than
        // removing elements (178 removals before, 83 now: tag chips and badges that come and go).
        Assert.True(renderer.EditKinds.GetValueOrDefault("RemoveFrame ") < 120, $"{renderer.EditKinds.GetValueOrDefault("RemoveFrame ")} removals");
    }

    [Fact]
    public async Task With_15_rows_in_view_a_filter_renders_those_and_a_margin_and_scrolling_brings_the_others()
    {
        var output = TestContext.Current.TestOutputHelper;
        var pageA = Enumerable.Range(0, 50).Select(i => Mixed(i, "web")).ToArray();
        var pageB = Enumerable.Range(51, 50).Select(i => Mixed(i, "db")).ToArray();
        await using var services = ComponentHtml.Services();
        await using var renderer = new RenderBatchRecorder(services);
        var harness = await RenderHarnessAsync(renderer, pageA);
        Assert.Equal(50, renderer.Created("tr"));   // before the browser says what is in view: every row (as prerendered)

        // The browser: rows 0-14 in view (a 1440 × 900 window), 41 px each. The rows below the margin give way to a spacer.
        renderer.Clear();
        await renderer.Dispatcher.InvokeAsync(() => harness.Table!.SetViewport(0, 15, 41));
        var kept = 15 + VmTable.WindowMargin;   // at the top: the rows in view and the margin below them
        Assert.Equal(1, renderer.Created("tr"));   // the spacer
        Assert.True(renderer.Removed >= 50 - kept);
        renderer.Clear();
        var counter = services.GetRequiredService<VmRowRenderCounter>();
        var rowsBefore = counter.Count;
        await renderer.Dispatcher.InvokeAsync(() => harness.Show(pageB));
        var bytes = renderer.Bytes;
        Assert.Equal(kept, counter.Count - rowsBefore);   // the rows in view and the margin
        output?.WriteLine($"filter (50 other mixed rows, 15 in view): {bytes / 1024.0:0.0} KiB, {renderer.ComponentsRendered} components rendered, {renderer.Edits.Count} edits");

        // Scrolling within the margin renders nothing; past it, the rows now in view come in.
        renderer.Clear();
        await renderer.Dispatcher.InvokeAsync(() => harness.Table!.SetViewport(2, 15, 41));
        Assert.Equal(0, renderer.ComponentsRendered);
        await renderer.Dispatcher.InvokeAsync(() => harness.Table!.SetViewport(35, 15, 41));
        Assert.True(renderer.ComponentsRendered > 0);
        Assert.True(bytes < 64 * 1024, $"{bytes / 1024.0:0.0} KiB");
    }

    [Fact]
    public async Task A_name_filter_on_a_page_of_50_rows_sends_a_small_batch()
    {
        var output = TestContext.Current.TestOutputHelper;
        var pageA = Enumerable.Range(0, 50).Select(i => Row(i, "web")).ToArray();
        var pageB = Enumerable.Range(50, 50).Select(i => Row(i, "db")).ToArray();
        await using var services = ComponentHtml.Services();
        await using var renderer = new RenderBatchRecorder(services);
        var harness = await RenderHarnessAsync(renderer, pageA);
        output?.WriteLine($"first render: {renderer.Bytes / 1024.0:0.0} KiB, {renderer.ComponentsRendered} components");
        renderer.Clear();

        await renderer.Dispatcher.InvokeAsync(() => harness.Show(pageB));
        var bytes = renderer.Bytes;
        foreach (var (kind, count) in renderer.EditKinds.OrderByDescending(k => k.Value)) output?.WriteLine($"  {count,5} {kind}");
        output?.WriteLine($"filter (50 other rows): {bytes / 1024.0:0.0} KiB, {renderer.ComponentsRendered} components rendered, {renderer.Edits.Count} edits");

        // Server time of the same re-render (figures only: the machine is shared), median of 100 after 20 warm-up ones.
        var times = new List<double>();
        for (var i = 0; i < 120; i++)
        {
            var rows = i % 2 == 0 ? pageA : pageB;
            var started = Stopwatch.GetTimestamp();
            await renderer.Dispatcher.InvokeAsync(() => harness.Show(rows));
            if (i >= 20) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        output?.WriteLine($"server render + serialise per filter: median {times[times.Count / 2]:0.000} ms, fastest {times[0]:0.000} ms");

        // 136 KiB with a child component per cell and closures per handler (before the row was flattened); 120 KiB after;
        // 80 KiB with flat cells (level classes and tooltips on the cell, <progress> bars, labels by aria-labelledby).
        Assert.True(bytes < 96 * 1024, $"{bytes / 1024.0:0.0} KiB");
    }
}
