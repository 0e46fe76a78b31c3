using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moxxie.Core.Clusters;
using Moxxie.Core.Vms;
using Moxxie.Simulator;
using static Moxxie.Benchmarks.Stats;

namespace Moxxie.Benchmarks;

// Issue 4's benchmark: three "large" simulators (~10,000 guests), one Moxxie, headless Chromium. Prints figures only
// (no assertions); docs/benchmarks.md records them. Usage:
//   dotnet run -c Release --project Moxxie.Benchmarks [-- --dashboards 50 --window 60 --repeat 5]
//   dotnet run -c Release --project Moxxie.Benchmarks -- --only tags     (issue 6's tag-expression figures alone, seconds)
//   dotnet run -c Release --project Moxxie.Benchmarks -- --only vmlist   (VM list figures only: first render, filter)
//   dotnet run -c Release --project Moxxie.Benchmarks -- --only bulk     (issue 7's bulk stop of 1,000 VMs against the bound)
/// <summary>Entry point: runs every measurement in order and prints a Markdown summary.</summary>
internal static class Bench
{
    private static readonly Stopwatch Total = Stopwatch.StartNew();

    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        using var rents = Environment.GetEnvironmentVariable("MOXXIE_BENCH_RENTS") == "1" ? new BigRentListener() : null;
        const string AdminPassword = "Bench-Admin-Pa55word!";
        var report = new List<(string Figure, string Value, string Baseline, string Goal)>();
        void Figure(string figure, string value, string baseline = "", string goal = "")
        {
            report.Add((figure, value, baseline, goal));
            Console.WriteLine($"  {figure}: {value}{(baseline.Length > 0 ? $"  [{baseline}]" : "")}{(goal.Length > 0 ? $"  (goal {goal})" : "")}");
        }
        void Step(string what) => Console.WriteLine($"\n== {what}  (+{Total.Elapsed.TotalSeconds:0} s)");
        void Summary()
        {
            Console.WriteLine("\n== Summary (Markdown, for docs/benchmarks.md)\n");
            Console.WriteLine("| Figure | Value | Baseline in the same run | Goal |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (figure, value, baseline, goal) in report)
                Console.WriteLine($"| {figure} | {value} | {baseline} | {goal} |");
            Console.WriteLine($"\nTotal run time {Total.Elapsed.TotalSeconds:0} s; load average at the end: {Machine.LoadAverage()}");
        }

        Console.WriteLine("Moxxie benchmark (issue 4) — figures only, no assertions");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"options: {options}");
        Console.WriteLine($"load average at start: {Machine.LoadAverage()}");

        if (options.Only == "bulk")
        {
            Step("Bulk operation (issue 7): 1,000 VMs stopped, 10 nodes × 4 per node, 200 ms API latency");
            var bulkDirectory = Path.Combine(Path.GetTempPath(), "moxxie-bench-bulk-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(bulkDirectory);
            try
            {
                await BulkBench.RunAsync(bulkDirectory, AdminPassword, Figure);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(bulkDirectory, recursive: true); }
                catch (IOException) { }
            }
            Summary();
            return 0;
        }

