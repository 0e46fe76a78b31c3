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
        StatusClass = "mx-status mx-status--dot mx-status--" + StatusStyles.ForVm(row.Status);
        StatusTitle = row.Lock is { } l ? $"{row.Status} (locked: {l})" : row.HaState is { } ha ? $"{row.Status} (HA: {ha})" : null;
        Href = $"vms/{row.VmId}";
        HrefWithConnection = Href + "?connection=" + Uri.EscapeDataString(row.Connection);
        if (row.Running)
        {
            CpuClass = "mx-c-cpu mx-cpu--" + Usage.Level(row.Cpu).ToString().ToLowerInvariant();
            CpuText = Formats.Percent(row.Cpu);
            CpuTitle = $"{CpuText} of {row.MaxCpu} vCPU";
            if (row.CpuHistory.Count >= 2)
            {
                Sparkline = SparklinePoints(row.CpuHistory);
                SparklineViewBox = row.CpuHistory.Count == 20 ? "0 0 19 100" : string.Create(CultureInfo.InvariantCulture, $"0 0 {row.CpuHistory.Count - 1} 100");
            }
            Memory = Bar("mx-c-mem", row.MemFraction, row.Mem, row.MaxMem);
            NetIn = "↓ " + Formats.Rate(row.NetInRate) + " ";   // the space separates the two rates on one line (card view)
            NetOut = "↑ " + Formats.Rate(row.NetOutRate);
        }
        else
        {
            MaxMemory = Formats.Gb(row.MaxMem) + " GB";
        }
        if (row.Disk > 0) Disk = Bar("mx-c-disk", row.DiskFraction, row.Disk, row.MaxDisk);
        else MaxDisk = Formats.Gb(row.MaxDisk) + " GB";
        Uptime = Formats.Uptime(row.Uptime);
        if (row.Tags.Count > 1)
        {
            var all = string.Join(", ", row.Tags);
            AllTags = $"All tags: {all}";
            MoreOf1 = "+" + (row.Tags.Count - 1).ToString(CultureInfo.InvariantCulture);
            if (row.Tags.Count > 2) MoreOf2 = "+" + (row.Tags.Count - 2).ToString(CultureInfo.InvariantCulture);
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

    /// <summary>The CPU cell's class: its column and, for a running guest, the usage level (colours the sparkline).</summary>
    public string CpuClass { get; } = "mx-c-cpu";
    public string? CpuText { get; }
    public string? CpuTitle { get; }

    /// <summary>The sparkline's polyline points (x = sample index, y = 100 − percent: whole numbers, the fewest bytes a
    /// row swap sends), or null with fewer than two samples; drawn in <see cref="SparklineViewBox"/> stretched to 48 × 16.</summary>
    public string? Sparkline { get; }
    public string? SparklineViewBox { get; }

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
    public string? MoreOf2 { get; }

    /// <summary>"0,90 1,85 …": one point per sample, y = 100 − percent (0 at the top).</summary>
    public static string SparklinePoints(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new System.Text.StringBuilder(values.Count * 6);
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(i).Append(',').Append((int)Math.Round(100 - Math.Clamp(values[i], 0, 1) * 100));
        }
        return text.ToString();
    }

    private static UsageText Bar(string column, double fraction, long used, long total) => new(
        column + " mx-usage--" + Usage.Level(fraction).ToString().ToLowerInvariant(),
        $"{Formats.Bytes(used)} of {Formats.Bytes(total)} ({Formats.Percent(fraction)})",
        Math.Round(Math.Clamp(fraction, 0, 1) * 100).ToString(CultureInfo.InvariantCulture),
        Formats.GbOf(used, total));

    /// <summary>A usage cell's class (column and level colour), tooltip, progress value (0–100) and label.</summary>
    public sealed record UsageText(string CellClass, string Title, string Percent, string Label);
}
