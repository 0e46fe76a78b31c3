using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moxxie.Simulator.Api;
using Moxxie.Simulator.Faults;
using Moxxie.Simulator.Hosting;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>A fake Proxmox VE cluster served over HTTPS (Kestrel) on /api2/json with a self-signed certificate.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly FaultSet _faults;

    private SimulatorServer(WebApplication app, X509Certificate2 certificate, Uri baseUrl, string fingerprint,
        string tokenId, string tokenSecret, string rootPassword, SimulatedCluster cluster, FaultSet faults, SimulatorControl control)
    {
        _app = app;
        _certificate = certificate;
        _faults = faults;
        Control = control;
        BaseUrl = baseUrl;
        CertificateFingerprint = fingerprint;
        TokenId = tokenId;
        TokenSecret = tokenSecret;
        RootPassword = rootPassword;
        Cluster = cluster;
    }

    /// <summary>e.g. https://127.0.0.1:43127/ (the API lives under BaseUrl + "api2/json/").</summary>
    public Uri BaseUrl { get; }

    /// <summary>SHA-256 of the certificate, "AB:CD:…" upper-case hex with colons (PVE style).</summary>
    public string CertificateFingerprint { get; }

    /// <summary>e.g. root@pam!moxxie</summary>
    public string TokenId { get; }

    public string TokenSecret { get; }

    public string RootPassword { get; }

    /// <summary>Thread-safe state, for tests to arrange and inspect.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>Every method the simulator serves ("GET" + "nodes/{node}/qemu"), as checked against the PVE schema.</summary>
    public static IReadOnlyList<Schema.ServedRoute> ServedRoutes => Schema.SimulatorRoutes.All;

    /// <summary>Faults, latency, nodes off-line, API down and the clock at runtime (the same as /_sim/… over HTTP).</summary>
    public SimulatorControl Control { get; }

    /// <summary>How long StartAsync took (building the preset, certificate, Kestrel).</summary>
    public TimeSpan StartupTime { get; private init; }

    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default) =>
        StartAsync(options, standalone: false, ct);

    internal static async Task<SimulatorServer> StartAsync(SimulatorOptions options, bool standalone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (tokenId, tokenSecret) = ParseToken(options.Token ?? $"root@pam!moxxie={Guid.NewGuid()}");
        var rootPassword = string.IsNullOrEmpty(options.RootPassword) ? GeneratePassword() : options.RootPassword;
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            throw new ArgumentException($"Simulator URL '{options.Url}' must be an absolute http(s) URL.", nameof(options));

        var started = System.Diagnostics.Stopwatch.StartNew();
        if (options.VmidBase is < 100 or > 999_989_999)
            throw new ArgumentException($"VmidBase {options.VmidBase} must leave room for 10,000 VMIDs between 100 and 999999999.", nameof(options));
        var time = new SimulatedClock(options.TimeProvider);
        var preset = Presets.Create(options.Preset, options.Seed, time.GetUtcNow(),
            new PresetNaming(options.ClusterName, options.NodePrefix, options.VmidBase));
        var cluster = new SimulatedCluster(preset, options.Seed, time, options.TaskSpeed) { FixedTaskSeconds = options.TaskSeconds };
        var localNode = preset.Nodes.First(n => n.Local).Name;
        var certificate = SelfSignedCertificate.Create(localNode, DateTimeOffset.UtcNow);
        var fingerprint = SelfSignedCertificate.Fingerprint(certificate);
        preset.Nodes.First(n => n.Local).SslFingerprint = fingerprint;   // GET /nodes shows the served certificate
        var auth = new PveAuth(certificate.GetRSAPrivateKey()!, tokenId, tokenSecret, rootPassword, time);
        var dispatcher = new ApiDispatcher(cluster, auth, new PveApi(cluster, auth).Routes(), options.DelayUnauthorized, options.ValidateResponses);
        var faults = new FaultSet(options.Seed);
        var control = new SimulatorControl(faults, time, cluster);
        var faultMiddleware = new FaultMiddleware(faults, new SimAdminEndpoints(control, tokenId, tokenSecret));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        if (!standalone) builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            void Configure(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http1;   // pveproxy speaks HTTP/1.1; reason phrases need it
                if (url.Scheme == "https") listen.UseHttps(certificate);
            }
            var port = url.Port;
            if (url.Host is "*" or "+" or "0.0.0.0" or "[::]") kestrel.ListenAnyIP(port, Configure);
            else if (url.IsLoopback && !IPAddress.TryParse(url.Host, out _)) kestrel.Listen(IPAddress.Loopback, port, Configure);
            else kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), port, Configure);
        });

        var app = builder.Build();
        app.Use(faultMiddleware.InvokeAsync);   // /_sim/… and runtime faults, before the PVE API
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.TrimEnd('/') + "/");
        return new SimulatorServer(app, certificate, baseUrl, fingerprint, tokenId, tokenSecret, rootPassword, cluster, faults, control)
        {
            StartupTime = started.Elapsed,
        };
    }

    /// <summary>Waits until the host is stopped (Ctrl+C in standalone mode).</summary>
    internal Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        _faults.ReleaseAll();   // hanging calls (timeout faults) answer, so the host stops at once
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _certificate.Dispose();
        }
    }

    /// <summary>"user@realm!tokenid=secret", split at the last '='.</summary>
    private static (string TokenId, string Secret) ParseToken(string token)
    {
        var eq = token.LastIndexOf('=');
        var id = eq > 0 ? token[..eq] : "";
        var bang = id.IndexOf('!');
        if (eq <= 0 || eq == token.Length - 1 || bang <= 0 || !id[..bang].Contains('@') || bang == id.Length - 1)
            throw new ArgumentException($"Simulator token must look like 'user@realm!tokenid=SECRET'.", nameof(token));
        return (id, token[(eq + 1)..]);
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
}
