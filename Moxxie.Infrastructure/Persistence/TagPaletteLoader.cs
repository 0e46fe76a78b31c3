using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moxxie.Core.Tags;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>Reads the tag catalogue into the shared <see cref="TagPalette"/> at start-up (after the migrations), so every
/// tag chip shows its catalogue colour from the first page on. A failure only leaves the prefix colours until the next
/// catalogue read (the Tags page, any catalogue write).</summary>
public sealed class TagPaletteLoader(IServiceScopeFactory scopes, ILogger<TagPaletteLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<TagCatalogService>() is { } catalog) await catalog.EnsurePaletteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the tag catalogue; tag chips use the prefix colours until it is read");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
