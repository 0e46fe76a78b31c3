using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;
using Moxxie.Web.Components.Pages.VmDetail;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>VM detail pieces with logic: power controls per role/status, hardware parsed from property strings, general and
/// options facts, pending markers. Config values are the UI guide's example for web-server-01.</summary>
public sealed class VmDetailComponentTests
{
    private static readonly Dictionary<string, string> GuideConfig = new()
    {
        ["name"] = "web-server-01",
        ["cores"] = "4",
        ["memory"] = "4096",
        ["boot"] = "order=scsi0;ide2;net0",
        ["scsihw"] = "virtio-scsi-single",
        ["ostype"] = "l26",
        ["ide2"] = "none,media=cdrom",
        ["net0"] = "virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0,firewall=1,tag=100",
        ["net1"] = "virtio=AA:BB:CC:DD:EE:00,bridge=vmbr1",
        ["scsi0"] = "local-zfs:vm-101-disk-0,size=50G",
        ["scsi1"] = "local-zfs:vm-101-disk-1,size=100G",
        ["cpu"] = "x86-64-v2-AES",
        ["numa"] = "0",
        ["balloon"] = "2048",
        ["agent"] = "1",
        ["onboot"] = "1",
        ["protection"] = "0",
    };

    private static GuestConfig Config(params PendingChange[] pending) => GuestConfig.Parse(101, GuestType.Qemu, GuideConfig, pending);

    private static Task<string> RenderAsync<T>(params (string Name, object? Value)[] parameters) where T : Microsoft.AspNetCore.Components.IComponent =>
        ComponentHtml.RenderAsync<T>(parameters.ToDictionary(p => p.Name, p => p.Value));

    private static string Cell(string html, string rowTestId, string key, string cellTestId)
    {
        var row = Regex.Match(html, $"<tr[^>]*data-testid=\"{rowTestId}\"[^>]*data-key=\"{key}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"no {rowTestId} row for {key}");
        var cell = Regex.Match(row.Groups[1].Value, $"<td[^>]*data-testid=\"{cellTestId}\"[^>]*>(.*?)</td>", RegexOptions.Singleline);
        Assert.True(cell.Success, $"no {cellTestId} cell in the {key} row");
        return System.Net.WebUtility.HtmlDecode(Regex.Replace(cell.Groups[1].Value, "<[^>]+>", "")).Trim();
    }

    [Fact]
    public async Task Hardware_ShowsDisksAndNicsParsedIntoFields()
    {
        var html = await RenderAsync<VmHardwareTab>((nameof(VmHardwareTab.Config), Config()));

        Assert.Equal("local-zfs", Cell(html, "disk-row", "scsi0", "disk-storage"));
        Assert.Equal("local-zfs:vm-101-disk-0", Cell(html, "disk-row", "scsi0", "disk-volume"));
        Assert.Equal("50G", Cell(html, "disk-row", "scsi0", "disk-size"));
        Assert.Equal("100G", Cell(html, "disk-row", "scsi1", "disk-size"));
        Assert.Contains("ide2 (CD/DVD)", html);

        Assert.Equal("virtio", Cell(html, "nic-row", "net0", "nic-model"));
        Assert.Equal("AA:BB:CC:DD:EE:FF", Cell(html, "nic-row", "net0", "nic-mac"));
        Assert.Equal("vmbr0", Cell(html, "nic-row", "net0", "nic-bridge"));
        Assert.Equal("100", Cell(html, "nic-row", "net0", "nic-tag"));
        Assert.Equal("Yes", Cell(html, "nic-row", "net0", "nic-firewall"));
        Assert.Equal("vmbr1", Cell(html, "nic-row", "net1", "nic-bridge"));
        Assert.Equal("—", Cell(html, "nic-row", "net1", "nic-tag"));
        Assert.Equal("No", Cell(html, "nic-row", "net1", "nic-firewall"));

        Assert.Contains("4.00 GiB", html);
        Assert.Contains("4 (1 socket, 4 cores) [x86-64-v2-AES]", html);
        Assert.Contains("virtio-scsi-single", html);
        Assert.DoesNotContain("pending", html);
    }

    [Fact]
    public async Task Hardware_MarksKeysWithPendingChanges()
    {
        var html = await RenderAsync<VmHardwareTab>((nameof(VmHardwareTab.Config), Config(new PendingChange("memory", "4096", "8192", false))));

        Assert.Matches(new Regex("data-testid=\"hw-memory\">4.00 GiB<span class=\"mx-pending\"[^>]*>[^<]*\\(pending: 8192\\)"), html);
    }

    [Fact]
    public async Task General_ShowsOsTypeBootOrderCpuTypeAndProtection()
    {
        var html = await RenderAsync<VmGeneralTab>((nameof(VmGeneralTab.Config), Config()));

        Assert.Contains("data-testid=\"general-ostype\">Linux 6.x - 2.6 Kernel<", html);
        Assert.Contains("data-testid=\"general-boot\">scsi0, ide2, net0<", html);
        Assert.Contains("data-testid=\"general-cputype\">x86-64-v2-AES<", html);
        Assert.Contains("data-testid=\"general-protection\">No<", html);
    }

    [Fact]
    public async Task Options_ShowStartAtBootAgentAndBalloon()
    {
        var html = await RenderAsync<VmOptionsTab>((nameof(VmOptionsTab.Config), Config()));

        Assert.Contains("data-testid=\"option-onboot\">Yes<", html);
        Assert.Contains("data-testid=\"option-agent\">Enabled<", html);
        Assert.Contains("data-testid=\"option-balloon\">minimum 2.00 GiB of 4.00 GiB<", html);
    }

    private static Task<string> PowerBarAsync(string status, bool canOperate, bool template = false) =>
        RenderAsync<VmPowerBar>(
            (nameof(VmPowerBar.Name), "web-server-01"), (nameof(VmPowerBar.Status), status),
            (nameof(VmPowerBar.CanOperate), canOperate), (nameof(VmPowerBar.Template), template));

    private static bool Enabled(string html, string label)
    {
        var button = Regex.Match(html, $"<button[^>]*aria-label=\"{label}\"[^>]*>");
        Assert.True(button.Success, $"no button {label}");
        return !button.Value.Contains("disabled", StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerBar_RunningVm_EnablesStopShutdownRebootReset_NotStart()
    {
        var html = await PowerBarAsync("running", canOperate: true);

        Assert.False(Enabled(html, "Start web-server-01"));
        foreach (var action in new[] { "Stop", "Shutdown", "Reboot", "Reset" })
            Assert.True(Enabled(html, $"{action} web-server-01"), action);
    }

    [Fact]
    public async Task PowerBar_StoppedVm_EnablesOnlyStart()
    {
        var html = await PowerBarAsync("stopped", canOperate: true);

        Assert.True(Enabled(html, "Start web-server-01"));
        foreach (var action in new[] { "Stop", "Shutdown", "Reboot", "Reset" })
            Assert.False(Enabled(html, $"{action} web-server-01"), action);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task PowerBar_ViewersAndTemplates_GetNoButtons(bool canOperate, bool template)
    {
        var html = await PowerBarAsync("stopped", canOperate, template);

        Assert.DoesNotContain("<button", html);
    }
}
