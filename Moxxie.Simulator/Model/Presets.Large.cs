namespace Moxxie.Simulator.Model;

internal static partial class Presets
{
    public const int LargeNodeCount = 16;
    public const int LargeGuestCount = 3_400;           // templates included
    public const int LargeDefaultVmidBase = 1_000;
    public const string LargeDefaultClusterName = "large-cluster";
    public const string LargeDefaultNodePrefix = "pve";

    /// <summary>A guest family: name stem, tier tag, sizes, how busy it is, and what it runs on.</summary>
    private sealed record Family(
        string Stem, int Weight, string Tier, int[] Cores, int[] MemGiB, int[] DiskGiB, double Load,
        string? Env = null, string Type = "qemu", string OsType = "l26", bool CloudInit = false);

    private static readonly Family[] LargeFamilies =
    [
        new("web", 14, "web-tier", [2, 4], [4, 8], [40, 50, 60], 0.06),
        new("app", 12, "app-tier", [4, 8], [8, 16], [60, 80], 0.12),
        new("db", 7, "db-tier", [8, 16], [16, 32, 64], [200, 300, 500], 0.2),
        new("k8s-worker", 18, "k8s-worker", [8, 16], [16, 32], [100, 120], 0.3, CloudInit: true),
        new("k8s-master", 2, "k8s-master", [4], [8], [64], 0.1, CloudInit: true),
        new("cache", 4, "cache", [2, 4], [8, 16], [20], 0.05),
        new("mq", 3, "mq", [4], [8], [50], 0.08),
        new("ci-runner", 5, "ci", [4, 8], [8, 16], [80, 120], 0.18, Env: "env-dev"),
        new("dev-sandbox", 6, "sandbox", [2], [4], [32], 0.03, Env: "env-dev"),
        new("win-app", 3, "app-tier", [4, 8], [8, 16], [100, 120], 0.1, OsType: "win11"),
        new("win-rdsh", 2, "rdsh", [8], [32], [150], 0.2, OsType: "win11"),
        new("log", 3, "logging", [4, 8], [16, 32], [500, 1000], 0.15),
        new("monitoring", 2, "monitoring", [4], [8], [200], 0.09),
        new("lb", 2, "web-tier", [2], [2], [16], 0.04),
        new("mail-gw", 1, "mail", [2], [4], [32], 0.04),
        new("file-server", 1, "storage", [4], [8], [1000], 0.05),
        new("dns", 3, "infra", [1], [1], [8], 0.01, Type: "lxc"),
        new("proxy", 4, "web-tier", [1, 2], [1, 2], [8], 0.02, Type: "lxc"),
        new("redis", 3, "cache", [2], [4], [16], 0.03, Type: "lxc"),
        new("ntp", 1, "infra", [1], [1], [4], 0.005, Type: "lxc"),
    ];

    private static readonly string[] Clients =
        ["client-acme", "client-globex", "client-initech", "client-umbrella", "client-hooli", "client-wayne", "client-stark", "client-wonka"];

    private static readonly (string Name, string OsType, int DiskGiB)[] TemplateKinds =
    [
        ("ubuntu-24.04-template", "l26", 32), ("ubuntu-22.04-template", "l26", 32), ("debian-12-template", "l26", 20),
        ("debian-13-template", "l26", 20), ("rocky-9-template", "l26", 30), ("alma-9-template", "l26", 30),
        ("win2022-template", "win11", 80), ("win2025-template", "win11", 80),
    ];

