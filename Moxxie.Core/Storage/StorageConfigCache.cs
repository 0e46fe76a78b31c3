using System.Collections.Concurrent;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Storage;

/// <summary>Singleton: datacenter storage configuration per connection, which rarely changes, kept for <see cref="Lifetime"/>
/// and dropped when Moxxie itself changes it. One PVE call per connection per lifetime, whatever the number of browsers.</summary>
public sealed class StorageConfigCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<StorageConfig>> GetAsync(string connection, IProxmoxGateway gateway, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(connection, out var entry) && now - entry.At < Lifetime) return entry.Configs;
        var configs = await gateway.GetStorageConfigsAsync(ct);
        _entries[connection] = new Entry(configs, now);
        return configs;
    }

    public void Invalidate(string connection) => _entries.TryRemove(connection, out _);

    private sealed record Entry(IReadOnlyList<StorageConfig> Configs, DateTimeOffset At);
}
