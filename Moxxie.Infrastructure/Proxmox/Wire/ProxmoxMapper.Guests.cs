using System.Text.Json;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal static partial class ProxmoxMapper
{
    public static NodeGuest ToNodeGuest(GuestStatusDto d, GuestType type) =>
        new(d.VmId ?? 0, type, Name(d.Name, d.VmId, type), GuestStatus(d.Status, d.QmpStatus), d.Cpu ?? 0, d.Cpus ?? 0, d.Mem ?? 0, d.MaxMem ?? 0,
            d.Disk ?? 0, d.MaxDisk ?? 0, d.NetIn ?? 0, d.NetOut ?? 0, d.DiskRead ?? 0, d.DiskWrite ?? 0, d.Uptime ?? 0, d.Template ?? false,
            Tags(d.Tags), Empty(d.Lock), d.Pid);

    public static GuestStatusDetail ToGuestStatus(GuestStatusDto d, int vmId, GuestType type) =>
        new(d.VmId ?? vmId, type, Name(d.Name, d.VmId ?? vmId, type), GuestStatus(d.Status, d.QmpStatus), Empty(d.QmpStatus), d.Cpu ?? 0, d.Cpus ?? 0,
            d.Mem ?? 0, d.MaxMem ?? 0, d.Balloon, d.Disk ?? 0, d.MaxDisk ?? 0, d.NetIn ?? 0, d.NetOut ?? 0, d.DiskRead ?? 0, d.DiskWrite ?? 0,
            d.Uptime ?? 0, d.Template ?? false, d.Agent ?? false, Tags(d.Tags), Empty(d.Lock), d.Pid,
            d.Ha is { Managed: true } ha ? Empty(ha.State) : null, Empty(d.RunningMachine), Empty(d.RunningQemu));

    private static string Name(string? name, int? vmId, GuestType type) =>
        string.IsNullOrEmpty(name) ? $"{(type == GuestType.Lxc ? "CT" : "VM")} {vmId}" : name;

    public static PendingChange ToPending(PendingDto d) => new(d.Key ?? "", d.Value, d.Pending, d.Delete ?? false);

    public static Snapshot ToSnapshot(SnapshotDto d) =>
        new(d.Name ?? "", Empty(d.Parent), d.Description, d.SnapTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null, d.VmState ?? false,
            d.Name == "current", d.Running);

    public static MigratePrecondition ToMigrate(MigrateDto d)
    {
        var notAllowed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (d.NotAllowedNodes is { ValueKind: JsonValueKind.Object } na)
        {
            foreach (var node in na.EnumerateObject())
            {
                // PVE: {"node2": {"unavailable_storages": ["local-lvm"]}} or {"blocking-ha-resources": [...]}; describe each reason.
                var reasons = new List<string>();
                if (node.Value.ValueKind == JsonValueKind.Object)
                    foreach (var r in node.Value.EnumerateObject())
                        reasons.Add(r.Value.ValueKind == JsonValueKind.Array
                            ? $"{r.Name}: {string.Join(", ", r.Value.EnumerateArray().Select(Describe))}"
                            : $"{r.Name}: {Describe(r.Value)}");
                else reasons.Add(Describe(node.Value));
                notAllowed[node.Name] = reasons;
            }
        }
        var disks = (d.LocalDisks ?? []).Select(l => new MigrateLocalDisk(l.VolId ?? "", l.Size ?? 0, l.Cdrom ?? false, l.IsUnused ?? false)).ToList();
        return new MigratePrecondition(d.Running ?? false, d.AllowedNodes ?? [], notAllowed, disks, d.LocalResources ?? [], d.MappedResources ?? []);
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object when e.TryGetProperty("sid", out var sid) => PveJson.ScalarText(sid) ?? "",
        JsonValueKind.Object or JsonValueKind.Array => e.GetRawText(),
        _ => PveJson.ScalarText(e) ?? "",
    };
}