    /// <summary>
    /// "large": 16 nodes and 3,400 guests (VMs, LXCs and 24 templates) with realistic names, tags, sizes and states,
    /// all drawn from a Random seeded with the simulator seed.
    /// </summary>
    private static ClusterPreset Large(int seed, DateTimeOffset now, PresetNaming naming)
    {
        var rng = new Random(unchecked(seed * 31 + 3_400));
        var prefix = naming.NodePrefix ?? LargeDefaultNodePrefix;
        var vmidBase = naming.VmidBase ?? LargeDefaultVmidBase;
        var p = new ClusterPreset { ClusterName = LargeDefaultClusterName, ConfigVersion = 23 };

        for (var i = 1; i <= LargeNodeCount; i++)
        {
            var epyc = i <= 10;
            p.Nodes.Add(Node(rng, now, $"{prefix}{i:D2}", $"10.20.0.{10 + i}", i, i == 1,
                epyc ? 128 : 96, 2,
                epyc ? "AMD EPYC 9354 32-Core Processor" : "Intel(R) Xeon(R) Gold 6342 CPU @ 2.80GHz",
                (epyc ? 1536L : 1024L) * GiB));
        }

        var totalWeight = LargeFamilies.Sum(f => f.Weight);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        var templates = TemplateKinds.Length * 3;
        for (var i = 0; i < LargeGuestCount - templates; i++)
        {
            var family = PickFamily(rng, totalWeight);
            var number = counters[family.Stem] = counters.GetValueOrDefault(family.Stem) + 1;
            var env = family.Env ?? Pick(rng, ["env-prod", "env-prod", "env-prod", "env-staging", "env-dev"]);
            var tags = new List<string> { env, family.Tier };
            if (env != "env-dev" && rng.NextDouble() < 0.7) tags.Add(Clients[rng.Next(Clients.Length)]);
            if (env == "env-prod" && rng.NextDouble() < 0.2) tags.Add("always-on");
            if (env == "env-prod" && rng.NextDouble() < 0.35) tags.Add("backup-daily");
            var state = rng.NextDouble() switch
            {
                var r when env == "env-prod" => r < 0.9 ? "running" : "stopped",
                var r when env == "env-staging" => r < 0.7 ? "running" : "stopped",
                var r => r < 0.45 ? "running" : r < 0.53 ? "paused" : "stopped",
            };
            var node = $"{prefix}{i % LargeNodeCount + 1:D2}";
            var name = $"{family.Stem}-{number:D3}";
            p.Guests.Add(Guest(rng, now, new GuestSpec(vmidBase + i, node, name, state, string.Join(';', tags),
                Pick(rng, family.Cores), Pick(rng, family.MemGiB), Pick(rng, family.DiskGiB), family.Type,
                OsType: family.OsType, CloudInit: family.CloudInit, Load: family.Load * (0.5 + rng.NextDouble()))));
        }
        for (var t = 0; t < templates; t++)
        {
            var kind = TemplateKinds[t % TemplateKinds.Length];
            var name = t < TemplateKinds.Length ? kind.Name : $"{kind.Name}-{t / TemplateKinds.Length + 1}";
            p.Guests.Add(Guest(rng, now, new GuestSpec(vmidBase + 9_000 + t, $"{prefix}{t % LargeNodeCount + 1:D2}", name, "stopped",
                "template", 2, 2, kind.DiskGiB, Template: true, OsType: kind.OsType, CloudInit: kind.OsType == "l26")));
        }

        var nasUsed = (long)(204_800 * GiB * (0.45 + rng.NextDouble() * 0.2));
        foreach (var n in p.Nodes)
        {
            p.Storages.Add(new SimStorage { Storage = "local", Node = n.Name, PluginType = "dir", Content = "backup,iso,vztmpl", Shared = false, Total = 200 * GiB, Used = (long)(200 * GiB * (0.2 + rng.NextDouble() * 0.4)) });
            p.Storages.Add(new SimStorage { Storage = "local-zfs", Node = n.Name, PluginType = "zfspool", Content = "images,rootdir", Shared = false, Total = 61_440 * GiB, Used = (long)(61_440 * GiB * (0.4 + rng.NextDouble() * 0.45)) });
            p.Storages.Add(new SimStorage { Storage = "backup-nas", Node = n.Name, PluginType = "nfs", Content = "backup,iso,vztmpl", Shared = true, Total = 204_800 * GiB, Used = nasUsed });
        }

        AddHistory(p, rng);
        return p;
    }

    private static Family PickFamily(Random rng, int totalWeight)
    {
        var x = rng.Next(totalWeight);
        foreach (var f in LargeFamilies)
        {
            if (x < f.Weight) return f;
            x -= f.Weight;
        }
        return LargeFamilies[^1];
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
}
