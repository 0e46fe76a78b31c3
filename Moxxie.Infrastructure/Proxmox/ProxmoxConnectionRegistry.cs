using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>
/// The connections Moxxie talks to: configured ones (Moxxie:Proxmox:Connections, validated at start-up, incl. demo
/// mode's simulator) merged with those stored in the database (secrets decrypted with ISecretProtector). One gateway
/// (one HttpClient) per connection, kept as long as its settings do not change; <see cref="ReloadAsync"/> rebuilds only
/// what changed and raises <see cref="Changed"/>.
/// </summary>
internal sealed class ProxmoxConnectionRegistry : IProxmoxConnections, IDisposable
{
    private static readonly TimeSpan DisposeDelay = TimeSpan.FromSeconds(30);

    private readonly ProxmoxClientFactory _factory;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<ProxmoxConnectionRegistry> _logger;
    private readonly IReadOnlyList<Entry> _configured;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile State _state;
    private bool _disposed;

    public ProxmoxConnectionRegistry(IOptions<ProxmoxOptions> options, ProxmoxClientFactory factory, IServiceProvider services,
        TimeProvider time, ILogger<ProxmoxConnectionRegistry> logger)
    {
        _factory = factory;
        _services = services;
        _time = time;
        _logger = logger;
        _configured = [.. options.Value.Connections.Select(c => new Entry(
            new ProxmoxConnectionSettings(c.Name!, new Uri(c.Url!), Blank(c.TokenId), Blank(c.TokenSecret), Blank(c.Fingerprint),
                c.InsecureSkipVerify, Blank(c.Username), Blank(c.Password)),
            c.Demo ? ConnectionSource.Demo : ConnectionSource.Configuration))];
        _state = Build(_configured, State.Empty);
    }

    public IReadOnlyList<ConnectionInfo> All => _state.Infos;

    public event Action? Changed;

    public IProxmoxGateway Get(string connection) =>
        _state.Gateways.TryGetValue(connection, out var g) ? g : throw new KeyNotFoundException($"Unknown Proxmox connection '{connection}'.");

    public async Task ReloadAsync(CancellationToken ct)
    {
        await _reloadLock.WaitAsync(ct);
        try
        {
            var stored = await LoadStoredAsync(ct);
            var merged = _configured.ToList();
            foreach (var s in stored)
            {
                if (merged.Any(m => string.Equals(m.Settings.Name, s.Settings.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    _logger.LogWarning("Stored Proxmox connection {Name} is shadowed by a configured connection of the same name", s.Settings.Name);
                    continue;
                }
                merged.Add(s);
            }
            var old = _state;
            var next = Build(merged, old);
            if (next.SameAs(old))
                return;
            _state = next;
            foreach (var (name, gateway) in old.Gateways)
                if (!next.Gateways.TryGetValue(name, out var kept) || !ReferenceEquals(kept, gateway))
                    _ = DisposeLaterAsync(gateway);
            _logger.LogInformation("Proxmox connections: {Names}", string.Join(", ", next.Infos.Select(i => $"{i.Name} ({i.Source})")));
            RaiseChanged();
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private async Task<List<Entry>> LoadStoredAsync(CancellationToken ct)
    {
        var dbFactory = _services.GetService<IMoxxieDbFactory>();
        var protector = _services.GetService<ISecretProtector>();
        if (dbFactory is null || protector is null) return [];
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.ProxmoxConnections.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var result = new List<Entry>();
        foreach (var row in rows)
        {
            string? secret = null;
            try
            {
                if (row.ProtectedTokenSecret is { Length: > 0 } p) secret = protector.Unprotect(p);
            }
            catch (Exception ex)
            {
                _logger.LogError("Cannot decrypt the token secret of stored Proxmox connection {Name} ({Error}); it is skipped", row.Name, ex.GetType().Name);
                continue;
            }
            if (!Uri.TryCreate(row.Url, UriKind.Absolute, out var url))
            {
                _logger.LogError("Stored Proxmox connection {Name} has an invalid URL; it is skipped", row.Name);
                continue;
            }
            result.Add(new Entry(new ProxmoxConnectionSettings(row.Name, url, row.TokenId, secret, row.Fingerprint, row.InsecureSkipVerify),
                ConnectionSource.Database));
        }
        return result;
    }

    private State Build(IReadOnlyList<Entry> entries, State previous)
    {
        var gateways = new Dictionary<string, ProxmoxGateway>(StringComparer.OrdinalIgnoreCase);
        var settings = new Dictionary<string, ProxmoxConnectionSettings>(StringComparer.OrdinalIgnoreCase);
        var infos = new List<ConnectionInfo>();
        foreach (var e in entries)
        {
            var s = e.Settings;
            gateways[s.Name] = previous.Settings.TryGetValue(s.Name, out var before) && before == s && previous.Gateways.TryGetValue(s.Name, out var g)
                ? g
                : _factory.CreateGateway(s);
            settings[s.Name] = s;
            infos.Add(new ConnectionInfo(s.Name, s.Url, s.TokenId ?? s.Username, s.Fingerprint, s.InsecureSkipVerify, e.Source));
        }
        return new State(gateways, settings, infos);
    }

    private void RaiseChanged()
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A Proxmox connections Changed handler failed");
            }
        }
    }

    private async Task DisposeLaterAsync(ProxmoxGateway gateway)
    {
        // Calls in flight on the old client finish first.
        try
        {
            await Task.Delay(DisposeDelay, _time);
        }
        finally
        {
            gateway.Dispose();
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var g in _state.Gateways.Values) g.Dispose();
        _reloadLock.Dispose();
    }

    private sealed record Entry(ProxmoxConnectionSettings Settings, ConnectionSource Source);

    private sealed record State(
        IReadOnlyDictionary<string, ProxmoxGateway> Gateways,
        IReadOnlyDictionary<string, ProxmoxConnectionSettings> Settings,
        IReadOnlyList<ConnectionInfo> Infos)
    {
        public static State Empty { get; } = new(new Dictionary<string, ProxmoxGateway>(), new Dictionary<string, ProxmoxConnectionSettings>(), []);

        public bool SameAs(State other) => Infos.SequenceEqual(other.Infos) && Gateways.All(g => other.Gateways.TryGetValue(g.Key, out var o) && ReferenceEquals(o, g.Value));
    }
}
