using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Simulator;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>A started simulator (HTTPS, self-signed) and Moxxie's real PVE client pointed at it.</summary>
public sealed class PveTestHost : IAsyncDisposable
{
    public const string Token = "root@pam!moxxie=5ecret-token";
    public const string Password = "r00t-pass";

    private readonly List<IDisposable> _owned = [];

    private PveTestHost(SimulatorServer server) => Server = server;

    public SimulatorServer Server { get; }

    public SimulatedCluster Cluster => Server.Cluster;

    public static async Task<PveTestHost> StartAsync(string preset = "demo", double taskSpeed = 10)
    {
        var server = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Preset = preset, Seed = 1, TaskSpeed = taskSpeed, Token = Token, RootPassword = Password, ValidateResponses = true,
        }, TestContext.Current.CancellationToken);
        return new PveTestHost(server);
    }

    public ProxmoxConnectionSettings TokenSettings(string name = "test") =>
        new(name, Server.BaseUrl, Server.TokenId, Server.TokenSecret, Server.CertificateFingerprint, false);

    public ProxmoxConnectionSettings TicketSettings(string name = "test") =>
        new(name, Server.BaseUrl, null, null, Server.CertificateFingerprint, false, "root@pam", Server.RootPassword);

    internal static ProxmoxClientFactory Factory(ProxmoxOptions? options = null) =>
        new(Options.Create(options ?? new ProxmoxOptions()), TimeProvider.System, NullLoggerFactory.Instance);

    internal ProxmoxGateway Gateway(ProxmoxConnectionSettings settings, ProxmoxOptions? options = null)
    {
        var gateway = Factory(options).CreateGateway(settings);
        _owned.Add(gateway);
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _owned) d.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Polls a condition until it holds or the deadline passes (no fixed sleeps).</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (condition(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
            await Task.Yield();
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), ok => ok, timeout, what);
}