        // ---- 1. Simulators ----------------------------------------------------------------------------------------------
        Step("Simulator start-up (in this process; includes building the preset, certificate, Kestrel)");
        await using (var cold = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = "small", Seed = 1 }))
            Console.WriteLine($"  small, cold (JIT): {Ms(cold.StartupTime.TotalMilliseconds)}");
        double smallMs;
        await using (var warm = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = "small", Seed = 2 }))
            smallMs = warm.StartupTime.TotalMilliseconds;
        var simulators = new List<SimulatorServer>();
        var largeMs = new List<double>();
        for (var i = 1; i <= 3; i++)
        {
            var sim = await SimulatorServer.StartAsync(new SimulatorOptions
            {
                Preset = "large", Seed = i, ClusterName = $"dc{i}", NodePrefix = $"dc{i}-pve", VmidBase = i * 100_000,
            });
            simulators.Add(sim);
            largeMs.Add(sim.StartupTime.TotalMilliseconds);
            Console.WriteLine($"  large #{i} (dc{i}): {Ms(sim.StartupTime.TotalMilliseconds)}, {sim.Cluster.Guests.Count} guests");
        }
        var guests = simulators.Sum(s => s.Cluster.Guests.Count);
        Figure("Large-preset simulator start-up (median of 3)", Ms(Median(largeMs)),
            $"small preset {Ms(smallMs)}, ratio {Ratio(Median(largeMs), smallMs)}", "< 5 s");
        Figure("Guests across the three simulators", Num(guests));

        // ---- 1b. Tag expressions (issue 6) ------------------------------------------------------------------------------
        Step("Tag expression evaluated over every guest's tags (Core's compiled predicate; no HTTP, no browser)");
        TagExpressionBench.Run(simulators, Figure);
        if (options.Only == "tags")
        {
            foreach (var sim in simulators) await sim.DisposeAsync();
            Summary();
            return 0;
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "moxxie-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        MoxxieUnderTest? app = null;
        IPlaywright? playwright = null;
        IBrowser? browser = null;
        try
        {
            // ---- 2. Moxxie ----------------------------------------------------------------------------------------------
            Step("Moxxie start-up and first poll of three connections");
            var appStarted = Stopwatch.StartNew();
            app = new MoxxieUnderTest(simulators, dataDirectory, AdminPassword);
            app.UseKestrel(0);
            app.StartServer();
            var baseAddress = app.ResolveBaseAddress();
            var known = 0;
            while (true)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var overviews = scope.ServiceProvider.GetRequiredService<ClusterService>().Overviews();
                known = scope.ServiceProvider.GetRequiredService<VmService>().List(new VmFilter()).Count;
                if (overviews.Count == 3 && overviews.All(o => o.LastUpdated is not null) && known >= guests) break;
                if (appStarted.Elapsed > TimeSpan.FromMinutes(3))
                    throw new TimeoutException($"Moxxie did not load the three clusters within 3 min ({known} guests known)");
                await Task.Delay(100);
            }
            Figure("Moxxie start-up until all three clusters are in memory", Ms(appStarted.Elapsed.TotalMilliseconds), $"{known} guests");

            playwright = await Playwright.CreateAsync();
            browser = await Browser.LaunchAsync(playwright);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            });
            context.SetDefaultTimeout(60_000);
            await context.AddInitScriptAsync(VmListSelectors.SocketLog);
            var page = await context.NewPageAsync();
            var circuit = new CircuitWatch(page);
            await Browser.SignInAsync(page, "admin", AdminPassword);

            if (options.Only == "dashboards") goto dashboards;

            // ---- 3. VM list: first render ------------------------------------------------------------------------------
            Step($"VM list first render (1 cold + {options.Repeat} warm navigations to /vms)");
            var rows = page.Locator(VmListSelectors.Row);
            async Task<(double Server, double Ttfb, double Html, double DomReady, double Rows, double Interactive, int DomRows, string DomState, int Prerendered)> OpenVmList(string url)
            {
                circuit.Reset();
                var started = Stopwatch.GetTimestamp();
                var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        var html = response is null ? "" : await response.TextAsync();
        var prerendered = System.Text.RegularExpressions.Regex.Count(html, "<tr[^>]*data-vmid=");
                double rowsMs = double.NaN;
                if (!url.Contains("q=", StringComparison.Ordinal))
                {
                    await rows.First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
                    rowsMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                var interactive = Stopwatch.GetElapsedTime(started, await circuit.InteractiveAsync(TimeSpan.FromMinutes(2))).TotalMilliseconds;
                var nav = await page.EvaluateAsync<double[]>(
                    "() => { const n = performance.getEntriesByType('navigation')[0]; return [n.requestStart, n.responseStart, n.responseEnd, n.domContentLoadedEventEnd]; }");
                var server = app.Timings.Last(url)?.TotalMilliseconds ?? double.NaN;
                // Count once the rows-in-view window (vmwindow.js → VmTable.SetViewport) has been applied, not whenever the count is read.
                string domState;
                try
                {
                    var state = await page.WaitForFunctionAsync(VmListSelectors.WindowState,
                        new object[] { VmListSelectors.Row, Moxxie.Web.Components.Pages.Vms.VmTable.WindowAbove, Moxxie.Web.Components.Pages.Vms.VmTable.WindowMargin },
                        new() { Timeout = 15_000 });
                    domState = await state.JsonValueAsync<string>();
                }
                catch (TimeoutException)
                {
                    domState = "every row of the page: the rows-in-view window was not applied within 15 s";
                }
                var domRows = await rows.CountAsync();
                return (server, nav[1] - nav[0], nav[2] - nav[0], nav[3] - nav[0], rowsMs, interactive, domRows, domState, prerendered);
            }
            var coldList = await OpenVmList("/vms");
            Console.WriteLine($"  cold: server {Ms(coldList.Server)}, first row in the DOM after {Ms(coldList.Rows)}, interactive after {Ms(coldList.Interactive)}, {coldList.DomRows} rows ({coldList.Prerendered} in the prerendered HTML)");
            var warmList = new List<(double Server, double Ttfb, double Html, double DomReady, double Rows, double Interactive, int DomRows, string DomState, int Prerendered)>();
            var emptyList = new List<double>();
            for (var i = 0; i < options.Repeat; i++)
            {
                warmList.Add(await OpenVmList("/vms"));
                emptyList.Add((await OpenVmList(VmListSelectors.NoMatchUrl)).Server);
            }
            foreach (var w in warmList)
                Console.WriteLine($"  warm: server {Ms(w.Server)}, TTFB {Ms(w.Ttfb)}, HTML done {Ms(w.Html)}, DOMContentLoaded {Ms(w.DomReady)}, first row seen {Ms(w.Rows)}, interactive {Ms(w.Interactive)}, {w.DomRows} rows ({w.Prerendered} prerendered; {w.DomState})");
            var firstRender = Median([.. warmList.Select(w => w.Server)]);
            Figure("Server time to first render of /vms (prerender, median warm)", Ms(firstRender),
                $"same page filtered to no rows {Ms(Median(emptyList))}, ratio {Ratio(firstRender, Median(emptyList))}; cold {Ms(coldList.Server)}", "≤ 150 ms");
            Figure("Browser: request → DOMContentLoaded of /vms, rows prerendered (median warm)", Ms(Median([.. warmList.Select(w => w.DomReady)])));
            Figure("Browser: navigation → circuit interactive (median warm)", Ms(Median([.. warmList.Select(w => w.Interactive)])));
            Figure("Browser: request → last byte of the /vms document (median warm)", Ms(Median([.. warmList.Select(w => w.Html)])),
            $"{warmList[^1].Prerendered} VM rows in the prerendered HTML");
            Figure("VM rows in the DOM (of " + Num(known) + " guests)", Num(warmList[^1].DomRows), warmList[^1].DomState, "≤ 100");

            // ---- 4. Filter ----------------------------------------------------------------------------------------------
            Step($"Filter by name ({options.Repeat} terms; Enter in the search box → DOM shows only matching rows)");
            await OpenVmList("/vms");
            var search = page.Locator(VmListSelectors.NameSearch).First;
            var filterMs = new List<double>();
            List<double> sent = [], received = [];
            var terms = new[] { "web-0", "db-0", "k8s-worker-1", "redis-", "win-rdsh-0", "proxy-", "web-01", "dns-" };
            for (var i = 0; i < options.Repeat; i++)
            {
                var term = terms[i % terms.Length];
                await page.EvaluateAsync(VmListSelectors.ArmFilterProbe, new object[] { VmListSelectors.Row, term });
                await search.FillAsync(term);
                await search.PressAsync("Enter");
                var result = await page.EvaluateAsync<JsonElement>("() => window.__moxxieFilter");
                var ms = result.GetProperty("ms").GetDouble();
                var shown = result.GetProperty("rows").GetInt32();
                Console.WriteLine($"  '{term}': {ms switch { -1 => "not applied within 30 s", -2 => "already applied by the typing debounce before Enter (not counted)", _ => Ms(ms) }}, {shown} rows in the DOM");
                if (ms >= 0)
                {
                    filterMs.Add(ms);
                    // Where the time went, from the circuit's WebSocket frames: keydown → event sent → last frame received
                    // before the DOM showed the rows (server + network) → DOM updated (the browser applying the batch).
                    var split = await page.EvaluateAsync<double[]>(VmListSelectors.SocketSplit, new[] { result.GetProperty("t0").GetDouble(), result.GetProperty("t1").GetDouble() });
                    if (split.Length == 5)
                    {
                        sent.Add(split[0]); received.Add(split[1]);
                        Console.WriteLine($"    keydown → first frame sent {Ms(split[0])}, → last frame received {Ms(split[1])} ({split[2]:0} frames out, {split[3]:0} in, {split[4] / 1024:0.0} KiB in), → DOM updated {Ms(ms)}");
                    }
                }
                await page.WaitForTimeoutAsync(500);   // let the debounced input settle before the next term
            }
            // Baseline: the cheapest round trip through the same circuit on this machine (open the column panel: one click,
            // a small render), so the filter's cost can be told apart from the machine's load.
            var roundTrips = new List<double>();
            var toggle = page.Locator(VmListSelectors.ColumnsButton).First;
            if (await toggle.CountAsync() > 0)
            {
                for (var i = 0; i < options.Repeat; i++)
                {
                    await page.EvaluateAsync(VmListSelectors.ArmClickProbe, VmListSelectors.ColumnsPanel);
                    await toggle.ClickAsync();
                    var ms = await page.EvaluateAsync<double>("() => window.__moxxieClick");
                    if (ms >= 0) roundTrips.Add(ms);
                    await toggle.ClickAsync(new() { Force = true });   // close it again (the click lands on the toggle or its backdrop)
                    await page.Locator(VmListSelectors.ColumnsPanel).WaitForAsync(new() { State = WaitForSelectorState.Detached });
                }
                Console.WriteLine($"  circuit round trip (open the column panel): {string.Join(", ", roundTrips.Select(Ms))}");
            }
            Figure("Time to apply a name filter (Enter → DOM updated, median)", Ms(Median(filterMs)),
                roundTrips.Count > 0 ? $"opening the column panel {Ms(Median(roundTrips))}, ratio {Ratio(Median(filterMs), Median(roundTrips))}" : "",
                "≤ 20 ms");
            if (received.Count > 0)
                Console.WriteLine($"  filter split (medians): event sent {Ms(Median(sent))}, last render frame received {Ms(Median(received))}, DOM updated {Ms(Median(filterMs))}");
            if (options.Only == "vmlist") goto done;

            // ---- 5. Dashboards: PVE requests and memory per circuit ----------------------------------------------------
            dashboards:
            Step($"PVE requests per minute with 1 and {options.Dashboards} open dashboards ({options.WindowSeconds} s windows)");
            await page.GotoAsync("about:blank");
            var dashboards = new List<IPage>();
            async Task OpenDashboardsAsync(int count)
            {
                var opening = new List<Task>();
                for (var i = 0; i < count; i++)
                {
                    var p = await context.NewPageAsync();
                    dashboards.Add(p);
                    var watch = new CircuitWatch(p);
                    opening.Add(Task.Run(async () =>
                    {
                        await p.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 300_000 });
                        await watch.InteractiveAsync(TimeSpan.FromMinutes(5));
                    }));
                    if (opening.Count % 5 == 0) await Task.WhenAll(opening);   // a few at a time on 2 cores
                }
                await Task.WhenAll(opening);
            }
            long ApiRequests() => simulators.Sum(s => s.Control.ApiRequests);
            async Task<double> RequestsPerMinuteAsync()
            {
                var before = ApiRequests();
                var window = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(options.WindowSeconds));
                return (ApiRequests() - before) / window.Elapsed.TotalMinutes;
            }
            var pollWait = TimeSpan.FromSeconds(7);   // two default poll intervals: let everything reach its steady state

            await OpenDashboardsAsync(1);
            await Task.Delay(pollWait);
            var heapOne = await Heap.SteadyAsync();
            var rpmOne = await RequestsPerMinuteAsync();
            Console.WriteLine($"  1 dashboard: {Num(rpmOne)} PVE requests/min, GC heap {Mib(heapOne)}");
            GcDump.Collect("one");

            await OpenDashboardsAsync(options.Dashboards - 1);
            await Task.Delay(pollWait);
            var heapMany = await Heap.SteadyAsync();
            var rpmMany = await RequestsPerMinuteAsync();
            var heapManyAfter = await Heap.SteadyAsync();
            GcDump.Collect("many");
            Console.WriteLine($"  {dashboards.Count} dashboards: {Num(rpmMany)} PVE requests/min, GC heap {Mib(heapMany)} (after the window {Mib(heapManyAfter)})");
            Figure($"PVE requests/min, 1 dashboard → {dashboards.Count} dashboards", $"{Num(rpmOne)} → {Num(rpmMany)}",
                $"ratio {Ratio(rpmMany, rpmOne)}", "≤ 1.1");
            var perCircuit = (heapMany - heapOne) / (double)(dashboards.Count - 1);
            var perCircuitAfter = (heapManyAfter - heapOne) / (double)(dashboards.Count - 1);
            Figure("Server memory per idle dashboard circuit (GC heap delta / circuits, lowest of 7 forced full GCs)",
                Mib(perCircuit), $"after the request window {Mib(perCircuitAfter)}; heap with 1 dashboard {Mib(heapOne)}", "≤ 1 MB");

            foreach (var p in dashboards) await p.CloseAsync();
            done:;
        }
        finally
        {
            if (browser is not null) await browser.DisposeAsync();
            playwright?.Dispose();
            if (app is not null) await app.DisposeAsync();
            foreach (var sim in simulators) await sim.DisposeAsync();
            try { Directory.Delete(dataDirectory, recursive: true); }
            catch (IOException) { /* a temp folder; SQLite may still hold it briefly */ }
        }

        Summary();
        return 0;
    }
}

