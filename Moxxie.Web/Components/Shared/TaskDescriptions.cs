namespace Moxxie.Web.Components.Shared;

/// <summary>PVE task types in words, as PVE's own GUI names them.</summary>
public static class TaskDescriptions
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["qmstart"] = "Start",
        ["qmstop"] = "Stop",
        ["qmshutdown"] = "Shutdown",
        ["qmreboot"] = "Reboot",
        ["qmreset"] = "Reset",
        ["qmsuspend"] = "Suspend",
        ["qmpause"] = "Pause",
        ["qmresume"] = "Resume",
        ["qmcreate"] = "Create",
        ["qmdestroy"] = "Destroy",
        ["qmclone"] = "Clone",
        ["qmigrate"] = "Migrate",
        ["qmsnapshot"] = "Snapshot",
        ["qmdelsnapshot"] = "Delete snapshot",
        ["qmrollback"] = "Rollback",
        ["qmconfig"] = "Configure",
        ["qmtemplate"] = "Convert to template",
        ["vzstart"] = "Start",
        ["vzstop"] = "Stop",
        ["vzshutdown"] = "Shutdown",
        ["vzreboot"] = "Reboot",
        ["vzcreate"] = "Create",
        ["vzdestroy"] = "Destroy",
        ["vzdump"] = "Backup",
        ["vncproxy"] = "Console",
        ["startall"] = "Start all guests",
        ["stopall"] = "Stop all guests",
        ["aptupdate"] = "Update package database",
        ["srvreload"] = "Reload service",
        ["srvrestart"] = "Restart service",
        ["imgcopy"] = "Copy image",
        ["download"] = "Download",
    };

    /// <summary>"Start VM 102", "Backup 105", "Update package database".</summary>
    public static string Describe(string type, string? id)
    {
        var name = Names.TryGetValue(type, out var n) ? n : type;
        if (string.IsNullOrEmpty(id)) return name;
        var kind = type.StartsWith("qm", StringComparison.Ordinal) ? "VM " : type.StartsWith("vz", StringComparison.Ordinal) && type != "vzdump" ? "CT " : "";
        return $"{name} {kind}{id}";
    }
}
