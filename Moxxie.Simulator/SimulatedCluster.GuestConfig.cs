using System.Text.RegularExpressions;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>Config updates like qemu-server's update_vm_api: hot-pluggable changes apply at once, others go to [PENDING].</summary>
public sealed partial class SimulatedCluster
{
    /// <summary>Parameters of PUT/POST …/config that are not config keys.</summary>
    internal static readonly HashSet<string> UpdateControlParams =
        ["node", "vmid", "delete", "revert", "digest", "skiplock", "background_delay", "skip_cloud_init", "force"];

    private static readonly HashSet<string> QemuFastPlug =
        ["name", "onboot", "protection", "description", "tags", "startup", "shares", "hookscript", "vmstatestorage", "balloon", "cpulimit", "cpuunits"];

    private static readonly HashSet<string> LxcColdKeys =
        ["arch", "ostype", "unprivileged", "features", "console", "tty", "cmode", "hookscript", "rootfs", "entrypoint", "env"];

    [GeneratedRegex(@"^[a-z0-9_][a-z0-9_\-\+\.]*$", RegexOptions.IgnoreCase)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^unused(\d+)$")]
    private static partial Regex UnusedKeyRegex();

    internal static IReadOnlyList<string> SplitList(string? value) =>
        value is null ? [] : value.Split([',', ';', ' ', '\t', '\0'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether a change to <paramref name="key"/> applies to a running guest at once (else it goes to pending).</summary>
    private bool Hotpluggable(SimGuest g, string key)
    {
        if (!g.IsRunning) return true;
        if (!g.IsQemu) return !LxcColdKeys.Contains(key) && !Regex.IsMatch(key, @"^mp\d+$");
        if (QemuFastPlug.Contains(key) || UnusedKeyRegex().IsMatch(key)) return true;
        var hotplug = ConfigOf(g).GetValueOrDefault("hotplug") ?? "network,disk,usb";
        var features = hotplug switch
        {
            "1" => ["network", "disk", "usb"],
            "0" => [],
            _ => SplitList(hotplug),
        };
        if (Regex.IsMatch(key, @"^net\d+$")) return features.Contains("network");
        if (Regex.IsMatch(key, @"^(?:scsi|virtio|sata)\d+$")) return features.Contains("disk");
        if (Regex.IsMatch(key, @"^usb\d+$")) return features.Contains("usb");
        if (key == "memory") return features.Contains("memory") && ConfigOf(g).GetValueOrDefault("numa") == "1";
        if (key == "vcpus") return features.Contains("cpu");
        return false;
    }

    /// <summary>Applies the [PENDING] section (qemu-server does this when the VM starts).</summary>
    internal void ApplyPending(SimGuest g)
    {
        if (g.Pending.Count == 0 && g.PendingDelete.Count == 0) return;
        var c = ConfigOf(g);
        foreach (var key in g.PendingDelete.Keys) DeleteKey(g, c, key);
        foreach (var (k, v) in g.Pending) ReplaceKey(g, c, k, v);
        g.Pending.Clear();
        g.PendingDelete.Clear();
        SyncFields(g);
    }

    /// <summary>Removes a key; a disk in use becomes unusedN (as PVE keeps the volume), an unused volume is destroyed.</summary>
    private static void DeleteKey(SimGuest g, SortedDictionary<string, string> c, string key)
    {
        if (!c.Remove(key, out var old)) return;
        KeepAsUnused(g, c, key, old);
    }

    private static void ReplaceKey(SimGuest g, SortedDictionary<string, string> c, string key, string value)
    {
        if (c.TryGetValue(key, out var old) && IsDiskKey(g, key))
        {
            var before = DisksOf(g, new Dictionary<string, string> { [key] = old })[0].Volid;
            var after = DisksOf(g, new Dictionary<string, string> { [key] = value })[0].Volid;
            if (before != after) KeepAsUnused(g, c, key, old);
        }
        c[key] = value;
    }

    private static void KeepAsUnused(SimGuest g, SortedDictionary<string, string> c, string key, string old)
    {
        if (!IsDiskKey(g, key) || UnusedKeyRegex().IsMatch(key)) return;
        var disk = DisksOf(g, new Dictionary<string, string> { [key] = old })[0];
        if (disk.Cdrom || disk.CloudInit || disk.Storage is null) return;
        var n = 0;
        while (c.ContainsKey($"unused{n}")) n++;
        c[$"unused{n}"] = disk.Volid;
    }

    /// <summary>
    /// PUT/POST …/config: validates, then applies or queues every change. Throws PveError for what PVE refuses
    /// synchronously (parameter errors, digest mismatch, lock). Returns the lines a task would log (disk creation).
    /// </summary>
    internal List<string> UpdateConfig(SimGuest g, IReadOnlyDictionary<string, string> p, bool skiplock)
    {
        var set = p.Where(kv => !UpdateControlParams.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var delete = SplitList(p.GetValueOrDefault("delete"));
        var revert = SplitList(p.GetValueOrDefault("revert"));
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in delete)
            if (set.ContainsKey(d.TrimStart('!'))) errors["delete"] = $"you can't use '-{d.TrimStart('!')}' and '-delete {d.TrimStart('!')}' at the same time";
        foreach (var r in revert)
            if (set.ContainsKey(r)) errors["revert"] = $"you can't use '-{r}' and '-revert {r}' at the same time";
        if (set.TryGetValue("tags", out var tags))
        {
            var bad = SplitList(tags).FirstOrDefault(t => !TagRegex().IsMatch(t));
            if (bad is not null) errors["tags"] = $"invalid format - invalid characters in tag '{bad}'";
        }
        if (errors.Count > 0) throw PveError.ParameterVerification(errors);
        if (set.Count == 0 && delete.Count == 0 && revert.Count == 0) throw PveError.Server("no options specified");

        if (p.GetValueOrDefault("digest") is { Length: > 0 } digest && digest != DigestOf(g))
            throw PveError.Server("detected modified configuration - file changed by other user? Try again.");
        CheckLock(g, skiplock);

        var c = ConfigOf(g);
        var log = new List<string>();
        if (set.Remove("lock", out var newLock)) g.Lock = newLock;
        if (delete.Contains("lock")) g.Lock = null;
        foreach (var key in revert)
        {
            g.Pending.Remove(key);
            g.PendingDelete.Remove(key);
        }
        foreach (var raw in delete)
        {
            var force = raw.StartsWith('!');
            var key = raw.TrimStart('!');
            if (key == "lock") continue;
            if (!c.ContainsKey(key) && !g.Pending.ContainsKey(key)) continue;     // PVE only warns
            g.Pending.Remove(key);
            if (Hotpluggable(g, key))
            {
                DeleteKey(g, c, key);
                g.PendingDelete.Remove(key);
            }
            else if (c.ContainsKey(key)) g.PendingDelete[key] = force;
        }
        foreach (var (key, raw) in set)
        {
            var value = key == "tags" ? Presets.NormalizeTags(raw) : AllocateIfNew(g, key, CompleteValue(g, key, raw), log);
            g.PendingDelete.Remove(key);
            if (Hotpluggable(g, key))
            {
                ReplaceKey(g, c, key, value);
                g.Pending.Remove(key);
            }
            else if (c.TryGetValue(key, out var current) && current == value) g.Pending.Remove(key);
            else g.Pending[key] = value;
        }
        SyncFields(g);
        return log;
    }

    /// <summary>GET …/pending: every key with its current value, pending value and pending delete flag.</summary>
    internal IEnumerable<(string Key, string? Value, string? Pending, int? Delete)> PendingEntries(SimGuest g)
    {
        var c = ConfigOf(g);
        var entries = new List<(string, string?, string?, int?)>();
        foreach (var (k, v) in c)
            entries.Add((k, v, g.Pending.GetValueOrDefault(k), g.PendingDelete.TryGetValue(k, out var f) ? (f ? 2 : 1) : null));
        if (g.Lock is { } l) entries.Add(("lock", l, null, null));
        if (g.Parent is { } parent) entries.Add(("parent", parent, null, null));
        entries.Add(("digest", DigestOf(g), null, null));
        foreach (var (k, v) in g.Pending)
            if (!c.ContainsKey(k)) entries.Add((k, null, v, null));
        return entries.OrderBy(e => e.Item1, StringComparer.Ordinal);
    }

    /// <summary>The config GET returns: pending values applied unless <paramref name="current"/>; lock/parent/digest added.</summary>
    internal SortedDictionary<string, string> EffectiveConfig(SimGuest g, bool current)
    {
        var result = new SortedDictionary<string, string>(ConfigOf(g), StringComparer.Ordinal);
        if (!current)
        {
            foreach (var (k, v) in g.Pending) result[k] = v;
            foreach (var k in g.PendingDelete.Keys) result.Remove(k);
        }
        if (g.Lock is { } l) result["lock"] = l;
        if (g.Parent is { } parent) result["parent"] = parent;
        return result;
    }
}
