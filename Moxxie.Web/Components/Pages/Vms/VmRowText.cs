using System.Globalization;
using System.Runtime.CompilerServices;
using Moxxie.Core.Inventory;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>
/// The texts a VM row shows, formatted once per row instance and shared by every circuit (rows are immutable and
/// <see cref="VmRowCache"/> keeps an unchanged guest's instance across polls, so a poll formats only the rows that
/// changed, once, whatever the number of open lists).
/// </summary>
public sealed class VmRowText
{
    private static readonly ConditionalWeakTable<VmListRow, VmRowText> s_cache = [];

    private VmRowText(VmListRow row)
    {
        Key = row.Key;
        VmId = row.VmId.ToString(CultureInfo.InvariantCulture);
        SelectLabel = $"Select {row.Name}";
        StatusClass = "mx-status mx-status--" + StatusStyles.ForVm(row.Status);
        StatusTitle = row.Lock is { } l ? $"{row.Status} (locked: {l})" : row.HaState is { } ha ? $"{row.Status} (HA: {ha})" : null;
        Href = $"vms/{row.VmId}";
        HrefWithConnection = Href + "?connection=" + Uri.EscapeDataString(row.Connection);
        if (row.Running)
        {
            CpuClass = "mx-cpu mx-cpu--" + Usage.Level(row.Cpu).ToString().ToLowerInvariant();
            CpuText = Formats.Percent(row.Cpu);
            CpuTitle = $"{CpuText} of {row.MaxCpu} vCPU";
            Sparkline = row.CpuHistory.Count >= 2 ? Moxxie.Web.Components.Shared.Sparkline.SparklinePoints(row.CpuHistory, 48, 16) : null;
            Memory = Bar(row.MemFraction, row.Mem, row.MaxMem);
            NetIn = Formats.Rate(row.NetInRate);
            NetOut = Formats.Rate(row.NetOutRate);
        }
        else
        {
            MaxMemory = Formats.Gb(row.MaxMem) + " GB";
        }
        if (row.Disk > 0) Disk = Bar(row.DiskFraction, row.Disk, row.MaxDisk);
        else MaxDisk = Formats.Gb(row.MaxDisk) + " GB";
        Uptime = Formats.Uptime(row.Uptime);
        if (row.Tags.Count > 1)
        {
            var all = string.Join(", ", row.Tags);
            AllTags = $"All tags: {all}";
            MoreOf1 = "+" + (row.Tags.Count - 1).ToString(CultureInfo.InvariantCulture);
            MoreOf1Label = $"{row.Tags.Count - 1} more tags (all tags: {all})";
            if (row.Tags.Count > 2)
            {
                MoreOf2 = "+" + (row.Tags.Count - 2).ToString(CultureInfo.InvariantCulture);
                MoreOf2Label = $"{row.Tags.Count - 2} more tags (all tags: {all})";
            }
        }
    }

    /// <summary>The texts of this row (formatted on first use).</summary>
    public static VmRowText Of(VmListRow row) => s_cache.GetValue(row, static r => new VmRowText(r));

    public string Key { get; }
    public string VmId { get; }
    public string SelectLabel { get; }
    public string StatusClass { get; }
    public string? StatusTitle { get; }

    /// <summary>The VM page (without and with ?connection=, which names the connection when several are configured).</summary>
    public string Href { get; }
    public string HrefWithConnection { get; }

    public string? CpuClass { get; }
    public string? CpuText { get; }
    public string? CpuTitle { get; }

    /// <summary>The sparkline's polyline points (48 × 16), or null with fewer than two samples.</summary>
    public string? Sparkline { get; }

    public UsageText? Memory { get; }

    /// <summary>The configured memory of a guest that is not running.</summary>
    public string? MaxMemory { get; }
    public UsageText? Disk { get; }

    /// <summary>The allocated disk size when PVE reports no usage (VM disks are only measured inside the guest).</summary>
    public string? MaxDisk { get; }
    public string? NetIn { get; }
    public string? NetOut { get; }
    public string Uptime { get; }
    public string? AllTags { get; }
    public string? MoreOf1 { get; }
    public string? MoreOf1Label { get; }
    public string? MoreOf2 { get; }
    public string? MoreOf2Label { get; }

    private static UsageText Bar(double fraction, long used, long total) => new(
        "mx-usage mx-usage--" + Usage.Level(fraction).ToString().ToLowerInvariant(),
        $"{Formats.Bytes(used)} of {Formats.Bytes(total)} ({Formats.Percent(fraction)})",
        Math.Round(fraction * 100).ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"width: {Math.Clamp(fraction, 0, 1) * 100:0.#}%"),
        Formats.GbOf(used, total));

    /// <summary>A usage bar's class (level colour), tooltip, aria-valuenow, fill style and label.</summary>
    public sealed record UsageText(string Class, string Title, string Percent, string FillStyle, string Label);
}
