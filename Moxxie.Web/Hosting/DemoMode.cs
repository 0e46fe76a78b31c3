using System.Globalization;
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
    public const string ConnectionName = "production-cluster";

    /// <summary>Starts the simulator and configures its connection when demo mode is on; returns it (null when off).</summary>
    public static async Task<SimulatorServer?> StartIfEnabledAsync(WebApplicationBuilder builder, CancellationToken ct = default)
    {
        var config = builder.Configuration;
        if (!IsEnabled(config))
            return null;

        var preset = config[$"{Section}:Preset"] ?? "demo";
        var seedText = config[$"{Section}:Seed"];
        var seed = 1;
        if (!string.IsNullOrWhiteSpace(seedText) && !int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            throw new InvalidOperationException($"{Section}:Seed must be an integer, got '{seedText}'.");

        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Preset = preset,
            Seed = seed,
            Url = "https://127.0.0.1:0",
        }, ct);

        // The demo cluster becomes a connection through the same configuration keys an operator would use: index 0
        // normally; after any connections configured explicitly (Moxxie:Demo:Enabled=true next to real ones).
        var index = config.GetSection("Moxxie:Proxmox:Connections").GetChildren().Count();
        var key = $"Moxxie:Proxmox:Connections:{index}";
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{key}:Name"] = ConnectionName,
            [$"{key}:Url"] = simulator.BaseUrl.ToString(),
            [$"{key}:TokenId"] = simulator.TokenId,
            [$"{key}:TokenSecret"] = simulator.TokenSecret,
            [$"{key}:Fingerprint"] = simulator.CertificateFingerprint,
            [$"{key}:Demo"] = "true",
        });
        // Registered as an instance, so the container won't dispose it: the hosted service stops it with the host.
        builder.Services.AddSingleton(simulator);
        builder.Services.AddHostedService<DemoClusterLifetime>();

        // Never the token secret.
        Console.WriteLine($"Demo mode: simulated Proxmox VE cluster at {simulator.BaseUrl.GetLeftPart(UriPartial.Authority)} " +
                          $"(fingerprint {simulator.CertificateFingerprint}; preset {preset}, seed {seed}).");
        return simulator;
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
