using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Tests.Infrastructure;

/// <summary>The persistence layer exactly as the app registers it (AddMoxxiePersistence) over an <see cref="AppDatabase"/>,
/// migrated by the app's own start-up hosted service. For tests below the web layer.</summary>
public sealed class PersistenceHost : IAsyncDisposable
{
    private readonly bool _ownsDatabase;

    private PersistenceHost(AppDatabase database, ServiceProvider services, bool ownsDatabase)
    {
        Database = database;
        Services = services;
        _ownsDatabase = ownsDatabase;
    }

    public AppDatabase Database { get; }
    public ServiceProvider Services { get; }

    /// <summary>A fresh database (removed on dispose) with the persistence services over it.</summary>
    public static async Task<PersistenceHost> StartAsync(DbProvider provider, TimeProvider? time = null, CancellationToken ct = default) =>
        await StartAsync(await AppDatabase.CreateAsync(provider, ct), ownsDatabase: true, time, ct);

    /// <summary>A second "application instance" over an existing database (left in place on dispose).</summary>
    public static Task<PersistenceHost> AttachAsync(AppDatabase database, CancellationToken ct = default) =>
        StartAsync(database, ownsDatabase: false, null, ct);

    private static async Task<PersistenceHost> StartAsync(AppDatabase database, bool ownsDatabase, TimeProvider? time, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null) services.AddSingleton(time);
        services.AddMoxxiePersistence(configuration, Path.GetTempPath());
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        foreach (var hosted in provider.GetServices<IHostedService>())
            await hosted.StartAsync(ct);
        return new PersistenceHost(database, provider, ownsDatabase);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsDatabase)
            await Database.DisposeAsync();
    }
}
