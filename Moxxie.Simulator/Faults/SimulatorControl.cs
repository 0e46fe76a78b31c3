namespace Moxxie.Simulator.Faults;

/// <summary>
/// Runtime control of a running simulator: faults and latency per route pattern, nodes off-line, the whole API down,
/// the simulated clock. The same operations are served over HTTP under /_sim/ (see SimAdminEndpoints).
/// </summary>
public sealed class SimulatorControl
{
    private readonly FaultSet _faults;
    private readonly SimulatedClock _clock;
    private readonly SimulatedCluster _cluster;

    internal SimulatorControl(FaultSet faults, SimulatedClock clock, SimulatedCluster cluster)
    {
        _faults = faults;
        _clock = clock;
        _cluster = cluster;
    }

    /// <summary>Calls matching <paramref name="pattern"/> (e.g. "GET nodes/*/qemu") answer after latencyMs ± jitterMs.</summary>
    public SimulatedFault AddLatency(string pattern, int latencyMs, int jitterMs = 0, int? count = null) =>
        _faults.AddLatency(pattern, latencyMs, jitterMs, count);

    /// <summary>As <see cref="AddLatency"/>, but the call is carried out first and its answer held back latencyMs ± jitterMs.</summary>
    public SimulatedFault AddResponseLatency(string pattern, int latencyMs, int jitterMs = 0, int? count = null) =>
        _faults.AddLatency(pattern, latencyMs, jitterMs, count, onResponse: true);

    /// <summary>
    /// Calls matching the pattern fail with <paramref name="status"/> and a PVE-worded reason (default per status, e.g.
    /// 595 "Connection timed out"), each with probability <paramref name="rate"/>; <paramref name="count"/> limits how many.
    /// </summary>
    public SimulatedFault AddError(string pattern, int status = 500, string? message = null, double rate = 1.0, int? count = null) =>
        _faults.AddError(pattern, status, message, rate, count);

    /// <summary>Calls matching the pattern never answer (until the client gives up, or the fault is removed).</summary>
    public SimulatedFault AddTimeout(string pattern, double rate = 1.0, int? count = null) =>
        _faults.AddTimeout(pattern, rate, count);

    /// <summary>Removes one fault rule; calls it holds hanging go on.</summary>
    public bool RemoveFault(string id) => _faults.Remove(id);

    /// <summary>Takes a node off-line (cluster/status, nodes, resources show it; calls routed to it fail with 595) or back.</summary>
    public void SetNodeOnline(string node, bool online) => _cluster.SetNodeOnline(node, online);

    /// <summary>
    /// Fixes the used bytes of <paramref name="storage"/> on <paramref name="node"/> (null: content-driven again), consistently in
    /// nodes/{node}/storage, …/storage/{storage}/status and cluster/resources (disk/maxdisk); returns the figure served and the total.
    /// </summary>
    public (long Used, long Total) SetStorageUsed(string node, string storage, long? usedBytes) =>
        _cluster.SetStorageUsed(node, storage, usedBytes);

    /// <summary>As <see cref="SetStorageUsed"/> with a fraction of the storage's total (0…1).</summary>
    public (long Used, long Total) SetStorageUsedFraction(string node, string storage, double fraction) =>
        _cluster.SetStorageUsedFraction(node, storage, fraction);

    /// <summary>The next task started for guest <paramref name="vmid"/> ends with "TASK ERROR: {message}" and changes nothing.</summary>
    public void FailNextTask(int vmid, string message) => _cluster.FailNextTask(vmid, message);

    /// <summary>The whole API down (every /api2 call aborted or 503), or back up with null.</summary>
    public void SetApiDown(ApiDownMode? mode) => _faults.ApiDown = mode;

    /// <summary>Moves the simulated clock forward; returns the new simulated time.</summary>
    public DateTimeOffset AdvanceClock(TimeSpan by)
    {
        _clock.Advance(by);
        return _clock.GetUtcNow();
    }

    /// <summary>Back to normal: no fault rules, API up, every node on-line, storage usage content-driven. The clock is not turned back.</summary>
    public void Reset()
    {
        _faults.Clear();
        foreach (var node in _cluster.NodeNames) _cluster.SetNodeOnline(node, true);
        _cluster.ClearStorageUsedOverrides();
    }

    /// <summary>Fixed duration of new guest tasks in seconds (null: each task's usual random span).</summary>
    public double? TaskSeconds
    {
        get => _cluster.FixedTaskSeconds;
        set => _cluster.FixedTaskSeconds = value is null or > 0 ? value : throw new ArgumentException("durationSeconds must be positive or null");
    }

    /// <summary>How many /api2 calls the simulator has received since it started (answered, failed or dropped alike).</summary>
    public long ApiRequests => _faults.Requests;

    /// <summary>How many of those matched <paramref name="pattern"/>, e.g. "POST nodes/*/qemu/*/snapshot" (same syntax as fault rules).</summary>
    public long ApiRequestsMatching(string pattern) => _faults.RequestsMatching(pattern);

    /// <summary>Calls matching the pattern: distinct paths, and calls that repeated a path (duplicate POSTs).</summary>
    public (long Paths, long Repeated) ApiRequestRepeats(string pattern) => _faults.RepeatsMatching(pattern);

    /// <summary>Everything that is not normal right now.</summary>
    public SimulatorFaultStatus Status => new(
        _faults.List(), _cluster.OfflineNodeNames, _faults.ApiDown, _clock.Offset, _clock.GetUtcNow(), _faults.HangingCalls);
}
