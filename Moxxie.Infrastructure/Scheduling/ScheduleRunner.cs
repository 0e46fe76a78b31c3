using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Scheduling;

namespace Moxxie.Infrastructure.Scheduling;

/// <summary>Calls <see cref="SchedulerEngine.TickAsync"/> every TickInterval on a <see cref="PeriodicTimer"/> over the
/// app's <see cref="TimeProvider"/>; a failed tick is logged and the next one tries again (an exception escaping
/// ExecuteAsync would stop the host). Every instance runs one; the database decides who runs a fire time.</summary>
internal sealed class ScheduleRunner(SchedulerEngine engine, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<ScheduleRunner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Scheduler disabled ({Section}:Enabled=false): scheduled jobs do not run on this instance", SchedulerOptions.Section);
            return;
        }
        logger.LogInformation("Scheduler instance {Instance}: tick {Tick}, grace window {Grace}", engine.Instance, options.Value.TickInterval, options.Value.GraceWindow);
        using var timer = new PeriodicTimer(options.Value.TickInterval, time);
        try
        {
            do
            {
                try
                {
                    await engine.TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Scheduler tick failed; trying again next tick");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class SchedulerServiceCollectionExtensions
{
    /// <summary>The scheduler loop (hosted), bound to Moxxie:Scheduler.</summary>
    public static IServiceCollection AddMoxxieScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section))
            .Validate(o => o.TickInterval > TimeSpan.Zero, $"{SchedulerOptions.Section}:TickInterval must be positive (e.g. 00:00:02)")
            .Validate(o => o.GraceWindow >= TimeSpan.Zero, $"{SchedulerOptions.Section}:GraceWindow must not be negative (e.g. 00:05:00)")
            .Validate(o => o.TakeoverAfter > TimeSpan.Zero, $"{SchedulerOptions.Section}:TakeoverAfter must be positive (e.g. 00:02:00)")
            .ValidateOnStart();
        services.AddHostedService<ScheduleRunner>();
        return services;
    }
}
