using Moxxie.Core.Proxmox;
using Moxxie.Core.Tasks;

namespace Moxxie.Infrastructure.Proxmox.Wire;

/// <summary>Wire DTOs → Core records, at the edge.</summary>
internal static partial class ProxmoxMapper
{
    public static PveVersion ToVersion(VersionDto d) => new(d.Version ?? "", d.Release ?? "", string.IsNullOrEmpty(d.RepoId) ? null : d.RepoId);

    public static ClusterInfo ToClusterInfo(IEnumerable<ClusterStatusDto> items)
    {
        string? name = null;
        bool? quorate = null;
        int? version = null;
        var nodes = new List<ClusterNode>();
        foreach (var i in items)
        {
            switch (i.Type)
            {
                case "cluster":
                    name = i.Name;
                    quorate = i.Quorate;
                    version = i.Version;
                    break;
                case "node" when i.Name is not null:
                    nodes.Add(new ClusterNode(i.Name, i.Online ?? false, Empty(i.Ip), i.Local ?? false, i.NodeId, Empty(i.Level)));
                    break;
            }
        }
        nodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        // A standalone node has no "cluster" entry: it is quorate by itself when it answers.
        return new ClusterInfo(name, quorate ?? (name is null && nodes.Count > 0), version, nodes);
    }

    public static ClusterResources ToResources(IEnumerable<ResourceDto> items)
    {
        var guests = new List<GuestResource>();
        var nodes = new List<NodeResource>();
        var storage = new List<StorageResource>();
        var sdn = new List<SdnResource>();
        var pools = new List<PoolResource>();
        foreach (var r in items)
        {
            switch (r.Type)
            {
                case "qemu" or "lxc" when ToGuest(r) is { } g:
                    guests.Add(g);
                    break;
                case "node" when r.Node is not null:
                    nodes.Add(new NodeResource(r.Node, r.Status ?? "unknown", r.Cpu ?? 0, (int)(r.MaxCpu ?? 0), r.Mem ?? 0, r.MaxMem ?? 0,
                        r.Disk ?? 0, r.MaxDisk ?? 0, r.Uptime ?? 0, Empty(r.Level)));
                    break;
                case "storage" when r.Storage is not null:
                    storage.Add(new StorageResource(r.Storage, r.Node ?? "", r.Status ?? "unknown", r.Disk ?? 0, r.MaxDisk ?? 0,
                        Split(r.Content, ','), r.Shared ?? false, Empty(r.PluginType)));
                    break;
                case "sdn" when (r.Sdn ?? VmIdlessName(r.Id)) is { } zone:
                    sdn.Add(new SdnResource(zone, r.Node ?? "", Empty(r.Status), Empty(r.ZoneType)));
                    break;
                case "pool" when (r.Pool ?? VmIdlessName(r.Id)) is { } pool:
                    pools.Add(new PoolResource(pool));
                    break;
            }
        }
        guests.Sort((a, b) => a.VmId.CompareTo(b.VmId));
        nodes.Sort((a, b) => string.CompareOrdinal(a.Node, b.Node));
        return new ClusterResources(guests, nodes, storage) { Sdn = sdn, Pools = pools };
    }

    public static GuestResource? ToGuest(ResourceDto r)
    {
        var vmid = r.VmId ?? VmIdFromId(r.Id);
        if (vmid is null) return null;
        var type = r.Type == "lxc" ? GuestType.Lxc : GuestType.Qemu;
        return new GuestResource(
            vmid.Value,
            string.IsNullOrEmpty(r.Name) ? $"{(type == GuestType.Lxc ? "CT" : "VM")} {vmid}" : r.Name,
            r.Node ?? "",
            type,
            GuestStatus(r.Status, r.QmpStatus),
            r.Cpu ?? 0,
            (int)Math.Round(r.MaxCpu ?? 0),
            r.Mem ?? 0,
            r.MaxMem ?? 0,
            r.Disk ?? 0,
            r.MaxDisk ?? 0,
            r.NetIn ?? 0,
            r.NetOut ?? 0,
            r.DiskRead ?? 0,
            r.DiskWrite ?? 0,
            r.Uptime ?? 0,
            r.Template ?? false,
            Tags(r.Tags),
            Empty(r.Lock),
            Empty(r.HaState),
            Empty(r.Pool));
    }

    /// <summary>PVE reports a paused VM as status "running" with qmpstatus "paused"; Moxxie shows "paused".</summary>
    public static string GuestStatus(string? status, string? qmpStatus) =>
        status == "running" && qmpStatus is "paused" or "suspended" or "prelaunch" ? "paused" : status ?? "unknown";

    /// <summary>PVE stores tags ';'-separated; accept ',' and spaces as well (older configs).</summary>
    public static IReadOnlyList<string> Tags(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? [] : tags.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static PveTask ToTask(TaskDto t, string? fallbackUpid = null)
    {
        var upidText = t.Upid ?? fallbackUpid ?? "";
        Upid.TryParse(upidText, out var upid);
        var start = t.StartTime is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : upid?.StartTime ?? DateTimeOffset.UnixEpoch;
        // Task status (tasks/{upid}/status): status running|stopped plus exitstatus. Task lists: status is the exit status
        // (absent or "running" while running), endtime once finished.
        bool running;
        string? exit;
        if (t.Status is "running")
        {
            running = true;
            exit = null;
        }
        else if (t.Status is "stopped")
        {
            running = false;
            exit = t.ExitStatus ?? "unexpected status";
        }
        else if (t.Status is null && t.EndTime is null)
        {
            running = t.ExitStatus is null;
            exit = t.ExitStatus;
        }
        else
        {
            running = false;
            exit = t.Status ?? t.ExitStatus ?? "unexpected status";
        }
        var user = t.User ?? upid?.User ?? "";
        if (!string.IsNullOrEmpty(t.TokenId) && !user.Contains('!', StringComparison.Ordinal)) user = $"{user}!{t.TokenId}";
        return new PveTask(
            upidText,
            t.Node ?? upid?.Node ?? "",
            t.Type ?? upid?.Type ?? "",
            string.IsNullOrEmpty(t.Id) ? upid?.Id : t.Id,
            user,
            start,
            running ? null : t.EndTime is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : null,
            running,
            exit);
    }

    public static TaskLog ToTaskLog(IEnumerable<TaskLogLineDto> lines, int? total)
    {
        var list = lines.Select((l, i) => new TaskLogLine(l.N ?? i + 1, l.T ?? "")).ToList();
        return new TaskLog(list, total ?? list.Count);
    }

    private static int? VmIdFromId(string? id)
    {
        var slash = id?.IndexOf('/') ?? -1;
        return slash > 0 && int.TryParse(id![(slash + 1)..], out var v) ? v : null;
    }

    /// <summary>"sdn/node1/zone1" → "zone1", "pool/dev" → "dev".</summary>
    private static string? VmIdlessName(string? id) => id?.LastIndexOf('/') is int i and > 0 ? id[(i + 1)..] : null;

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static IReadOnlyList<string> Split(string? s, char sep) =>
        string.IsNullOrEmpty(s) ? [] : s.Split(sep, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
