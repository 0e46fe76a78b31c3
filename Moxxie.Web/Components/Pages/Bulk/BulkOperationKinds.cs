namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>The bulk operations as the screens name them in URLs (/bulk/new?op=stop): the six power actions, snapshot,
/// delete snapshots, backup, tags and delete, with their titles, icons and whether they interrupt or destroy something (then the wizard
/// asks for a confirmation, delete a typed one).</summary>
public static class BulkOperationKinds
{
    public const string Start = "start", Stop = "stop", Shutdown = "shutdown", Reboot = "reboot", Suspend = "suspend", Resume = "resume";
    public const string Snapshot = "snapshot", Backup = "backup", Tags = "tags", Delete = "delete";
    /// <summary>Delete snapshots of the selected VMs (by name, pattern, age, TTL marker; safe mode keeps what Moxxie did not make).</summary>
    public const string DeleteSnapshots = "snapshot-delete";

    public static readonly IReadOnlyList<string> Power = [Start, Stop, Shutdown, Reboot, Suspend, Resume];
    public static readonly IReadOnlyList<string> Others = [Snapshot, DeleteSnapshots, Backup, Tags, Delete];
    public static readonly IReadOnlyList<string> All = [.. Power, .. Others];

    public static bool IsKnown(string? op) => op is not null && All.Contains(op, StringComparer.Ordinal);

    public static bool IsPower(string? op) => op is not null && Power.Contains(op, StringComparer.Ordinal);

    /// <summary>Interrupts running guests or removes something: the wizard confirms before executing.</summary>
    public static bool IsDestructive(string? op) => op is Stop or Shutdown or Reboot or Suspend or Delete or DeleteSnapshots;

    public static string Title(string? op) => op switch
    {
        Start => "Start",
        Stop => "Stop",
        Shutdown => "Shut down",
        Reboot => "Reboot",
        Suspend => "Suspend",
        Resume => "Resume",
        Snapshot => "Snapshot",
        DeleteSnapshots => "Delete snapshots",
        Backup => "Backup",
        Tags => "Tags",
        Delete => "Delete",
        _ => "Choose an operation",
    };

    /// <summary>What the operation does, one line for the wizard's operation step.</summary>
    public static string Description(string? op) => op switch
    {
        Start => "Power on stopped guests.",
        Stop => "Cut the power at once: unsaved data in the guests is lost.",
        Shutdown => "Ask each guest OS to shut down cleanly (stopped after the timeout with Force).",
        Reboot => "Ask each guest OS to reboot; its services go down for a while.",
        Suspend => "Pause the guests in memory until they are resumed.",
        Resume => "Continue paused guests.",
        Snapshot => "Take a snapshot of each guest, named by a pattern, optionally with a TTL.",
        DeleteSnapshots => "Delete snapshots of each guest chosen by name, pattern, age or TTL; safe mode only touches snapshots Moxxie made.",
        Backup => "Back up each guest with vzdump to a backup storage.",
        Tags => "Add or remove tags on each guest.",
        Delete => "Destroy the guests and their disks. Protected guests are left alone.",
        _ => "",
    };

    public static string Icon(string? op) => op switch
    {
        Start => "play_arrow",
        Stop => "stop",
        Shutdown => "power_settings_new",
        Reboot => "restart_alt",
        Suspend => "pause",
        Resume => "play_circle",
        Snapshot => "photo_camera",
        DeleteSnapshots => "auto_delete",
        Backup => "backup",
        Tags => "sell",
        Delete => "delete_forever",
        _ => "bolt",
    };
}
