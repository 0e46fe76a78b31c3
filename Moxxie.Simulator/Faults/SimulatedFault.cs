namespace Moxxie.Simulator.Faults;

/// <summary>What a fault rule does to the API calls its pattern matches.</summary>
public enum FaultKind
{
    /// <summary>Answer after LatencyMs ± JitterMs.</summary>
    Latency,

    /// <summary>Fail with Status and a PVE-worded Message (with probability Rate).</summary>
    Error,

    /// <summary>Never answer (with probability Rate): the call hangs until the client gives up or the fault is removed.</summary>
    Timeout,
}

/// <summary>How "the whole API is down" looks to a client.</summary>
public enum ApiDownMode
{
    /// <summary>Connections are dropped without an answer, as when pveproxy is stopped or the host is unreachable.</summary>
    Abort,

    /// <summary>Every call answers "503 Service Unavailable", as a load balancer in front of PVE does.</summary>
    Unavailable,
}

/// <summary>An active fault rule. Count = how many more calls it affects (null: until removed).</summary>
public sealed record SimulatedFault(
    string Id, FaultKind Kind, string Pattern, int LatencyMs, int JitterMs, double Rate, int Status, string? Message, int? Count)
{
    /// <summary>Latency only: delays the answer after the call was carried out ("phase":"response"), so a client that gives
    /// up (or dies) meanwhile has had its call executed without hearing the result.</summary>
    public bool OnResponse { get; init; }
}

/// <summary>Everything that is not normal right now. HangingCalls = calls held by timeout faults at this moment.</summary>
public sealed record SimulatorFaultStatus(
    IReadOnlyList<SimulatedFault> Faults, IReadOnlyList<string> OfflineNodes, ApiDownMode? ApiDown, TimeSpan ClockOffset, DateTimeOffset Now,
    int HangingCalls);
