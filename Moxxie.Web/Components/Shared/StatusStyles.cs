using Moxxie.Core.Proxmox;

namespace Moxxie.Web.Components.Shared;

/// <summary>Colour variants of the guide's status indicators.</summary>
public static class StatusStyles
{
    /// <summary>VM status → chip variant: running green, stopped grey, paused yellow, anything else red.</summary>
    public static string ForVm(string? status) => status?.ToLowerInvariant() switch
    {
        "running" => "success",
        "stopped" => "neutral",
        "paused" or "suspended" or "prelaunch" => "warning",
        _ => "danger",
    };

    /// <summary>Task → "running" (blue pulse), "ok" (green check), "error" (red X).</summary>
    public static string ForTask(PveTask task) => task.Running ? "running" : task.Succeeded ? "ok" : "error";

    /// <summary>Material symbol of a PowerAction button.</summary>
    public static string Icon(PowerAction action) => action switch
    {
        PowerAction.Start => "play_arrow",
        PowerAction.Stop => "stop",
        PowerAction.Shutdown => "power_settings_new",
        PowerAction.Reboot => "restart_alt",
        PowerAction.Reset => "replay",
        PowerAction.Suspend => "pause",
        PowerAction.Resume => "play_circle",
        _ => "bolt",
    };

    /// <summary>Stop, shutdown, reboot, reset and suspend interrupt a running guest: ask first.</summary>
    public static bool IsDestructive(PowerAction action) => action is PowerAction.Stop or PowerAction.Shutdown or PowerAction.Reboot or PowerAction.Reset or PowerAction.Suspend;
}
