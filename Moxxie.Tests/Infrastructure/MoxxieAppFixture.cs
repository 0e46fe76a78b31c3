using Xunit;

namespace Moxxie.Tests.Infrastructure;

/// <summary>One app (SQLite) + simulator per test class. Tests stay isolated by using their own users and VMs.</summary>
public sealed class MoxxieAppFixture : IAsyncLifetime
{
    public MoxxieAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MoxxieAppFactory.StartAsync(new MoxxieAppOptions(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }

    private static int _counter;

    /// <summary>A user name no other test uses.</summary>
    public static string UniqueUser(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";
}
