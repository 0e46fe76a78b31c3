using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Storage;
using Moxxie.Core.Validation;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Storage;

/// <summary>StorageService: configuration joined with inventory usage, content-browser rules, upload checks and who may change what.</summary>
public sealed class StorageServiceTests
{
    private const long GiB = 1L << 30;
    private static readonly Actor Admin = new("ada", [MoxxieRoles.Admin], null);
    private static readonly Actor Operator = new("olivia", [MoxxieRoles.Operator], null);
    private static readonly Actor Viewer = new("victor", [MoxxieRoles.Viewer], null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly MockedPve _pve = new();
    private readonly StorageService _service;

    public StorageServiceTests()
    {
        _pve.Hub.Publish(Snapshot("prod", [], null, [.. Usage()]));
        _pve.Gateway.Setup(g => g.GetStorageConfigsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Configs());
        var clock = new ManualClock(T0);
        _service = new StorageService(_pve.Hub, _pve.Connections.Object, new StorageConfigCache(clock), _pve.Tracker.Object, _pve.Audit.Object, clock);
    }

    private static IEnumerable<StorageResource> Usage()
    {
        foreach (var node in new[] { "proxmox-01", "proxmox-02" })
        {
            yield return new StorageResource("local", node, "available", 40 * GiB, 100 * GiB, ["iso", "vztmpl", "backup"], false, "dir");
            yield return new StorageResource("backup-nas", node, "available", 6000 * GiB, 10000 * GiB, ["backup", "iso"], true, "nfs");
            yield return new StorageResource("local-zfs", node, "available", 100 * GiB, 500 * GiB, ["images", "rootdir"], false, "zfspool");
        }
    }

    private static StorageConfig Config(string name, string type, string[] content, bool shared = false, bool disabled = false,
        params (string Key, string Value)[] props) =>
        new(name, type, content, [], shared, disabled, Prop(props, "path"), Prop(props, "server"), null, null, props.ToDictionary(p => p.Key, p => p.Value));

    private static string? Prop((string Key, string Value)[] props, string key) => props.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

    private static IReadOnlyList<StorageConfig> Configs() =>
    [
        Config("local", "dir", ["iso", "vztmpl", "backup"], props: ("path", "/var/lib/vz")),
        Config("backup-nas", "nfs", ["backup", "iso"], shared: true, props: [("server", "192.168.1.50"), ("export", "/tank")]),
        Config("local-zfs", "zfspool", ["images", "rootdir"]),
        Config("old-nfs", "nfs", ["backup"], shared: true, disabled: true),
    ];

    [Fact]
    public async Task List_SharedStorageCountsOnce_LocalStorageSumsItsNodes()
    {
        var list = await _service.ListAsync(null, null, Ct);

        var nas = list.Items.Single(s => s.Storage == "backup-nas");
        Assert.Equal((10000 * GiB, 6000 * GiB), (nas.Total, nas.Used));
        var local = list.Items.Single(s => s.Storage == "local");
        Assert.Equal((200 * GiB, 80 * GiB), (local.Total, local.Used));
        Assert.Equal(0.4, local.UsedFraction, 6);
        Assert.Equal("192.168.1.50:/tank", nas.Location);
        Assert.Equal(["proxmox-01", "proxmox-02"], local.Nodes);
    }

    [Fact]
    public async Task List_EnabledFilter_UsesTheConfigurationsDisableFlag()
    {
        var enabled = await _service.ListAsync(true, null, Ct);
        var disabled = await _service.ListAsync(false, null, Ct);

        Assert.Equal(["backup-nas", "local", "local-zfs"], enabled.Items.Select(s => s.Storage));
        Assert.Equal(["old-nfs"], disabled.Items.Select(s => s.Storage));
        Assert.False(disabled.Items[0].Active);
    }

    [Fact]
    public async Task List_ReadsTheConfigurationOncePerLifetime()
    {
        await _service.ListAsync(null, null, Ct);
        await _service.ListAsync(true, null, Ct);

        _pve.Gateway.Verify(g => g.GetStorageConfigsAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Tabs_AndUploadableContent_FollowWhatTheStorageHolds()
    {
        var list = (await _service.ListAsync(null, null, Ct)).Items.ToDictionary(s => s.Storage);

        Assert.Equal(["iso", "vztmpl", "backup"], StorageContentKinds.TabsFor(list["local"]));
        Assert.Equal(["images"], StorageContentKinds.TabsFor(list["local-zfs"]));
        Assert.Equal(["iso", "vztmpl"], StorageContentKinds.UploadableTo(list["local"]));
        Assert.Equal(["iso"], StorageContentKinds.UploadableTo(list["backup-nas"]));
        Assert.Empty(StorageContentKinds.UploadableTo(list["local-zfs"]));
        Assert.Empty(StorageContentKinds.UploadableTo(list["old-nfs"]));
    }

    [Theory]
    [InlineData("iso", "debian.iso", 10L, null)]
    [InlineData("iso", "debian.tar.zst", 10L, "filename")]
    [InlineData("iso", "my debian.iso", 10L, "filename")]
    [InlineData("iso", "../etc/passwd.iso", 10L, "filename")]
    [InlineData("vztmpl", "alpine.tar.xz", 10L, null)]
    [InlineData("backup", "vzdump.vma.zst", 10L, "content")]
    [InlineData("iso", "empty.iso", 0L, "file")]
    [InlineData("iso", "huge.iso", StorageService.MaxUploadBytes + 1, "file")]
    public async Task ValidateUpload_NamesTheFieldPveWouldRefuse(string content, string fileName, long length, string? field)
    {
        var local = (await _service.ListAsync(null, null, Ct)).Items.Single(s => s.Storage == "local");

        var error = Record.Exception(() => StorageService.ValidateUpload(local, content, fileName, length));

        if (field is null) Assert.Null(error);
        else Assert.Contains(field, Assert.IsType<ValidationException>(error).Errors.Keys);
    }

    [Fact]
    public async Task Upload_ByAViewer_IsForbidden_Audited_AndNothingIsSent()
    {
        using var data = new MemoryStream([1, 2, 3]);
        var request = new StorageUploadRequest("prod", "local", "proxmox-01", "iso", "x.iso", 3);

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.UploadAsync(Viewer, request, data, null, Ct));

        var row = Assert.Single(_pve.Audited);
        Assert.Equal(("STORAGE_UPLOAD", false), (row.Operation, row.Success));
        _pve.Gateway.Verify(g => g.UploadAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Stream>(),
            It.IsAny<long?>(), It.IsAny<IProgress<UploadProgress>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Upload_ByAnOperator_StreamsToPve_TracksTheTask_AndAudits()
    {
        using var data = new MemoryStream([1, 2, 3]);
        const string upid = "UPID:proxmox-01:0000AAAA:00000001:00000001:imgcopy:local:olivia@pve:";
        _pve.Gateway.Setup(g => g.UploadAsync("proxmox-01", "local", "iso", "x.iso", data, 3, null, It.IsAny<CancellationToken>())).ReturnsAsync(upid);

        var result = await _service.UploadAsync(Operator, new StorageUploadRequest("prod", "local", "proxmox-01", "iso", "x.iso", 3), data, null, Ct);

        Assert.True(result.Success, result.Message);
        Assert.Equal(upid, result.Upid);
        _pve.Tracker.Verify(t => t.Track("prod", "proxmox-01", upid, "olivia"));
        Assert.Equal(("STORAGE_UPLOAD", true, upid), (_pve.Audited.Single().Operation, _pve.Audited.Single().Success, _pve.Audited.Single().Upid));
    }

    [Fact]
    public async Task Disable_ByAnOperator_IsForbidden_ByAnAdmin_CallsPve_DropsTheCache_AndAudits()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.SetEnabledAsync(Operator, "prod", "local", false, Ct));
        _pve.Gateway.Setup(g => g.SetStorageEnabledAsync("local", false, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        await _service.ListAsync(null, null, Ct);

        var result = await _service.SetEnabledAsync(Admin, "prod", "local", false, Ct);
        await _service.ListAsync(null, null, Ct);

        Assert.True(result.Success, result.Message);
        _pve.Gateway.Verify(g => g.GetStorageConfigsAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal([("STORAGE_DISABLE", false), ("STORAGE_DISABLE", true)], _pve.Audited.Select(a => (a.Operation, a.Success)));
    }

    [Fact]
    public async Task Disable_RefusedByPve_ReturnsPvesMessage()
    {
        _pve.Gateway.Setup(g => g.SetStorageEnabledAsync("local", false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxException("prod", 500, "storage 'local' is in use"));

        var result = await _service.SetEnabledAsync(Admin, "prod", "local", false, Ct);

        Assert.False(result.Success);
        Assert.Equal("storage 'local' is in use", result.Message);
        Assert.False(_pve.Audited.Single().Success);
    }
}
