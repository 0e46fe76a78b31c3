using Moxxie.Core.Clusters;

namespace Moxxie.Web.Components.Shared;

/// <summary>Reading ClusterService's overviews for banners.</summary>
public static class ClusterStates
{
    /// <summary>ClusterService's Error of a connection that has not been polled yet.</summary>
    public const string NotLoaded = "Not loaded yet";

    /// <summary>One line per connection that is unreachable (beyond its first poll), naming PVE's error.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<ClusterOverview> overviews) =>
    [
        .. overviews
            .Where(o => !o.Reachable && o.Error is not null && o.Error != NotLoaded)
            .Select(o => o.LastUpdated is { } at
                ? $"{o.Connection} is not reachable: {o.Error} Showing its last known state from {at.ToLocalTime():HH:mm:ss}."
                : $"{o.Connection} is not reachable: {o.Error}"),
    ];
}