/// <summary>Command-line options (all optional).</summary>
internal sealed record BenchOptions(int Dashboards, int WindowSeconds, int Repeat, string? Only = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(50, 60, 5);
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            o = args[i] switch
            {
                "--dashboards" => o with { Dashboards = Math.Max(2, Next()) },
                "--window" => o with { WindowSeconds = Next() },
                "--repeat" => o with { Repeat = Next() },
                "--only" when i + 1 < args.Length && args[i + 1] is "tags" or "vmlist" or "bulk" or "dashboards" => o with { Only = args[++i] },
                _ => throw new ArgumentException($"unknown option {args[i]} (--dashboards N, --window SECONDS, --repeat N, --only tags|vmlist|bulk|dashboards)"),
            };
        }
        return o;
    }

    public override string ToString() => $"--dashboards {Dashboards} --window {WindowSeconds} --repeat {Repeat}" + (Only is null ? "" : $" --only {Only}");
}

/// <summary>How the benchmark finds things on /vms (kept in one place: the page is being reworked).</summary>
internal static class VmListSelectors
{
    /// <summary>One element per VM row (table rows or cards), each with data-vmid.</summary>
    public const string Row = "tr[data-vmid], [role=row][data-vmid], [data-testid=vm-row]";

    /// <summary>The name search box.</summary>
    public const string NameSearch = "input[data-testid=vm-filter], input[name=q]";

