using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Pages.Vms;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class VmTableTests
{
    private static readonly VmListRow Web01 = new("production-cluster", 101, "web-server-01", "proxmox-01", GuestType.Qemu, "running", false,
        0.15234, 4, 3758096384, 4294967296, 21474836480, 53687091200, 1536, 307200, 432000, ["env-prod", "client-acme", "web-tier"], null, null,
        [0.10, 0.12, 0.20, 0.15]);

    private static readonly VmListRow Db01 = new("production-cluster", 102, "database-01", "proxmox-01", GuestType.Qemu, "stopped", false,
        0, 8, 0, 17179869184, 0, 107374182400, 0, 0, 0, [], null, null, []);

    private static readonly VmListRow Paused = new("production-cluster", 110, "batch-01", "proxmox-02", GuestType.Qemu, "paused", false,
        0, 2, 1073741824, 2147483648, 0, 10737418240, 0, 0, 600, [], null, null, []);

    private static readonly VmListRow Template = new("production-cluster", 9000, "ubuntu-24.04-template", "proxmox-03", GuestType.Qemu, "stopped", true,
        0, 2, 0, 2147483648, 0, 10737418240, 0, 0, 0, [], null, null, []);

    private static Task<string> RenderAsync(bool canOperate, params VmListRow[] rows) => RenderAsync(canOperate, VmListColumns.AllMask, rows);

    private static Task<string> RenderAsync(bool canOperate, int columns, params VmListRow[] rows) =>
        ComponentHtml.RenderAsync<VmTable>(new Dictionary<string, object?>
        {
            [nameof(VmTable.Rows)] = rows,
            [nameof(VmTable.CanOperate)] = canOperate,
            [nameof(VmTable.Columns)] = columns,
        });

    [Fact]
    public async Task Header_HasTheGuidesColumns_InOrder_WithSelectAllAndSortState()
    {
        var html = await RenderAsync(true, Web01);

        Assert.Contains("aria-label=\"Select all matching virtual machines\"", html);
        var titles = Regex.Matches(html, "<th class=\"mx-c-[a-z]+\" scope=\"col\" aria-sort=\"([a-z]+)\"><button[^>]*><span class=\"mx-sort__label\">([A-Za-z]+)<")
            .Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(["Status", "VMID", "Name", "Node", "CPU", "Memory", "Disk", "Network", "Uptime", "Tags"], titles);
        Assert.Contains("<th class=\"mx-c-vmid\" scope=\"col\" aria-sort=\"ascending\">", html);
        Assert.Contains("<th class=\"mx-c-name\" scope=\"col\" aria-sort=\"none\">", html);
        Assert.Contains("<span class=\"visually-hidden\">Actions</span>", html);
    }

    [Fact]
    public async Task Row_ShowsEveryValue_SelectionStatusLinkSparklineBarsRatesUptimeAndTagChips()
    {
        var html = await RenderAsync(true, Web01, Db01);

        Assert.Matches(new Regex("<tr data-vmid=\"101\" data-connection=\"production-cluster\" data-testid=\"vm-row\""), html);
        // The checkbox is named "Select {name}" from a hidden word and the name link (aria-labelledby, both ids of this row).
        Assert.Equal("Select web-server-01", AccessibleName(html, "<input type=\"checkbox\"[^>]*aria-labelledby=\"([^\"]+)\"[^>]*>", 101));
        Assert.Contains("<span class=\"mx-status mx-status--dot mx-status--success\" data-testid=\"vm-status\">running</span>", html);
        Assert.Contains("class=\"mx-status mx-status--dot mx-status--neutral\"", html);
        Assert.Matches(new Regex("<a id=\"[^\"]+\" href=\"vms/101\" class=\"mx-vm-name\" data-testid=\"vm-name\" title=\"web-server-01\">web-server-01</a>"), html);
        Assert.Contains("15 %", html);
        // One point per sample: x = index, y = 100 − percent, stretched over 48 × 16.
        Assert.Contains("<svg class=\"mx-sparkline\" viewBox=\"0 0 3 100\" width=\"48\" height=\"16\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><polyline points=\"0,90 1,88 2,80 3,85\"", html);
        Assert.Matches(new Regex("<progress class=\"mx-usage__bar\" max=\"100\" value=\"88\" aria-label=\"Memory\"></progress>3.5 / 4.0 GB"), html);
        Assert.Contains("3.5 / 4.0 GB", html);                  // memory 87.5 %: yellow
        Assert.Contains("20.0 / 50.0 GB", html);                // disk 40 %: green
        Assert.Matches(new Regex("↓ 1.5 KiB/s <br[^>]*>↑ 300.0 KiB/s"), System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("5d 0h", html);
        // Chips coloured by category: environment red, client blue, tier teal.
        Assert.Contains("style=\"--mx-tag-color: #d32f2f\" data-tag=\"env-prod\"", html);
        Assert.Contains("style=\"--mx-tag-color: #1976d2\" data-tag=\"client-acme\"", html);
        Assert.Contains("style=\"--mx-tag-color: #00796b\" data-tag=\"web-tier\"", html);
        // Three tags: the table shows two chips and "+1" (or one and "+2" when narrow; vmlist.css picks), all three
        // for the card view; the "+N" tooltip names every tag.
        var web = Regex.Match(html, "<tr data-vmid=\"101\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Matches(new Regex("<span class=\"mx-tag\" [^>]*>env-prod</span>"), web);
        Assert.Matches(new Regex("<span class=\"mx-tag mx-tag--second\" [^>]*>client-acme</span>"), web);
        Assert.Matches(new Regex("<span class=\"mx-tag mx-tag--extra\" [^>]*>web-tier</span>"), web);
        Assert.Matches(new Regex("<span class=\"mx-tag mx-tag--more mx-tag--more-of2\" title=\"All tags: env-prod, client-acme, web-tier\" tabindex=\"0\">(\\+|&#x2B;)1</span>"), web);
        Assert.Matches(new Regex("<span class=\"mx-tag mx-tag--more mx-tag--more-of1\" title=\"All tags: env-prod, client-acme, web-tier\" tabindex=\"0\">(\\+|&#x2B;)2</span>"), web);
        // A stopped VM shows its sizes but no live figures.
        var db = Regex.Match(html, "<tr data-vmid=\"102\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("16.0 GB", db);
        Assert.DoesNotContain("mx-sparkline", db);
        Assert.DoesNotContain("KiB/s", db);
    }

    [Theory]
    [InlineData(0.50, "normal")]
    [InlineData(0.80, "warning")]
    [InlineData(0.95, "critical")]
    public async Task UsageBars_AreGreenBelow70_YellowTo90_RedAbove(double fraction, string level)
    {
        var row = Web01 with { Mem = (long)(fraction * Web01.MaxMem), Disk = (long)(fraction * Web01.MaxDisk), Cpu = fraction };
        var html = await RenderAsync(true, row);

        Assert.Contains($"<td class=\"mx-c-mem mx-usage--{level}\"", html);
        Assert.Contains($"<td class=\"mx-c-disk mx-usage--{level}\"", html);
        Assert.Contains($"<td class=\"mx-c-cpu mx-cpu--{level}\"", html);
    }

    [Fact]
    public async Task Operators_GetThePrimaryActionAsButton_AndTheRestBehindAMenu()
    {
        var html = await RenderAsync(true, Web01, Db01, Paused);

        // Buttons named "{Action} {name}" through aria-labelledby (a hidden action word and the row's name link).
        Assert.Equal(["Shutdown web-server-01", "More actions for web-server-01"], ButtonNames(html, 101));
        Assert.Equal(["Start database-01", "More actions for database-01"], ButtonNames(html, 102));
        Assert.Equal(["Resume batch-01", "More actions for batch-01"], ButtonNames(html, 110));
        Assert.DoesNotContain("role=\"menu\"", html);   // rendered only while open
        Assert.DoesNotContain("Stop web-server-01", html);
    }

    [Fact]
    public async Task OpenMenu_ListsTheOtherActions_DisablingWhatTheStatusForbids_WithTheReason()
    {
        var html = await ComponentHtml.RenderAsync<VmTable>(new Dictionary<string, object?>
        {
            [nameof(VmTable.Rows)] = new[] { Web01 },
            [nameof(VmTable.CanOperate)] = true,
            [nameof(VmTable.OpenMenu)] = Web01.Key,
        });

        Assert.Contains("role=\"menu\" aria-label=\"Actions for web-server-01\"", html);
        Assert.Matches(new Regex("<button type=\"button\" role=\"menuitem\" class=\"mx-menu__item mx-menu__item--danger\" aria-label=\"Stop web-server-01\" title=\"Stop web-server-01\""), html);
        Assert.Matches(new Regex("aria-label=\"Reboot web-server-01\""), html);
        Assert.Matches(new Regex("aria-label=\"Start web-server-01\" title=\"Not possible while web-server-01 is running.\" disabled"), html);
        Assert.Contains("href=\"vms/101\"><span class=\"rzi\" aria-hidden=\"true\">open_in_new</span>Open details</a>", html);
    }

    [Fact]
    public async Task With_several_connections_the_name_and_the_menus_Open_details_both_name_the_rows_connection()
    {
        // VMID 101 exists on both clusters: without ?connection= the VM page would open the first connection's 101.
        var other = Web01 with { Connection = "dr site", Name = "web-dr-01" };
        var html = await ComponentHtml.RenderAsync<VmTable>(new Dictionary<string, object?>
        {
            [nameof(VmTable.Rows)] = new[] { Web01, other },
            [nameof(VmTable.CanOperate)] = true,
            [nameof(VmTable.MultiConnection)] = true,
            [nameof(VmTable.OpenMenu)] = other.Key,
        });

        var dr = Regex.Match(html, "<tr data-vmid=\"101\" data-connection=\"dr site\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("href=\"vms/101?connection=dr%20site\" class=\"mx-vm-name\"", dr);
        Assert.Contains("<a role=\"menuitem\" class=\"mx-menu__item\" href=\"vms/101?connection=dr%20site\"><span class=\"rzi\" aria-hidden=\"true\">open_in_new</span>Open details</a>", dr);
        var prod = Regex.Match(html, "<tr data-vmid=\"101\" data-connection=\"production-cluster\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("href=\"vms/101?connection=production-cluster\" class=\"mx-vm-name\"", prod);
    }

    [Fact]
    public async Task Viewers_GetNoActionsAtAll()
    {
        var html = await RenderAsync(false, Web01, Db01, Paused);

        Assert.Contains("web-server-01", html);
        Assert.DoesNotMatch(new Regex("aria-label=\"(Start|Stop|Shutdown|Reboot|Resume|More actions for) "), html);
        Assert.DoesNotContain("<button", html[html.IndexOf("<tbody>", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("mx-c-actions", html);
    }

    [Fact]
    public async Task Templates_HaveNoPowerActions()
    {
        var html = await RenderAsync(true, Template);

        Assert.Contains(">template</span>", html);
        Assert.Equal(["More actions for ubuntu-24.04-template"], ButtonNames(html, 9000));
    }

    [Fact]
    public async Task HiddenColumns_AreNeitherInTheHeaderNorInTheRows()
    {
        var columns = VmListColumns.With(VmListColumns.With(VmListColumns.AllMask, VmColumn.Network, false), VmColumn.Tags, false);
        var html = await RenderAsync(true, columns, Web01);

        Assert.DoesNotContain("mx-c-net", html);
        Assert.DoesNotContain("mx-c-tags", html);
        Assert.DoesNotContain("KiB/s", html);
        Assert.DoesNotContain("client-acme", html);
        Assert.Contains("mx-c-mem", html);
    }

    [Fact]
    public async Task CardView_EveryDataCellIsLabelled_AndTheStylesheetTurnsRowsIntoCardsAt640px()
    {
        var html = await RenderAsync(true, Web01);

        var row = Regex.Match(html, "<tr data-vmid=\"101\".*?</tr>", RegexOptions.Singleline).Value;
        var labels = Regex.Matches(row, "<td class=\"mx-c-[a-z]+[^\"]*\" data-label=\"([A-Za-z]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Status", "VMID", "Name", "Node", "CPU", "Memory", "Disk", "Network", "Uptime", "Tags"], labels);

        var css = await File.ReadAllTextAsync(Path.Combine(WebRoot(), "css", "vmlist.css"), TestContext.Current.CancellationToken);
        var narrow = css[css.IndexOf("@media (max-width: 640px)", StringComparison.Ordinal)..];
        Assert.Contains("tr.mx-vmrow {", narrow);
        Assert.Contains("display: grid", narrow);
        Assert.Contains("content: attr(data-label)", narrow);
        Assert.Contains(".mx-vmtable thead { display: none; }", narrow);
    }

    [Fact]
    public async Task TenThousandRows_AreVirtualized_NoMoreThan100RowsInTheMarkup()
    {
        var rows = Enumerable.Range(0, 10_000).Select(i => Web01 with { VmId = 100_000 + i, Name = $"web-{i:00000}" }).ToArray();
        var html = await RenderAsync(true, rows);

        Assert.InRange(Regex.Matches(html, "data-testid=\"vm-row\"").Count, 0, 100);
        Assert.Contains("aria-rowcount=\"10001\"", html);
    }

    [Fact]
    public async Task APoll_ReRendersOnlyTheRowsThatChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var guests = Enumerable.Range(0, 100).Select(i => Unit.Support.Builders.Guest(1000 + i, $"vm-{i:000}")).ToArray();
        var cache = new VmRowCache();
        var first = cache.Rows(Unit.Support.Builders.Snapshot("prod", guests));
        // The next poll: one guest's CPU moved, the other 99 are the same.
        guests[42] = guests[42] with { Cpu = 0.9 };
        var second = cache.Rows(Unit.Support.Builders.Snapshot("prod", guests));
        Assert.Equal(99, first.Zip(second).Count(p => ReferenceEquals(p.First, p.Second)));

        await using var services = ComponentHtml.Services();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var counter = services.GetRequiredService<VmRowRenderCounter>();
        VmTableHarness? harness = null;
        var root = await renderer.Dispatcher.InvokeAsync(() => renderer.RenderComponentAsync<VmTableHarness>(ParameterView.FromDictionary(
            new Dictionary<string, object?> { [nameof(VmTableHarness.Rows)] = first, [nameof(VmTableHarness.OnCreated)] = (Action<VmTableHarness>)(h => harness = h) })));
        await root.QuiescenceTask;
        Assert.Equal(100, counter.Count);

        await renderer.Dispatcher.InvokeAsync(() => harness!.Show(second));
        Assert.Equal(101, counter.Count);
        var html = await renderer.Dispatcher.InvokeAsync(root.ToHtmlString);
        Assert.Contains("90 %", html);

        await renderer.Dispatcher.InvokeAsync(() => harness!.Show([.. second]));   // same instances in a new list: nothing to render
        Assert.Equal(101, counter.Count);
        _ = ct;
    }

    [Fact]
    public async Task A_filter_that_shows_other_VMs_updates_the_rows_in_place_instead_of_rebuilding_them()
    {
        // What a name filter does to a page of 50 rows: every row shows another VM. The rows are not keyed, so the browser
        // gets changed texts and attributes for the existing <tr>s rather than 50 removals and 50 new rows (~2x the bytes
        // and most of the browser's time in the benchmark).
        var first = Enumerable.Range(0, 50).Select(i => Web01 with { VmId = 1000 + i, Name = $"web-{i:00}" }).ToArray();
        var filtered = Enumerable.Range(0, 50).Select(i => Db01 with { VmId = 2000 + i, Name = $"db-{i:00}", Tags = ["db-tier"] }).ToArray();
        await using var services = ComponentHtml.Services();
        await using var renderer = new RenderBatchRecorder(services);
        VmTableHarness? harness = null;
        await renderer.RenderRootAsync<VmTableHarness>(new Dictionary<string, object?>
        {
            [nameof(VmTableHarness.Rows)] = first, [nameof(VmTableHarness.OnCreated)] = (Action<VmTableHarness>)(h => harness = h),
        });
        Assert.Equal(50, renderer.Created("tr"));   // the first render builds the rows
        renderer.Clear();

        await renderer.Dispatcher.InvokeAsync(() => harness!.Show(filtered));

        Assert.Equal(0, renderer.Created("tr"));
        Assert.True(renderer.UpdatedInPlace >= 100, $"{renderer.UpdatedInPlace} texts/attributes updated in place");   // at least VMID and name of each row
    }

    [Fact]
    public async Task A_sort_moves_each_row_with_its_VM_instead_of_rewriting_every_row()
    {
        // The same 50 VMs in the opposite order (a sort): each VM keeps its <tr> (so a focused checkbox or menu stays with
        // its VM); nothing is created and no text or attribute changes, the rows are only moved.
        var first = Enumerable.Range(0, 50).Select(i => Web01 with { VmId = 1000 + i, Name = $"web-{i:00}" }).ToArray();
        await using var services = ComponentHtml.Services();
        await using var renderer = new RenderBatchRecorder(services);
        VmTableHarness? harness = null;
        await renderer.RenderRootAsync<VmTableHarness>(new Dictionary<string, object?>
        {
            [nameof(VmTableHarness.Rows)] = first, [nameof(VmTableHarness.OnCreated)] = (Action<VmTableHarness>)(h => harness = h),
        });
        renderer.Clear();

        await renderer.Dispatcher.InvokeAsync(() => harness!.Show([.. first.Reverse()]));

        Assert.Equal(0, renderer.Created("tr"));
        Assert.Equal(0, renderer.UpdatedInPlace);
        Assert.True(renderer.Moved > 0);

        // Then a filter that keeps ten of them and shows forty others: the ten keep their rows, the others update in place.
        renderer.Clear();
        var mixed = first.Take(10).Concat(Enumerable.Range(0, 40).Select(i => Db01 with { VmId = 2000 + i, Name = $"db-{i:00}" })).ToArray();
        await renderer.Dispatcher.InvokeAsync(() => harness!.Show(mixed));
        Assert.Equal(0, renderer.Created("tr"));
    }

    private static string WebRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Moxxie.Web", "wwwroot");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("Moxxie.Web/wwwroot not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The row of this VMID.</summary>
    private static string RowOf(string html, int vmid) =>
        Regex.Match(html, $"<tr data-vmid=\"{vmid}\".*?</tr>", RegexOptions.Singleline).Value;

    /// <summary>An accessible name as aria-labelledby computes it: the texts of the referenced elements of the row, joined
    /// by a space (first element matched by the pattern, whose group 1 is the id list).</summary>
    private static string AccessibleName(string html, string pattern, int vmid) =>
        Labelled(RowOf(html, vmid), Regex.Match(RowOf(html, vmid), pattern).Groups[1].Value);

    private static string Labelled(string row, string ids) => string.Join(' ', ids.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(id => Regex.Match(row, $"<[a-z]+ id=\"{Regex.Escape(id)}\"[^>]*>([^<]*)<").Groups[1].Value));

    /// <summary>The accessible names of a row's buttons (aria-label, else aria-labelledby), in order.</summary>
    private static string[] ButtonNames(string html, int vmid)
    {
        var row = RowOf(html, vmid);
        return [.. Regex.Matches(row, "<button [^>]*>").Select(b =>
        {
            var label = Regex.Match(b.Value, "aria-label=\"([^\"]+)\"");
            return label.Success ? label.Groups[1].Value : Labelled(row, Regex.Match(b.Value, "aria-labelledby=\"([^\"]+)\"").Groups[1].Value);
        })];
    }
}
