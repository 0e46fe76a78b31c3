namespace Moxxie.Core.Scheduling;

public static class SchedulerTaskTypes
{
    public const string SnapshotCreate = "snapshot_create";
    public const string SnapshotDelete = "snapshot_delete";
    public const string BackupCreate = "backup_create";
    public const string PowerOn = "power_on";
    public const string PowerOff = "power_off";

    public static IReadOnlyList<string> All { get; } = [SnapshotCreate, SnapshotDelete, BackupCreate, PowerOn, PowerOff];

    public static string Label(string taskType) => taskType switch
    {
        SnapshotCreate => "Create snapshots",
        SnapshotDelete => "Delete old snapshots",
        BackupCreate => "Back up",
        PowerOn => "Power on",
        PowerOff => "Power off",
        _ => taskType,
    };

    /// <summary>Material icon name for the task type.</summary>
    public static string Icon(string taskType) => taskType switch
    {
        SnapshotCreate => "add_a_photo",
        SnapshotDelete => "auto_delete",
        BackupCreate => "backup",
        PowerOn => "play_arrow",
        PowerOff => "power_settings_new",
        _ => "schedule",
    };
}
