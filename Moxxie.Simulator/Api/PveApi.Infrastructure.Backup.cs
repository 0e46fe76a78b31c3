using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>vzdump, restore, extractconfig, prune-backups and rrddata.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> BackupRoutes() =>
    [
        .. RrdRoutes(),
        .. VzdumpRoutes(),
    ];
}
