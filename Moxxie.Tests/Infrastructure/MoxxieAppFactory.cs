using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Simulator;
using Xunit;

namespace Moxxie.Tests.Infrastructure;

public sealed class MoxxieAppOptions
{
    public DbProvider Provider { get; init; } = DbProvider.Sqlite;
    public string Preset { get; init; } = "demo";
    public string AdminPassword { get; init; } = MoxxieAppFactory.DefaultAdminPassword;
    /// <summary>Listen on a real Kestrel port (for Playwright); otherwise the in-memory TestServer.</summary>
    public bool UseKestrel { get; init; }
    /// <summary>Moxxie's TimeProvider (e.g. a <see cref="SettableClock"/> to pass a snapshot's TTL); null: the system clock.</summary>
    public TimeProvider? Clock { get; init; }
    /// <summary>Extra settings (key → value), applied after the defaults.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }
}

/// <summary>
/// The real Moxxie app over a real simulator (HTTPS, pinned fingerprint, TaskSpeed 5): demo mode off, a fresh database
/// (SQLite in a temp folder or a PostgreSQL database of its own), admin password set, fast inventory polling.
/// Create with <see cref="StartAsync"/>; dispose to stop everything and delete the database.
/// </summary>
public sealed class MoxxieAppFactory : WebApplicationFactory<Program>
{
    public const string DefaultAdminPassword = "Test-Admin-Pa55word!";

    private readonly MoxxieAppOptions _options;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "moxxie-test-" + Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase? _postgres;

    private MoxxieAppFactory(MoxxieAppOptions options, SimulatorServer simulator)
    {
        _options = options;
        Simulator = simulator;
    }

    public SimulatorServer Simulator { get; }

    public Uri? KestrelAddress { get; private set; }

    public static async Task<MoxxieAppFactory> StartAsync(MoxxieAppOptions? options = null, CancellationToken ct = default)
    {
        options ??= new MoxxieAppOptions();
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Preset = options.Preset, Seed = 1, TaskSpeed = 5, ValidateResponses = true }, ct);
        var factory = new MoxxieAppFactory(options, simulator);
        try
        {
            Directory.CreateDirectory(factory._dataDirectory);
            if (options.Provider == DbProvider.Postgres)
                factory._postgres = await PostgresTestDatabase.CreateAsync(ct);
            if (options.UseKestrel)
            {
                factory.UseKestrel(0);
                factory.StartServer();
                var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
                var uri = new UriBuilder(addresses?.FirstOrDefault() ?? factory.ClientOptions.BaseAddress.ToString()) { Path = "/" };
                if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost") uri.Host = "127.0.0.1";
                factory.KestrelAddress = uri.Uri;
            }
            else
            {
                _ = factory.Server; // builds and starts the host (migrations, admin account)
            }
            return factory;
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Moxxie:Demo:Enabled", "false");
        builder.UseSetting("Moxxie:DataDirectory", _dataDirectory);
        if (_postgres is not null)
        {
            builder.UseSetting("Moxxie:Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Moxxie", _postgres.ConnectionString);
        }
        else
        {
            builder.UseSetting("Moxxie:Database:Provider", "Sqlite");
        }
        builder.UseSetting("Moxxie:Admin:Password", _options.AdminPassword);
        builder.UseSetting("Moxxie:Inventory:PollInterval", "00:00:00.5");
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Name", "production-cluster");
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Url", Simulator.BaseUrl.ToString());
        builder.UseSetting("Moxxie:Proxmox:Connections:0:TokenId", Simulator.TokenId);
        builder.UseSetting("Moxxie:Proxmox:Connections:0:TokenSecret", Simulator.TokenSecret);
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Fingerprint", Simulator.CertificateFingerprint);
        foreach (var (key, value) in _options.Settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        if (_options.Clock is { } clock)
            builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    /// <summary>A client that keeps cookies but does not follow redirects (so 302/401 stay visible).</summary>
    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient CreateApiClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public async Task<List<AuditEntry>> AuditEntriesAsync(CancellationToken ct)
    {
        await using var db = await Services.GetRequiredService<IMoxxieDbFactory>().CreateAsync(ct);
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>Polls a condition until it holds or the deadline passes (no fixed sleeps).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Simulator.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { /* temp folder */ }
        GC.SuppressFinalize(this);
    }

    public static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther;
}
