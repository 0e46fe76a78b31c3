namespace Moxxie.Simulator.Model;

/// <summary>
/// Makes several simulators distinct when one Moxxie talks to all of them (three "large" ones make a 10,000-VM estate).
/// ClusterName renames any clustered preset; NodePrefix and VmidBase shape the generated "large" preset
/// (nodes {NodePrefix}01…16, VMIDs in [VmidBase, VmidBase + 10000)).
/// </summary>
internal sealed record PresetNaming(string? ClusterName = null, string? NodePrefix = null, int? VmidBase = null)
{
    public static PresetNaming Default { get; } = new();
}
