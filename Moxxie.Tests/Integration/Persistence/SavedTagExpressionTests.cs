using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Moxxie.Core.Validation;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>Saved tag expressions on both providers: personal and shared, replaced by name, normalized, Admin-only sharing,
/// audited.</summary>
public sealed class SavedTagExpressionTests
{
    private static readonly Actor Alice = new("alice", [MoxxieRoles.Operator], "10.0.0.1");
    private static readonly Actor Bob = new("bob", [MoxxieRoles.Viewer], "10.0.0.2");
    private static readonly Actor Admin = new("root-admin", [MoxxieRoles.Admin], "10.0.0.3");

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Saved_expressions_are_personal_or_shared_replaced_by_name_and_audited(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock();
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var service = new SavedTagExpressionService(host.Get<IMoxxieDbFactory>(), host.Get<IAuditLog>(), clock);

        var mine = await service.SaveAsync(Alice, " Prod web ", "env-prod and not always-on", shared: false, ct);
        Assert.Equal("Prod web", mine.Name);
        Assert.Equal("env-prod AND NOT always-on", mine.Expression);
        await service.SaveAsync(Bob, "Bob's", "client-*", shared: false, ct);
        var shared = await service.SaveAsync(Admin, "Clients", "(env-prod OR env-staging) AND client-*", shared: true, ct);
        Assert.Null(shared.OwnerUserName);

        // Same name again (any case) replaces the expression.
        clock.Now = clock.Now.AddMinutes(1);
        var replaced = await service.SaveAsync(Alice, "prod WEB", "env-prod", shared: false, ct);
        Assert.Equal(mine.Id, replaced.Id);

        Assert.Equal([("Clients", null), ("prod WEB", "alice")],
            (await service.ListAsync(Alice, ct)).Select(e => (e.Name, e.OwnerUserName)));
        Assert.Equal(["Bob's", "Clients"], (await service.ListAsync(Bob, ct)).Select(e => e.Name));
        Assert.Equal("env-prod", (await service.ListAsync(Alice, ct)).Single(e => e.Id == mine.Id).Expression);

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => service.SaveAsync(Alice, "", "env-prod AND ()", false, ct));
        Assert.Equal("unexpected ')' at 14, expected a tag, NOT or '('", invalid.Errors["expression"]);
        Assert.True(invalid.Errors.ContainsKey("name"));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(Alice, "Everyone", "env-prod", shared: true, ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(Alice, shared.Id, ct));
        Assert.False(await service.DeleteAsync(Bob, mine.Id, ct));            // not Bob's: invisible to him

        Assert.True(await service.DeleteAsync(Alice, mine.Id, ct));
        Assert.True(await service.DeleteAsync(Admin, shared.Id, ct));
        Assert.Equal(["Bob's"], (await service.ListAsync(Bob, ct)).Select(e => e.Name));
        Assert.Empty(await service.ListAsync(Alice, ct));

        await using var db = (MoxxieDbContext)await host.Get<IMoxxieDbFactory>().CreateAsync(ct);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.ResourceType == "TAG_EXPRESSION").ToListAsync(ct);
        Assert.Equal(4, audit.Count(a => a.Operation == "TAG_EXPRESSION_SAVE" && a.Success));
        Assert.Equal(2, audit.Count(a => a.Operation == "TAG_EXPRESSION_DELETE" && a.Success));
        Assert.Equal(2, audit.Count(a => !a.Success && a.Error!.StartsWith("Forbidden", StringComparison.Ordinal)));
    }
}
