using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Moxxie.Simulator;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// The real Moxxie app on a real Kestrel port (so Chromium can reach it), SQLite in a temp folder, demo mode off,
/// one PVE connection pointing at the test's simulator with its certificate fingerprint pinned.
/// </summary>
public sealed class E2EAppFactory(SimulatorServer simulator, string dataDirectory, string adminPassword, Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Moxxie:Demo:Enabled", "false");
        builder.UseSetting("Moxxie:Database:Provider", "Sqlite");
        builder.UseSetting("Moxxie:DataDirectory", dataDirectory);
        builder.UseSetting("Moxxie:Admin:Password", adminPassword);
        builder.UseSetting("Moxxie:Inventory:PollInterval", "00:00:02");
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Name", "production-cluster");
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Url", simulator.BaseUrl.ToString());
        builder.UseSetting("Moxxie:Proxmox:Connections:0:TokenId", simulator.TokenId);
        builder.UseSetting("Moxxie:Proxmox:Connections:0:TokenSecret", simulator.TokenSecret);
        builder.UseSetting("Moxxie:Proxmox:Connections:0:Fingerprint", simulator.CertificateFingerprint);
        configure?.Invoke(builder);   // a derived host's test-only settings and services
    }
}
