using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Simulator;

namespace Moxxie.Benchmarks;

/// <summary>
/// The real Moxxie app (Production environment, SQLite in a temp folder, default poll interval) on a real Kestrel port,
/// with one PVE connection per simulator. A first middleware records how long the server takes for each page request
/// (prerendering included), so "server time" is measured at the server, not through the browser.
/// </summary>
internal sealed class MoxxieUnderTest(IReadOnlyList<SimulatorServer> simulators, string dataDirectory, string adminPassword)
    : WebApplicationFactory<Program>
{
    public ServerTimings Timings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Moxxie:Demo:Enabled", "false");
        builder.UseSetting("Moxxie:Database:Provider", "Sqlite");
        builder.UseSetting("Moxxie:DataDirectory", dataDirectory);
        builder.UseSetting("Moxxie:Admin:Password", adminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Circuits left behind by the benchmark's navigations log Radzen's JS-interop-after-disconnect; keep the figures readable.
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Components", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        for (var i = 0; i < simulators.Count; i++)
        {
            var sim = simulators[i];
            var key = $"Moxxie:Proxmox:Connections:{i}:";
            builder.UseSetting(key + "Name", $"dc{i + 1}");
            builder.UseSetting(key + "Url", sim.BaseUrl.ToString());
            builder.UseSetting(key + "TokenId", sim.TokenId);
            builder.UseSetting(key + "TokenSecret", sim.TokenSecret);
            builder.UseSetting(key + "Fingerprint", sim.CertificateFingerprint);
        }
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new TimingStartupFilter(Timings)));
    }

    /// <summary>http://127.0.0.1:port/ of the Kestrel server (after StartServer).</summary>
    public Uri ResolveBaseAddress()
    {
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses!.First();
        var uri = new UriBuilder(address) { Path = "/" };
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*") uri.Host = "127.0.0.1";
        return uri.Uri;
    }

    private sealed class TimingStartupFilter(ServerTimings timings) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate nextDelegate) =>
            {
                var started = Stopwatch.GetTimestamp();
                await nextDelegate(context);
                timings.Record(context.Request.Path + context.Request.QueryString, Stopwatch.GetElapsedTime(started));
            });
            next(app);
        };
    }
}

/// <summary>Server-side duration of each request, by path and query (most recent first).</summary>
internal sealed class ServerTimings
{
    private readonly ConcurrentDictionary<string, ConcurrentStack<TimeSpan>> _byPath = new(StringComparer.Ordinal);

    public void Record(string pathAndQuery, TimeSpan elapsed) =>
        _byPath.GetOrAdd(pathAndQuery, _ => new ConcurrentStack<TimeSpan>()).Push(elapsed);

    /// <summary>The most recent duration of a request for exactly this path and query.</summary>
    public TimeSpan? Last(string pathAndQuery) =>
        _byPath.TryGetValue(pathAndQuery, out var stack) && stack.TryPeek(out var last) ? last : null;
}