    /// <summary>The column-visibility button and the panel it opens (a cheap circuit round trip, the filter's baseline).</summary>
    public const string ColumnsButton = "[data-testid=columns-button]";
    public const string ColumnsPanel = "[data-testid=columns-panel]";

    /// <summary>Arms window.__moxxieClick: ms from the next click to the DOM mutation that shows the target; -1 after 30 s.</summary>
    public const string ArmClickProbe = """
        target => {
          let t0 = null;
          window.__moxxieClick = new Promise(resolve => {
            const observer = new MutationObserver(() => {
              if (t0 !== null && document.querySelector(target)) { observer.disconnect(); resolve(performance.now() - t0); }
            });
            observer.observe(document.body, { childList: true, subtree: true, attributes: true });
            document.addEventListener('click', () => { if (t0 === null) t0 = performance.now(); }, { capture: true, once: true });
            setTimeout(() => { observer.disconnect(); resolve(-1); }, 30000);
          });
        }
        """;

    /// <summary>
    /// Init script: logs each frame of the page's WebSockets (direction, performance.now(), bytes) in window.__moxxieWs; the
    /// listener is added in the constructor, so it runs before SignalR's own onmessage handler.
    /// </summary>
    public const string SocketLog = """
        (() => {
          const log = window.__moxxieWs = [];
          const size = d => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(...args) {
              super(...args);
              this.addEventListener('message', e => log.push([1, performance.now(), size(e.data)]));
            }
            send(data) { log.push([0, performance.now(), size(data)]); return super.send(data); }
          };
        })()
        """;

