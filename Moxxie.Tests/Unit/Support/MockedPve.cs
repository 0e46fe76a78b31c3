using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Tests.Unit.Support;

/// <summary>
/// What the Core service unit tests build their service from: an inventory hub, a strict mock gateway behind connection
/// "prod" (the only configured one), a task tracker and an audit log that keeps the rows it is given in <see cref="Audited"/>.
/// </summary>
public sealed class MockedPve
{
    public const string Connection = "prod";

    public MockedPve()
    {
        Connections.Setup(c => c.Get(Connection)).Returns(Gateway.Object);
        Connections.Setup(c => c.All).Returns([new ConnectionInfo(Connection, new Uri("https://pve.example:8006"), "root@pam!moxxie", null, false, ConnectionSource.Configuration)]);
        Audit.Setup(a => a.WriteAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>()))
            .Callback<AuditRecord, CancellationToken>((r, _) => Audited.Add(r)).Returns(Task.CompletedTask);
    }

    public InventoryHub Hub { get; } = new();

    /// <summary>Strict: a test sets up every PVE call it expects; any other call fails the test.</summary>
    public Mock<IProxmoxGateway> Gateway { get; } = new(MockBehavior.Strict);

    public Mock<IProxmoxConnections> Connections { get; } = new();

    public Mock<ITaskTracker> Tracker { get; } = new();

    public Mock<IAuditLog> Audit { get; } = new();

    /// <summary>Audit rows written, in order.</summary>
    public List<AuditRecord> Audited { get; } = [];
}
