namespace Moxxie.Core.VmDetail;

/// <summary>Human names for guest config values, as PVE's GUI shows them.</summary>
public static class GuestLabels
{
    /// <summary>"l26" → "Linux 6.x - 2.6 Kernel", "win11" → "Microsoft Windows 11/2022/2025"; unknown values as they are.</summary>
    public static string OsType(string? ostype) => ostype switch
    {
        null or "" => "Other",
        "l26" => "Linux 6.x - 2.6 Kernel",
        "l24" => "Linux 2.4 Kernel",
        "win11" => "Microsoft Windows 11/2022/2025",
        "win10" => "Microsoft Windows 10/2016/2019",
        "win8" => "Microsoft Windows 8.x/2012/2012r2",
        "win7" => "Microsoft Windows 7/2008r2",
        "w2k8" => "Microsoft Windows Vista/2008",
        "wvista" => "Microsoft Windows Vista",
        "wxp" => "Microsoft Windows XP",
        "w2k3" => "Microsoft Windows 2003",
        "w2k" => "Microsoft Windows 2000",
        "solaris" => "Solaris Kernel",
        "other" => "Other",
        // LXC ostype values
        "debian" or "ubuntu" or "centos" or "fedora" or "opensuse" or "archlinux" or "alpine" or "gentoo" or "nixos" or "devuan" or "unmanaged"
            => char.ToUpperInvariant(ostype[0]) + ostype[1..],
        _ => ostype,
    };

    /// <summary>"scsi0, ide2, net0" or "—" when no boot order is set.</summary>
    public static string BootOrder(IReadOnlyList<string> order) => order.Count == 0 ? "—" : string.Join(", ", order);

    /// <summary>Memory in MiB as PVE's GUI shows it: "4.00 GiB" from 1024 MiB up, else "512 MiB".</summary>
    public static string MemoryMb(long mb) => mb >= 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{mb / 1024d:0.00} GiB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{mb} MiB");

    /// <summary>Balloon description: "disabled (fixed memory)", "minimum 2.00 GiB", or "enabled (minimum = memory)" when unset.</summary>
    public static string Balloon(long? balloonMb, long? memoryMb) => balloonMb switch
    {
        0 => "disabled (fixed memory)",
        { } b => $"minimum {MemoryMb(b)}" + (memoryMb is { } m ? $" of {MemoryMb(m)}" : ""),
        null => "enabled (minimum = memory)",
    };

    /// <summary>Yes/No for flags; "—" when PVE's default applies and is unknown.</summary>
    public static string YesNo(bool? value) => value switch { true => "Yes", false => "No", null => "Default" };
}