    /// <summary>[first frame out after t0, last frame in before t1 (ms after t0), frames out, frames in, bytes in].</summary>
    public const string SocketSplit = """
        ([t0, t1]) => {
          const frames = (window.__moxxieWs || []).filter(f => f[1] >= t0 && f[1] <= t1);
          const out = frames.filter(f => f[0] === 0), inn = frames.filter(f => f[0] === 1);
          if (out.length === 0 || inn.length === 0) return [];
          return [out[0][1] - t0, inn[inn.length - 1][1] - t0, out.length, inn.length, inn.reduce((a, f) => a + f[2], 0)];
        }
        """;

    /// <summary>
    /// For page.WaitForFunctionAsync: truthy (a description of what is counted) once the VM table shows what it will keep
    /// showing. A page of more than WindowAbove rows is prerendered whole, then, once vmwindow.js has reported the rows in
    /// view and the server has re-rendered, shows only those plus WindowMargin above and below, with spacer rows for the
    /// rest: wait for a spacer and no more rows than fit in the scroll box plus the margins. Smaller pages show every row.
    /// </summary>
    public const string WindowState = """
        ([rowSel, windowAbove, margin]) => {
          const scroller = document.querySelector('[data-testid=vm-table]');
          if (!scroller) return null;
          const rows = document.querySelectorAll(rowSel).length;
          const spacers = scroller.querySelectorAll('tbody > tr.mx-vmtable__spacer').length;
          if (spacers === 0 && rows <= windowAbove) return `every row of the page (${rows} ≤ ${windowAbove}: no window)`;
          const row = scroller.querySelector('tbody tr.mx-vmrow');
          const height = row ? row.getBoundingClientRect().height : 0;
          if (height <= 0) return null;
          const fit = Math.ceil(scroller.clientHeight / height) + 1;
          return spacers > 0 && rows <= fit + 2 * margin
            ? `rows-in-view window applied (${fit} rows fit in the table's box, ${margin} more above/below at most, spacer rows for the rest)`
            : null;
        }
        """;

