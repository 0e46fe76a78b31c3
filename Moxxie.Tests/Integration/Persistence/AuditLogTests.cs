using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

public sealed class AuditLogTests
{
    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Write_StoresEveryField(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock();
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var audit = host.Get<IAuditLog>();

        var actor = new Actor("alice", [MoxxieRoles.Operator], "10.0.0.7");
        await audit.WriteAsync(new AuditRecord(actor, "VM_START", "VM", "101", true, TimeSpan.FromMilliseconds(1500),
            Node: "proxmox-01", Connection: "production-cluster", Details: new { vmid = 101, action = "start" },
            Upid: "UPID:proxmox-01:00001234:00ABCDEF:67890ABC:qmstart:101:root@pam:"), ct);

        await using var db = await host.Get<IMoxxieDbFactory>().CreateAsync(ct);
        var row = Assert.Single(await db.AuditEntries.AsNoTracking().ToListAsync(ct));
        Assert.Equal(clock.GetUtcNow(), row.Timestamp);
        Assert.Equal(TimeSpan.Zero, row.Timestamp.Offset);
        Assert.Equal("alice", row.User);
        Assert.Equal("10.0.0.7", row.SourceIp);
        Assert.Equal("VM_START", row.Operation);
        Assert.Equal("VM", row.ResourceType);
        Assert.Equal("101", row.ResourceId);
        Assert.Equal("proxmox-01", row.Node);
        Assert.Equal("production-cluster", row.Connection);
        Assert.True(row.Success);
        Assert.Null(row.Error);
        Assert.Equal(1.5, row.Duration, 3);
        Assert.Equal("UPID:proxmox-01:00001234:00ABCDEF:67890ABC:qmstart:101:root@pam:", row.Upid);
        using var details = JsonDocument.Parse(row.DetailsJson!);
        Assert.Equal(101, details.RootElement.GetProperty("vmid").GetInt32());
        Assert.Equal("start", details.RootElement.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Recent_OrdersByTimestampNewestFirst_InTheDatabase(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock();
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var audit = host.Get<IAuditLog>();
        var actor = new Actor("bob", [MoxxieRoles.Admin], null);

        // Written out of time order: ordering must follow Timestamp, not insertion.
        var start = clock.Now;
        clock.Now = start.AddHours(2);
        await audit.WriteAsync(new AuditRecord(actor, "VM_STOP", "VM", "102", false, TimeSpan.Zero, Error: "VM 102 not running"), ct);
        clock.Now = start.AddHours(1);
        await audit.WriteAsync(new AuditRecord(actor, "VM_START", "VM", "101", true, TimeSpan.Zero), ct);
        clock.Now = start.AddHours(6);
        await audit.WriteAsync(new AuditRecord(actor, "VM_REBOOT", "VM", "104", true, TimeSpan.Zero), ct);

        var recent = await audit.RecentAsync(2, ct);
        Assert.Equal(["VM_REBOOT", "VM_STOP"], recent.Select(e => e.Operation));
        Assert.Equal("VM 102 not running", recent[1].Error);
        Assert.False(recent[1].Success);

        // A range filter on the timestamp also runs in SQL on both providers.
        await using var db = await host.Get<IMoxxieDbFactory>().CreateAsync(ct);
        var since = start.AddHours(1.5);
        Assert.Equal(["VM_REBOOT", "VM_STOP"], (await db.AuditEntries.Where(e => e.Timestamp > since).Select(e => e.Operation).ToListAsync(ct)).Order());
    }
}
