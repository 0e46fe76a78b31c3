using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>
/// Infrastructure state beside the guests: storage.cfg and storage content, per-node network and services, backup
/// jobs, pools and SDN. Seeded from the preset (cheap enough for the large preset) and only touched under the lock.
/// </summary>
public sealed partial class SimulatedCluster
{
    internal Dictionary<string, SimNodeInfra> NodeInfra { get; } = new(StringComparer.Ordinal);
    internal SortedDictionary<string, SimStorageConfig> StorageConfigs { get; } = new(StringComparer.Ordinal);
    internal List<SimVolume> Volumes { get; } = [];
    internal SortedDictionary<string, SimBackupJob> BackupJobs { get; } = new(StringComparer.Ordinal);
    internal SortedDictionary<string, SimPool> Pools { get; } = new(StringComparer.Ordinal);
    internal SdnState Sdn { get; } = new();

    /// <summary>Runtime randomness of infrastructure operations (archive sizes, task ids); seeded.</summary>
    private Random? _infraRng;
    private Random InfraRng => _infraRng ??= new Random(unchecked(Seed * 31 + 5));

    private void InitInfrastructure() => SeedInfrastructure(new Random(unchecked(Seed * 7333 + 11)));

    // ---- storages -----------------------------------------------------------------------------------------

    internal SimStorage? FindStorage(string node, string storage) =>
        Storages.FirstOrDefault(s => s.Node == node && s.Storage == storage);

    /// <summary>Volumes of a storage as seen from a node (shared storages: the same volumes on every node).</summary>
    internal IEnumerable<SimVolume> VolumesOn(SimStorage s) =>
        Volumes.Where(v => v.Storage == s.Storage && (s.Shared || v.Node == s.Node));

    /// <summary>The storage holding a guest's disks on its node (its configured one, else the node's first image storage).</summary>
    internal SimStorage? GuestDiskStorage(SimGuest g) =>
        FindStorage(g.Node, g.DiskStorage)
        ?? Storages.FirstOrDefault(s => s.Node == g.Node && s.Content.Split(',').Contains(g.Type == "lxc" ? "rootdir" : "images"));

    internal static long GuestDiskUsed(SimGuest g) => (long)(g.MaxDisk * g.DiskUsedFraction);

    /// <summary>Bytes used per (storage, node): base usage + listed content + guest disks. One pass for all storages.</summary>
    internal Dictionary<(string Storage, string Node), long> StorageUsage()
    {
        var byStorage = new Dictionary<(string, string?), long>();
        foreach (var v in Volumes)
        {
            var key = (v.Storage, v.Node);
            byStorage[key] = byStorage.GetValueOrDefault(key) + v.Size;
        }
        var disks = new Dictionary<(string, string), long>();
        foreach (var g in GuestMap.Values)
        {
            if (GuestDiskStorage(g) is not { } s) continue;
            var key = (s.Storage, s.Node);
            disks[key] = disks.GetValueOrDefault(key) + GuestDiskUsed(g);
        }
        var result = new Dictionary<(string, string), long>();
        foreach (var s in Storages)
        {
            var used = s.BaseUsed + byStorage.GetValueOrDefault((s.Storage, s.Shared ? null : s.Node)) + disks.GetValueOrDefault((s.Storage, s.Node));
            if (s.Shared)
            {
                // a shared storage's guest disks count once, wherever the guest runs
                used = s.BaseUsed + byStorage.GetValueOrDefault((s.Storage, null))
                       + disks.Where(d => d.Key.Item1 == s.Storage).Sum(d => d.Value);
            }
            result[(s.Storage, s.Node)] = Math.Min(s.UsedOverride ?? used, s.Total);
        }
        return result;
    }

    /// <summary>
    /// Fixes the used bytes a storage reports on a node (null: back to the content-driven figure), in
    /// nodes/{node}/storage, its status and cluster/resources alike. A shared storage is one volume: every node sees the figure.
    /// </summary>
    public (long Used, long Total) SetStorageUsed(string node, string storage, long? usedBytes) =>
        SetStorageUsed(node, storage, _ => usedBytes);