    /// <summary>The same page filtered to nothing: the baseline for the row-rendering cost.</summary>
    public const string NoMatchUrl = "/vms?q=no-such-guest-zz";

    /// <summary>
    /// Arms window.__moxxieFilter: a promise resolving with {ms, rows} once, after Enter in the search box, the DOM shows
    /// only rows containing the term (time from the keydown to the mutation that completes it); ms -1 after 30 s, -2 when
    /// the input's own debounce had already applied it before Enter.
    /// </summary>
    public const string ArmFilterProbe = """
        ([rowSel, term]) => {
          let t0 = null;
          window.__moxxieFilter = new Promise(resolve => {
            const done = () => {
              const rows = document.querySelectorAll(rowSel);
              if (rows.length === 0) return false;
              for (const r of rows) if (!r.textContent.toLowerCase().includes(term)) return false;
              return true;
            };
            const observer = new MutationObserver(() => {
              if (t0 !== null && done()) { const t1 = performance.now(); observer.disconnect(); resolve({ ms: t1 - t0, t0, t1, rows: document.querySelectorAll(rowSel).length }); }
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            document.addEventListener('keydown', e => {
              if (e.key !== 'Enter' || t0 !== null) return;
              t0 = performance.now();
              if (done()) { observer.disconnect(); resolve({ ms: -2, rows: document.querySelectorAll(rowSel).length }); }
            }, { capture: true });
            setTimeout(() => { observer.disconnect(); resolve({ ms: -1, rows: document.querySelectorAll(rowSel).length }); }, 30000);
          });
        }
        """;
}

