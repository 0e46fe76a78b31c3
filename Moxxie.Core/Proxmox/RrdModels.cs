namespace Moxxie.Core.Proxmox;

public enum RrdTimeframe { Hour, Day, Week, Month, Year }

public enum RrdConsolidation { Average, Max }

/// <summary>One rrddata sample: its time and every metric PVE sent (cpu, mem, maxmem, netin, netout, diskread, loadavg, …).
/// Metrics without a value in that slot (PVE leaves them out) are absent.</summary>
public sealed record RrdPoint(DateTimeOffset Time, IReadOnlyDictionary<string, double> Values)
{
    public double? this[string metric] => Values.TryGetValue(metric, out var v) ? v : null;
}
