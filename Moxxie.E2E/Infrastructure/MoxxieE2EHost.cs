using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Simulator;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// One simulator (demo preset, seed 1, TaskSpeed 5), one Moxxie app on Kestrel and one headless Chromium for the
/// whole assembly. Journeys get a fresh browser context each (no shared cookies) and must leave the cluster as
/// other journeys expect it (101 running, 102 is the one journey (a) starts). Shared through the
/// <see cref="JourneyCollection"/> collection, so journeys run one after another.
/// </summary>
public class MoxxieE2EHost : IAsyncLifetime
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "E2e-Admin-Pa55word!";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "moxxie-e2e-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public SimulatorServer Simulator { get; private set; } = null!;
    public E2EAppFactory App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        Simulator = await SimulatorServer.StartAsync(CreateSimulatorOptions());

        App = new E2EAppFactory(Simulator, _dataDirectory, AdminPassword, ConfigureApp);
        App.UseKestrel(0);
        App.StartServer();
        BaseAddress = ResolveBaseAddress();
        await WarmUpAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>Serves the sign-in page and the scripts once before any journey: the very first request of a fresh host
    /// (start-up, JIT, static-asset compression) can take longer than a journey's 10 s page budget on a loaded machine.</summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        foreach (var path in new[] { "login", "_framework/blazor.web.js", "css/app.css" })
            using (var response = await client.GetAsync(path))
                response.EnsureSuccessStatusCode();
    }

    /// <summary>The simulated cluster: the demo preset (the guide's 3 nodes, ~30 guests) unless a derived host says otherwise.</summary>
    protected virtual SimulatorOptions CreateSimulatorOptions() => new() { Preset = "demo", Seed = 1, TaskSpeed = 5 };

    /// <summary>Test-only settings and services of a derived host (none here).</summary>
    protected virtual void ConfigureApp(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
    }

    /// <summary>A fresh, isolated browser context (own cookies) whose relative URLs resolve against the app.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });

    /// <summary>An HttpClient to the app's real port that does not follow redirects (so 401/302 stay visible).</summary>
    public HttpClient CreateApiClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    /// <summary>An HttpClient to the simulator's PVE API (token auth, its self-signed certificate pinned).</summary>
    public HttpClient CreateSimulatorClient() =>
        PinnedPveClient.Create(Simulator.BaseUrl, Simulator.CertificateFingerprint, Simulator.TokenId, Simulator.TokenSecret);

    /// <summary>Audit rows as the app wrote them, read through its own database factory.</summary>
    public async Task<List<AuditEntry>> AuditEntriesAsync(Func<IQueryable<AuditEntry>, IQueryable<AuditEntry>> query, CancellationToken ct)
    {
        var factory = App.Services.GetRequiredService<IMoxxieDbFactory>();
        await using var db = await factory.CreateAsync(ct);
        return await query(db.AuditEntries.AsNoTracking()).ToListAsync(ct);
    }

    /// <summary>PVE tasks the simulator knows for one guest (cluster/tasks), as (type, upid) pairs.</summary>
    public async Task<List<(string Type, string Upid)>> SimulatorTasksForAsync(int vmid, CancellationToken ct)
    {
        using var client = CreateSimulatorClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("cluster/tasks", ct));
        return doc.RootElement.GetProperty("data").EnumerateArray()
            .Where(t => t.TryGetProperty("id", out var id) && id.ToString() == vmid.ToString(CultureInfo.InvariantCulture))
            .Select(t => (t.GetProperty("type").GetString() ?? "", t.GetProperty("upid").GetString() ?? ""))
            .ToList();
    }

    private Uri ResolveBaseAddress()
    {
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                      ?? addresses?.FirstOrDefault()
                      ?? App.ClientOptions.BaseAddress.ToString();
        // Kestrel may report 0.0.0.0/[::]; the browser needs a connectable host.
        var uri = new UriBuilder(address) { Path = "/" };
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            uri.Host = "127.0.0.1";
        return uri.Uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Simulator is not null) await Simulator.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { /* SQLite may still hold the file briefly; it's a temp folder */ }
        GC.SuppressFinalize(this);
    }
}
