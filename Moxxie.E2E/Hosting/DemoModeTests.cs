using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Moxxie.E2E.Infrastructure;
using Moxxie.Web.Hosting;

namespace Moxxie.E2E.Hosting;

/// <summary>Demo mode decides from configuration, starts the real simulator and wires it in as a pinned connection.</summary>
public sealed class DemoModeTests
{
    private const string Connection0 = "Moxxie:Proxmox:Connections:0";

    [Theory]
    [InlineData(null, false, true)]   // fresh install: demo
    [InlineData(null, true, false)]   // a real cluster configured: no demo
    [InlineData("false", false, false)]
    [InlineData("true", true, true)]
    [InlineData("False", false, false)]
    public void IsEnabled_follows_the_flag_or_else_the_absence_of_connections(string? flag, bool hasConnection, bool expected)
    {
        var values = new Dictionary<string, string?> { ["Moxxie:Demo:Enabled"] = flag };
        if (hasConnection) values[$"{Connection0}:Url"] = "https://pve.example:8006";
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        Assert.Equal(expected, DemoMode.IsEnabled(config));
    }

    [Fact]
    public void A_malformed_flag_stops_startup_naming_the_key()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Moxxie:Demo:Enabled"] = "yes please" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => DemoMode.IsEnabled(config));
        Assert.Contains("Moxxie:Demo:Enabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_off_starts_nothing_and_adds_no_connection()
    {
        var builder = NewBuilder(new() { ["Moxxie:Demo:Enabled"] = "false" });

        var simulator = await DemoMode.StartIfEnabledAsync(builder, TestContext.Current.CancellationToken);

        Assert.Null(simulator);
        Assert.Empty(builder.Configuration.GetSection("Moxxie:Proxmox:Connections").GetChildren());
    }

    [Fact]
    public async Task Demo_on_starts_the_simulator_and_configures_it_as_a_pinned_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = NewBuilder(new() { ["Moxxie:Demo:Preset"] = "demo", ["Moxxie:Demo:Seed"] = "7" });

        await using var simulator = await DemoMode.StartIfEnabledAsync(builder, ct);

        Assert.NotNull(simulator);
        var config = builder.Configuration;
        Assert.Equal("production-cluster", config[$"{Connection0}:Name"]);
        Assert.Equal(simulator.BaseUrl.ToString(), config[$"{Connection0}:Url"]);
        Assert.Equal("127.0.0.1", simulator.BaseUrl.Host);
        Assert.Equal("https", simulator.BaseUrl.Scheme);
        Assert.Equal(simulator.TokenId, config[$"{Connection0}:TokenId"]);
        Assert.Equal(simulator.TokenSecret, config[$"{Connection0}:TokenSecret"]);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", config[$"{Connection0}:Fingerprint"]);
        Assert.Equal(simulator.CertificateFingerprint, config[$"{Connection0}:Fingerprint"]);
        Assert.Contains(builder.Services, d => d.ServiceType == simulator.GetType());

        // What was configured really works: the pinned fingerprint and the token reach the demo cluster.
        using var client = PinnedPveClient.Create(
            new Uri(config[$"{Connection0}:Url"]!), config[$"{Connection0}:Fingerprint"]!,
            config[$"{Connection0}:TokenId"]!, config[$"{Connection0}:TokenSecret"]!);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("nodes/proxmox-01/qemu", ct));
        var names = doc.RootElement.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Contains("web-server-01", names);
        Assert.Contains("database-01", names);
    }

    [Fact]
    public async Task Forced_demo_next_to_a_real_connection_keeps_the_real_one()
    {
        var builder = NewBuilder(new()
        {
            ["Moxxie:Demo:Enabled"] = "true",
            [$"{Connection0}:Name"] = "lab",
            [$"{Connection0}:Url"] = "https://pve.example:8006",
        });

        await using var simulator = await DemoMode.StartIfEnabledAsync(builder, TestContext.Current.CancellationToken);

        Assert.NotNull(simulator);
        Assert.Equal("lab", builder.Configuration[$"{Connection0}:Name"]);
        Assert.Equal("https://pve.example:8006", builder.Configuration[$"{Connection0}:Url"]);
        Assert.Equal("production-cluster", builder.Configuration["Moxxie:Proxmox:Connections:1:Name"]);
        Assert.Equal(simulator.BaseUrl.ToString(), builder.Configuration["Moxxie:Proxmox:Connections:1:Url"]);
    }

    private static WebApplicationBuilder NewBuilder(Dictionary<string, string?> values)
    {
        // An empty builder: no appsettings or environment variables of the machine leak into the decision.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }
}
