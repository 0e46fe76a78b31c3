namespace Moxxie.Web.Components.Pages.Storage;

/// <summary>Icons and labels of storage types (PVE plugin types) for cards and headers.</summary>
public static class StorageStyles
{
    public static string Icon(string type) => type switch
    {
        "dir" => "folder",
        "zfspool" or "zfs" => "storage",
        "lvm" or "lvmthin" => "view_agenda",
        "nfs" or "cifs" => "lan",
        "cephfs" or "rbd" => "hub",
        "pbs" => "backup",
        "iscsi" or "iscsidirect" => "settings_input_component",
        "glusterfs" => "dns",
        "btrfs" => "account_tree",
        _ => "database",
    };

    public static string TypeLabel(string type) => type switch
    {
        "dir" => "Directory",
        "zfspool" => "ZFS",
        "zfs" => "ZFS over iSCSI",
        "lvm" => "LVM",
        "lvmthin" => "LVM-Thin",
        "nfs" => "NFS",
        "cifs" => "SMB/CIFS",
        "cephfs" => "CephFS",
        "rbd" => "Ceph RBD",
        "pbs" => "Proxmox Backup Server",
        "iscsi" => "iSCSI",
        "iscsidirect" => "iSCSI (direct)",
        "glusterfs" => "GlusterFS",
        "btrfs" => "BTRFS",
        _ => type,
    };

    /// <summary>Local date and time of the server, as the rest of the UI shows times.</summary>
    public static string Date(DateTimeOffset? at) =>
        at is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
