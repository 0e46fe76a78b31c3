namespace Moxxie.Core.Proxmox;

/// <summary>One entry of GET /nodes/{node}/{qemu|lxc}/{vmid}/snapshot. The pseudo entry "current" ("You are here!") marks where
/// the VM stands; its <see cref="Parent"/> is the snapshot the VM runs on.</summary>
public sealed record Snapshot(string Name, string? Parent, string? Description, DateTimeOffset? Time, bool VmState, bool IsCurrent, bool? Running);

/// <summary>POST …/snapshot.</summary>
public sealed record SnapshotRequest(string Name, string? Description = null, bool IncludeRam = false);
