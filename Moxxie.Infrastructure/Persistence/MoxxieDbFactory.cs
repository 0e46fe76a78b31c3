using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Persistence;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>Hands out the provider's context as Core's <see cref="IMoxxieDb"/> (and as the provider-neutral
/// <see cref="MoxxieDbContext"/> for Infrastructure and Web code). One context per operation.</summary>
public sealed class MoxxieDbFactory<TContext>(IDbContextFactory<TContext> inner) : IMoxxieDbFactory, IDbContextFactory<MoxxieDbContext>
    where TContext : MoxxieDbContext
{
    public MoxxieDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<MoxxieDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);

    async Task<IMoxxieDb> IMoxxieDbFactory.CreateAsync(CancellationToken ct) => await inner.CreateDbContextAsync(ct);
}
