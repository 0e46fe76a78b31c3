using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Snapshots;

namespace Moxxie.Infrastructure.Snapshots;

/// <summary>Configuration section Moxxie:Snapshots.</summary>
public sealed class SnapshotReaperOptions
{
    public const string Section = "Moxxie:Snapshots";

    /// <summary>How often expired snapshots are looked for (on TimeProvider).</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Runs <see cref="SnapshotReaper"/> every ReapInterval; a failed round is logged and the next one tries again.</summary>
internal sealed class SnapshotReaperService(SnapshotReaper reaper, IOptions<SnapshotReaperOptions> options, TimeProvider time,
    ILogger<SnapshotReaperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReapInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var result = await reaper.ReapAsync(stoppingToken);
                    if (result.Expired > 0)
                        logger.LogInformation("Snapshot reaper: {Expired} expired, {Deleted} deleted, {Gone} already gone, {Failed} failed",
                            result.Expired, result.Deleted, result.AlreadyGone, result.Failed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Snapshot reaper round failed; trying again next round");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class SnapshotServiceCollectionExtensions
{
    /// <summary>The snapshot reaper (hosted), bound to Moxxie:Snapshots (ReapInterval must be positive).</summary>
    public static IServiceCollection AddMoxxieSnapshotReaper(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnapshotReaperOptions>().Bind(configuration.GetSection(SnapshotReaperOptions.Section))
            .Validate(o => o.ReapInterval > TimeSpan.Zero, $"{SnapshotReaperOptions.Section}:ReapInterval must be positive (e.g. 00:01:00)")
            .ValidateOnStart();
        services.AddHostedService<SnapshotReaperService>();
        return services;
    }
}
