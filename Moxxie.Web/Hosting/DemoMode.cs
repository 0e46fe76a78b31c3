using Moxxie.Simulator;

namespace Moxxie.Web.Hosting;

/// <summary>
/// Demo mode: when enabled (default when no PVE connection is configured) the simulator starts in-process on a loopback
/// HTTPS port with a self-signed certificate, and is added as a configured connection with its fingerprint pinned,
/// so Moxxie reaches it through its real PVE client, exactly as it would reach a real cluster.
/// </summary>
public static class DemoMode
{
    public const string Section = "Moxxie:Demo";

    public static async Task StartIfEnabledAsync(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!IsEnabled(config))
            return;

        var preset = config[$"{Section}:Preset"] ?? "demo";
        var seedText = config[$"{Section}:Seed"];
        var seed = 1;
        if (seedText is not null && !int.TryParse(seedText, out seed))
            throw new InvalidOperationException($"{Section}:Seed must be an integer, got '{seedText}'.");

        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Preset = preset,
            Seed = seed,
            Url = "https://127.0.0.1:0",
        });

        // The demo cluster becomes connection 0 through the same configuration keys an operator would use.
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moxxie:Proxmox:Connections:0:Name"] = "production-cluster",
            ["Moxxie:Proxmox:Connections:0:Url"] = simulator.BaseUrl.ToString(),
            ["Moxxie:Proxmox:Connections:0:TokenId"] = simulator.TokenId,
            ["Moxxie:Proxmox:Connections:0:TokenSecret"] = simulator.TokenSecret,
            ["Moxxie:Proxmox:Connections:0:Fingerprint"] = simulator.CertificateFingerprint,
            ["Moxxie:Proxmox:Connections:0:Demo"] = "true",
        });
        builder.Services.AddSingleton(simulator);
        builder.Services.AddHostedService<DemoClusterLifetime>();

        Console.WriteLine($"Demo mode: simulated Proxmox VE cluster \"production-cluster\" ({preset}, seed {seed}) at {simulator.BaseUrl} " +
                          $"(certificate {simulator.CertificateFingerprint}).");
    }

    /// <summary>Explicit Moxxie:Demo:Enabled wins; otherwise demo mode runs only when no PVE connection is configured.</summary>
    public static bool IsEnabled(IConfiguration config)
    {
        var text = config[$"{Section}:Enabled"];
        if (!string.IsNullOrWhiteSpace(text))
        {
            return bool.TryParse(text, out var enabled)
                ? enabled
                : throw new InvalidOperationException($"{Section}:Enabled must be true or false, got '{text}'.");
        }
        return !config.GetSection("Moxxie:Proxmox:Connections").GetChildren().Any();
    }

    /// <summary>Stops the in-process simulator when the host stops.</summary>
    private sealed class DemoClusterLifetime(SimulatorServer simulator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await simulator.DisposeAsync();
    }
}