/// <summary>Managed heap after forced, compacting, blocking full collections (finalizers run in between).</summary>
internal static class Heap
{
    /// <summary>
    /// The lowest of several samples a few hundred ms apart: each poll briefly holds two inventories of 10,000 guests
    /// (the old and the one being built), which would otherwise swamp a per-circuit delta.
    /// </summary>
    public static async Task<long> SteadyAsync(int samples = 7)
    {
        var lowest = long.MaxValue;
        for (var i = 0; i < samples; i++)
        {
            if (i > 0) await Task.Delay(650);
            lowest = Math.Min(lowest, AfterFullGc());
        }
        return lowest;
    }

    public static long AfterFullGc()
    {
        for (var i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}

/// <summary>The machine the figures were taken on.</summary>
internal static class Machine
{
    /// <summary>/proc/loadavg's 1/5/15-minute figures: the machine is shared, so say how busy it was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe()
    {
        string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var mem = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024:0.0} GiB" : "unknown memory";
        return $"machine: {Environment.ProcessorCount} cores (nproc), {cpu}, {mem} RAM, {RuntimeInformation.OSDescription}, " +
               $".NET {Environment.Version}, server GC {GCSettings.IsServerGC}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}

/// <summary>MOXXIE_BENCH_GCDUMP=dir: a dotnet-gcdump of this process at each named point (investigation only).</summary>
internal static class GcDump
{
    public static void Collect(string name)
    {
        var dir = Environment.GetEnvironmentVariable("MOXXIE_BENCH_GCDUMP");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        using var p = Process.Start(new ProcessStartInfo(tool, $"collect -p {Environment.ProcessId} -o {Path.Combine(dir, name + ".gcdump")}") { RedirectStandardOutput = true });
        p!.WaitForExit();
        Console.WriteLine($"  gcdump {name}: exit {p.ExitCode}");
    }
}

/// <summary>MOXXIE_BENCH_RENTS=1: prints the stack of every ArrayPool rent of ≥ 512 KB (investigation only).</summary>
internal sealed class BigRentListener : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _seen = new();
    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "System.Buffers.ArrayPoolEventSource")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, System.Diagnostics.Tracing.EventKeywords.All);
    }
    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName != "BufferRented" && e.EventName != "BufferAllocated") return;
        var size = e.Payload?.Count > 1 && e.Payload[1] is int s ? s : 0;
        if (size < 512 * 1024) return;
        var stack = Environment.StackTrace;
        var lines = stack.Split('\n').Where(l => !l.Contains("System.Diagnostics.Tracing") && !l.Contains("BigRentListener") && !l.Contains("Environment.get_StackTrace")).Take(14);
        var key = string.Join("\n", lines);
        if (_seen.AddOrUpdate(key, 1, (_, n) => n + 1) == 1)
            Console.WriteLine($"  [rent {e.EventName} {size:N0} B]\n{key}\n");
    }
}
