using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Tests.Unit.Support;

/// <summary>Small builders for Core records.</summary>
public static class Builders
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static GuestResource Guest(int vmid, string name, string status = "running", string node = "proxmox-01",
        string[]? tags = null, bool template = false, GuestType type = GuestType.Qemu) =>
        new(vmid, name, node, type, status, status == "running" ? 0.1 : 0, 2, 1L << 30, 2L << 30, 0, 32L << 30, 0, 0, 0, 0,
            status == "running" ? 3600 : 0, template, tags ?? [], null, null, null);

    public static InventorySnapshot Snapshot(string connection, params GuestResource[] guests) =>
        Snapshot(connection, guests, nodes: null);

    public static InventorySnapshot Snapshot(string connection, GuestResource[] guests, NodeResource[]? nodes, StorageResource[]? storage = null,
        PveTask[]? tasks = null, string? error = null) =>
        new(connection, T0,
            new ClusterInfo("production-cluster", true, 3, [new("proxmox-01", true, "192.168.1.10", false, 1, null), new("proxmox-02", true, "192.168.1.11", false, 2, null)]),
            new ClusterResources(guests, nodes ?? [], storage ?? []), tasks ?? [], error);

    public static PveTask PveTaskAt(string upid, DateTimeOffset start, bool running = false, string? exit = "OK") =>
        new(upid, "proxmox-01", "qmstart", "101", "root@pam", start, running ? null : start.AddSeconds(2), running, running ? null : exit);

    public static string Upid(int pid, DateTimeOffset start, string type = "qmstart", string id = "101") =>
        $"UPID:proxmox-01:{pid:X8}:00001234:{start.ToUnixTimeSeconds():X8}:{type}:{id}:root@pam:";
}
