using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Core.Validation;
using TagLanguage = Moxxie.Core.Tags.Expressions.TagExpression;

namespace Moxxie.Core.Vms;

/// <summary>A guest as the UI and API show it: the PVE resource plus the connection it came from, and what the
/// inventory learnt across polls (CPU history, I/O rates).</summary>
public sealed record VmView(string Connection, GuestResource Guest)
{
    public GuestMetrics Metrics { get; init; } = GuestMetrics.Empty;

    public int VmId => Guest.VmId;
    public string Name => Guest.Name;
    public string Node => Guest.Node;
    public string Status => Guest.Status;
}

/// <summary>Filters of the VM list and GET /api/v1/vms. Tags: a VM matches when it has every listed tag.
/// Status: running | stopped | paused (PVE reports paused VMs as status "running" with qmpstatus "paused"; the
/// simulator and the list use "paused" as the status) . Name: case-insensitive substring. TagExpression: a tag expression
/// (<see cref="TagLanguage"/>, e.g. <c>env-prod AND NOT always-on</c>) the VM's tags must satisfy; one
/// that does not parse makes the listing throw a <see cref="ValidationException"/> for field "tagExpression".</summary>
public sealed record VmFilter(
    IReadOnlyList<string>? Tags = null,
    string? Status = null,
    string? Node = null,
    string? Name = null,
    string? Connection = null,
    int? Limit = null,
    bool IncludeTemplates = true,
    string? TagExpression = null)
{
    /// <summary>The filter's tag expression compiled, or null when there is none; a <see cref="ValidationException"/>
    /// (field "tagExpression", the parser's message with its position) when it does not parse.</summary>
    public CompiledTagExpression? CompileTagExpression()
    {
        if (string.IsNullOrWhiteSpace(TagExpression)) return null;
        try
        {
            return TagLanguage.Parse(TagExpression).Compile();
        }
        catch (TagExpressionParseException ex)
        {
            throw ValidationException.For("tagExpression", ex.Message);
        }
    }
}

/// <summary>Identifies a VM across connections. Connection may be null when the VMID is unique across all connections.</summary>
public sealed record VmRef(int VmId, string? Connection = null);

/// <summary>Result of a power action: the UPID of the started task, or why it was refused / failed (PVE's message).</summary>
public sealed record PowerResult(bool Success, string? Upid, string Message, string? Connection, string? Node)
{
    /// <summary>Why it did not succeed (null on success): refused by Moxxie's precondition (→ 409), VM unknown (→ 404), or
    /// PVE answered with an error / could not be reached (→ PROXMOX_ERROR; <see cref="Message"/> is PVE's message).</summary>
    public PowerFailure? Failure { get; init; }

    /// <summary>HTTP status PVE answered with when <see cref="Failure"/> is <see cref="PowerFailure.Proxmox"/> (null: unreachable).</summary>
    public int? ProxmoxStatus { get; init; }

    public static PowerResult Refused(string message) => new(false, null, message, null, null) { Failure = PowerFailure.Refused };

    public static PowerResult NotFound(string message) => new(false, null, message, null, null) { Failure = PowerFailure.NotFound };
}

public enum PowerFailure { Refused, NotFound, Proxmox }
