using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moxxie.Core;
using Moxxie.Core.Audit;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Infrastructure.Proxmox;
using Xunit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>Settings → connections end to end: stored encrypted, audited without secrets, the registry reloads, and the
/// refresher starts polling the new connection (a simulator over HTTPS).</summary>
public sealed class ConnectionServiceIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly Actor Admin = new("admin", [MoxxieRoles.Admin], "10.9.9.9");
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], "10.9.9.8");
    private PveTestHost _sim = null!;
    private TestMoxxieDbFactory _db = null!;
    private IHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sim = await PveTestHost.StartAsync();
        _db = new TestMoxxieDbFactory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Moxxie:Inventory:PollInterval"] = "00:00:00.3" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        builder.Services.AddSingleton<IMoxxieDbFactory>(_db);
        builder.Services.AddSingleton<ISecretProtector, TestSecretProtector>();
        builder.Services.AddMoxxieCore().AddMoxxieProxmox(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        _db.Dispose();
        await _sim.DisposeAsync();
    }

    private ProxmoxConnectionSettings Settings(string name = "lab") => _sim.TokenSettings(name);

    [Fact]
    public async Task Save_StoresTheSecretEncrypted_Audits_AndTheRefresherPollsTheNewConnection()
    {
        using var scope = _host.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var hub = _host.Services.GetRequiredService<InventoryHub>();

        await service.SaveAsync(Admin, null, Settings(), Ct);

        var info = Assert.Single(service.List());
        Assert.Equal(("lab", ConnectionSource.Database), (info.Name, info.Source));
        await using (var db = await _db.CreateAsync(Ct))
        {
            var row = await db.ProxmoxConnections.SingleAsync(Ct);
            Assert.NotEqual(_sim.Server.TokenSecret, row.ProtectedTokenSecret);
            Assert.StartsWith("enc:", row.ProtectedTokenSecret);
        }
        var audit = Assert.Single(((InMemoryAuditLog)_host.Services.GetRequiredService<IAuditLog>()).Records);
        Assert.Equal(("CONNECTION_CREATE", "CONNECTION", "lab", true), (audit.Operation, audit.ResourceType, audit.ResourceId, audit.Success));
        Assert.DoesNotContain(_sim.Server.TokenSecret, JsonSerializer.Serialize(audit.Details));
        await Eventually.HoldsAsync(() => hub.Get("lab") is { Loaded: true, Error: null }, Deadline, "the new connection's inventory");
    }

    [Fact]
    public async Task Edit_WithoutSecret_KeepsTheStoredOne_AndDeleteRemovesTheInventory()
    {
        using var scope = _host.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var hub = _host.Services.GetRequiredService<InventoryHub>();
        await service.SaveAsync(Admin, null, Settings(), Ct);

        await service.SaveAsync(Admin, "lab", Settings("lab2") with { TokenSecret = null }, Ct);

        Assert.Equal(["lab2"], service.List().Select(c => c.Name));
        await Eventually.HoldsAsync(() => hub.Get("lab2") is { Loaded: true, Error: null }, Deadline, "the renamed connection to work with the kept secret");
        var test = await service.TestAsync(Admin, Settings("lab2") with { TokenSecret = null }, Ct);
        Assert.True(test.Success, test.Error);
        Assert.Equal("production-cluster", test.ClusterName);

        await service.DeleteAsync(Admin, "lab2", Ct);

        Assert.Empty(service.List());
        await Eventually.HoldsAsync(() => hub.Get("lab2") is null, Deadline, "the inventory to be dropped");
        Assert.Equal(["CONNECTION_CREATE", "CONNECTION_UPDATE", "CONNECTION_DELETE"],
            ((InMemoryAuditLog)_host.Services.GetRequiredService<IAuditLog>()).Records.Select(r => r.Operation));
    }

    [Fact]
    public async Task NonAdmins_AreForbidden_AndBadInputIsRefusedPerField()
    {
        using var scope = _host.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<ConnectionService>();

        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(Operator, null, Settings(), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.TestAsync(Operator, Settings(), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(Operator, "lab", Ct));
        var ex = await Assert.ThrowsAsync<ValidationException>(() => service.SaveAsync(Admin, null,
            new ProxmoxConnectionSettings("bad name", new Uri("http://pve:8006"), "root", null, "12", false), Ct));

        Assert.Equal(["fingerprint", "name", "tokenId", "tokenSecret", "url"], ex.Errors.Keys.Order());
        await service.SaveAsync(Admin, null, Settings(), Ct);
        var dup = await Assert.ThrowsAsync<ValidationException>(() => service.SaveAsync(Admin, null, Settings("LAB"), Ct));
        Assert.Contains("name", dup.Errors.Keys);
    }
}
