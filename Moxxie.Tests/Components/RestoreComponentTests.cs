using Moxxie.Core.Proxmox;
using Moxxie.Web.Components.Pages.Restore;
using Moxxie.Web.Components.Pages.VmDetail;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class RestoreComponentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly StorageContentItem Backup = new("backup-nas:backup/vzdump-qemu-101-2026_12_05-01_00_00.vma.zst", "backup", "vma.zst",
        5L << 30, null, Now.AddHours(-11), 101, "qemu", null, false, null, null, null);

    private static Task<string> RenderListAsync(bool canOperate) => ComponentHtml.RenderAsync<VmBackupList>(new Dictionary<string, object?>
    {
        [nameof(VmBackupList.Backups)] = new[] { Backup },
        [nameof(VmBackupList.Now)] = Now,
        [nameof(VmBackupList.CanOperate)] = canOperate,
        [nameof(VmBackupList.Connection)] = "production-cluster",
        [nameof(VmBackupList.Node)] = "proxmox-01",
    });

    [Fact]
    public async Task BackupList_OffersOperatorsARestoreLinkToTheWizard_WithVolidConnectionAndNode()
    {
        var html = await RenderListAsync(canOperate: true);
        Assert.Contains("data-testid=\"backup-restore\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"backups/restore?volid=backup-nas%3Abackup%2Fvzdump-qemu-101-2026_12_05-01_00_00.vma.zst&amp;connection=production-cluster&amp;node=proxmox-01\"",
            html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupList_ShowsViewersNoRestoreLink() =>
        Assert.DoesNotContain("backup-restore", await RenderListAsync(canOperate: false), StringComparison.Ordinal);

    [Theory]
    [InlineData("volid", 0)]
    [InlineData("vmId", 1)]
    [InlineData("node", 1)]
    [InlineData("storage", 2)]
    [InlineData("bridges.net1", 2)]
    [InlineData("confirm", 4)]
    public void Wizard_SendsAFieldErrorBackToTheStepThatOwnsTheField(string field, int step) =>
        Assert.Equal(step, RestoreWizardPage.StepOf(field));
}
