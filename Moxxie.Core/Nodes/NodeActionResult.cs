namespace Moxxie.Core.Nodes;

/// <summary>Result of a node or service action: the UPID of the started task (service actions), or why it did not happen.</summary>
public sealed record NodeActionResult(bool Success, string? Upid, string Message)
{
    public NodeActionFailure? Failure { get; init; }

    /// <summary>HTTP status PVE answered with when <see cref="Failure"/> is <see cref="NodeActionFailure.Proxmox"/> (null: unreachable).</summary>
    public int? ProxmoxStatus { get; init; }

    public static NodeActionResult Refused(string message) => new(false, null, message) { Failure = NodeActionFailure.Refused };
}

public enum NodeActionFailure { Refused, Proxmox }
