namespace Moxxie.Simulator;

/// <summary>How a simulated Proxmox VE cluster is started (see SimulatorServer.StartAsync).</summary>
public sealed class SimulatorOptions
{
    /// <summary>
    /// "small" (alias "demo"): the UI guide's production-cluster (3 nodes, ~30 guests); "large": 16 nodes, ~3,400 guests;
    /// "bulk": 10 nodes, 1,000 running VMs (bulk operations benchmark);
    /// "single": one standalone node "pve" with a few guests.
    /// </summary>
    public string Preset { get; set; } = "demo";

    /// <summary>Same seed → same cluster, same UPID pids, same counters (at the same simulated time).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>API token "user@realm!tokenid=SECRET"; generated when null.</summary>
    public string? Token { get; set; }

    /// <summary>Password of root@pam for POST /access/ticket; generated when empty.</summary>
    public string RootPassword { get; set; } = "";

    /// <summary>Listen URL; port 0 picks any free port.</summary>
    public string Url { get; set; } = "https://127.0.0.1:0";

    /// <summary>Task durations are divided by this (tests use e.g. 5).</summary>
    public double TaskSpeed { get; set; } = 1.0;

    /// <summary>When set, guest tasks (power, snapshot, delete, …) last exactly this many seconds (not divided by TaskSpeed);
    /// also settable at run time with POST /_sim/tasks {"durationSeconds":…}.</summary>
    public double? TaskSeconds { get; set; }

    /// <summary>PVE delays 401 answers by about 3 s; off by default (tests), on in standalone.</summary>
    public bool DelayUnauthorized { get; set; }

    /// <summary>
    /// Check every answer against the method's "returns" schema (PVE 9.1); a non-conforming answer becomes a 500 naming
    /// the method and the offending property. On in tests, off by default (demo, standalone).
    /// </summary>
    public bool ValidateResponses { get; set; }

    /// <summary>Renames a clustered preset's cluster (e.g. "dc2"), so several simulators are told apart.</summary>
    public string? ClusterName { get; set; }

    /// <summary>"large" and "bulk": node names are {NodePrefix}01…16 (…10 for bulk; default "pve").</summary>
    public string? NodePrefix { get; set; }

    /// <summary>"large" and "bulk": VMIDs lie in [VmidBase, VmidBase + 10000) (default 1000; templates from VmidBase + 9000).</summary>
    public int? VmidBase { get; set; }

    /// <summary>Clock of the simulated cluster (task progress, uptimes, counters). Tests may inject a manual one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
