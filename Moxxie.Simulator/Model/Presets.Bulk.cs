namespace Moxxie.Simulator.Model;

internal static partial class Presets
{
    public const int BulkNodeCount = 10;
    public const int BulkGuestCount = 1_000;

    /// <summary>
    /// "bulk": a 10-node cluster ("bulk-cluster", nodes {NodePrefix}01…10) with 1,000 small running QEMU VMs spread evenly
    /// (VMIDs from VmidBase, default 1000, names bulk-0001…, tags bulk and env-test, every tenth also "canary") and one
    /// template per node — the shape of the bulk-operation benchmark and crash test.
    /// </summary>
    private static ClusterPreset Bulk(int seed, DateTimeOffset now, PresetNaming naming)
    {
        var rng = new Random(unchecked(seed * 31 + 1_000));
        var prefix = naming.NodePrefix ?? LargeDefaultNodePrefix;
        var vmidBase = naming.VmidBase ?? LargeDefaultVmidBase;
        var p = new ClusterPreset { ClusterName = "bulk-cluster", ConfigVersion = 11 };
        for (var i = 1; i <= BulkNodeCount; i++)
            p.Nodes.Add(Node(rng, now, $"{prefix}{i:D2}", $"10.30.0.{10 + i}", i, i == 1, 64, 2, "AMD EPYC 9354 32-Core Processor", 512L * GiB));
        for (var i = 0; i < BulkGuestCount; i++)
        {
            var tags = i % 10 == 0 ? "bulk;canary;env-test" : "bulk;env-test";
            p.Guests.Add(Guest(rng, now, new GuestSpec(vmidBase + i, $"{prefix}{i % BulkNodeCount + 1:D2}", $"bulk-{i + 1:D4}", "running", tags, 1, 1, 8,
                Load: 0.02)));
        }
        for (var t = 0; t < BulkNodeCount; t++)
            p.Guests.Add(Guest(rng, now, new GuestSpec(vmidBase + 9_000 + t, $"{prefix}{t + 1:D2}", $"bulk-template-{t + 1:D2}", "stopped", "template", 1, 1, 8,
                Template: true, CloudInit: true)));
        foreach (var n in p.Nodes)
        {
            p.Storages.Add(new SimStorage { Storage = "local", Node = n.Name, PluginType = "dir", Content = "backup,iso,vztmpl", Shared = false, Total = 200 * GiB, Used = 20 * GiB });
            p.Storages.Add(new SimStorage { Storage = "local-zfs", Node = n.Name, PluginType = "zfspool", Content = "images,rootdir", Shared = false, Total = 8_192 * GiB, Used = 1_024 * GiB });
        }
        AddHistory(p, rng);
        return p;
    }
}