    /// <summary>As <see cref="SetStorageUsed(string, string, long?)"/> with a fraction (0…1) of the storage's total.</summary>
    public (long Used, long Total) SetStorageUsedFraction(string node, string storage, double fraction)
    {
        if (double.IsNaN(fraction) || fraction is < 0 or > 1) throw new ArgumentException("fraction must be between 0 and 1", nameof(fraction));
        return SetStorageUsed(node, storage, total => (long)Math.Round(total * fraction));
    }

    private (long Used, long Total) SetStorageUsed(string node, string storage, Func<long, long?> usedOfTotal)
    {
        lock (Gate)
        {
            if (Nodes.All(n => n.Name != node)) throw new KeyNotFoundException($"no node '{node}'");
            var s = FindStorage(node, storage) ?? throw new KeyNotFoundException($"no storage '{storage}' on node '{node}'");
            var usedBytes = usedOfTotal(s.Total);
            if (usedBytes is { } b && (b < 0 || b > s.Total))
                throw new ArgumentException($"used must be between 0 and the storage's total {s.Total} bytes", "used");
            foreach (var x in s.Shared ? Storages.Where(x => x.Storage == storage) : new[] { s }) x.UsedOverride = usedBytes;
            return (StorageUsed(s), s.Total);
        }
    }

    /// <summary>Every storage back to its content-driven usage.</summary>
    internal void ClearStorageUsedOverrides()
    {
        lock (Gate) foreach (var s in Storages) s.UsedOverride = null;
    }

    internal long StorageUsed(SimStorage s) => StorageUsage()[(s.Storage, s.Node)];

    internal void AddVolume(SimVolume v) => Volumes.Add(v);

    internal SimVolume? FindVolume(string volid) => Volumes.FirstOrDefault(v => v.VolId == volid);

    /// <summary>The filesystem path PVE would show for a volume (backups: the dump directory).</summary>
    internal string VolumePath(SimVolume v)
    {
        var cfg = StorageConfigs.GetValueOrDefault(v.Storage);
        var root = cfg?.Props.GetValueOrDefault("path") as string ?? $"/mnt/pve/{v.Storage}";
        var dir = v.Content switch { "backup" => "dump", "iso" => "template/iso", "vztmpl" => "template/cache", _ => v.Content };
        return $"{root}/{dir}/{v.VolName[(v.VolName.IndexOf('/') + 1)..]}";
    }

    // ---- generic tasks for infrastructure operations -------------------------------------------------------

    /// <summary>A worker task for an infrastructure operation; <paramref name="complete"/> applies its change at the end.</summary>
    internal SimTask InfraTask(string node, string type, string id, string user, double minSeconds, double maxSeconds,
        Func<string?>? complete, IEnumerable<string>? lines = null, string? error = null, int? vmid = null)
    {
        var task = NewTask(FindNode(node)!, type, id, user, minSeconds, maxSeconds, vmid, complete, error);
        if (lines is not null)
        {
            var list = lines.ToList();
            var span = task.PlannedEnd - task.Started;
            for (var i = 0; i < list.Count; i++)
                task.PlannedLines.Add((span * ((i + 0.5) / Math.Max(1, list.Count)), list[i]));
        }
        return task;
    }

    internal double TaskSpeed => _taskSpeed;

    internal int NextInfraRandom(int min, int max) => InfraRng.Next(min, max);

    internal double NextInfraDouble() => InfraRng.NextDouble();
}

/// <summary>SDN configuration as edited (config) and as last applied (running).</summary>
internal sealed class SdnState
{
    public SortedDictionary<string, SimSdnObject> Zones { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimSdnObject> Vnets { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimSdnObject> Subnets { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimSdnObject> RunningZones { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimSdnObject> RunningVnets { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimSdnObject> RunningSubnets { get; set; } = new(StringComparer.Ordinal);

    public void Apply()
    {
        RunningZones = Copy(Zones);
        RunningVnets = Copy(Vnets);
        RunningSubnets = Copy(Subnets);
    }

    private static SortedDictionary<string, SimSdnObject> Copy(SortedDictionary<string, SimSdnObject> source)
    {
        var copy = new SortedDictionary<string, SimSdnObject>(StringComparer.Ordinal);
        foreach (var (k, v) in source) copy[k] = v.Clone();
        return copy;
    }
}
