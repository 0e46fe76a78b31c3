namespace Moxxie.Simulator.Model;

internal sealed record HistoricTask(
    string Node, string Type, string Id, string User, TimeSpan Ago, TimeSpan Duration, string? Error, IReadOnlyList<string> Lines);

internal sealed class ClusterPreset
{
    public string? ClusterName { get; set; }
    public int ConfigVersion { get; init; } = 1;
    public List<SimNode> Nodes { get; } = [];
    public List<SimGuest> Guests { get; } = [];
    public List<SimStorage> Storages { get; } = [];
    public List<HistoricTask> History { get; } = [];
}
