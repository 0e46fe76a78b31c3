using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Pages.Bulk;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>The bulk screens' own logic (issue 7): the hand-over from the VM list, the wizard's field checks and the
/// request it makes, the snapshot-name preview, the target preview, the plan table.</summary>
public sealed class BulkUiTests
{
    private static VmListRow Row(int vmid, string name, string node = "proxmox-01", string status = "running", string[]? tags = null,
        bool template = false, string connection = "prod") =>
        new(connection, vmid, name, node, GuestType.Qemu, status, template, 0.01, 1, 1, 2, 0, 8, 0, 0, 60, tags ?? [], null, null, []);

    private static readonly IReadOnlyList<VmListRow> Estate =
    [
        Row(101, "web-server-01", tags: ["env-prod", "web-tier"]),
        Row(102, "database-01", status: "stopped", tags: ["env-prod", "db-tier"]),
        Row(104, "web-server-02", node: "proxmox-02", tags: ["env-prod", "web-tier", "always-on"]),
        Row(120, "dev-sandbox-01", status: "stopped", tags: ["env-dev"]),
        Row(9000, "ubuntu-template", status: "stopped", template: true),
    ];

    [Fact]
    public void ListHandOver_TickedVms_GoInTheUrlAndComeBackAsRefs()
    {
        var href = BulkWizardLink.ForVms("stop", ["prod/104", "prod/101"], multiConnection: false);
        Assert.Equal("bulk/new?op=stop&vms=101,104", href);
        Assert.Equal([new VmRef(101), new VmRef(104)], BulkWizardLink.ParseVms("101,104,x,-3"));

        var multi = BulkWizardLink.ForVms("start", ["lab/7", "prod/101"], multiConnection: true);
        Assert.Contains("vms=lab%2F7,prod%2F101", multi, StringComparison.Ordinal);
        Assert.Equal([new VmRef(7, "lab"), new VmRef(101, "prod")], BulkWizardLink.ParseVms("lab/7,prod/101"));
    }

    [Fact]
    public void ListHandOver_AllMatching_CarriesTheFiltersWithTagChipsJoinedToTheExpression()
    {
        var query = new VmListQuery(Status: "running", Tags: ["env-prod"], Node: "proxmox-02", Expression: "web-tier OR db-tier");
        var href = BulkWizardLink.ForFilter("snapshot", query);
        Assert.StartsWith("bulk/new?op=snapshot&all=1&expr=", href, StringComparison.Ordinal);
        Assert.Equal("env-prod AND (web-tier OR db-tier)", BulkWizardLink.TagExpression(query));
        Assert.Contains("node=proxmox-02", href, StringComparison.Ordinal);
        Assert.Contains("status=running", href, StringComparison.Ordinal);
        Assert.Equal("bulk/new?op=stop&all=1", BulkWizardLink.ForFilter("stop", new VmListQuery()));
    }

    [Fact]
    public void SnapshotName_RendersThePlaceholdersInUtcAndMakesTheVmNameSnapshotSafe()
    {
        var at = new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.FromHours(2));
        Assert.Equal("web-01-20261205", SnapshotNamePattern.Render("{vm}-{date}", "web.01", 101, at));
        Assert.Equal("pre-101-230203-20261205-230203", SnapshotNamePattern.Render("pre-{vmid}-{time}-{datetime}", "x", 101, at));
        Assert.Equal("{host}", SnapshotNamePattern.UnknownPlaceholder("a-{vm}-{host}"));
        Assert.Null(SnapshotNamePattern.UnknownPlaceholder("a-{vm}-{datetime}"));
    }

    [Fact]
    public void Options_AreCheckedFieldByFieldBeforeAnythingIsSent()
    {
        var form = new BulkWizardForm { Operation = "snapshot", SnapshotName = "{date}", TtlHours = 0, MaxParallel = 0 };
        var errors = form.ValidateOptions("web-server-01", 101);
        Assert.Contains("letter", errors["snapshotName"], StringComparison.Ordinal);   // 2026… starts with a digit
        Assert.Contains("ttlHours", errors.Keys);
        Assert.Contains("maxParallel", errors.Keys);

        form.SnapshotName = "{vm}-{date}";
        form.TtlHours = 48;
        form.MaxParallel = 10;
        Assert.Empty(form.ValidateOptions("web-server-01", 101));

        var tags = new BulkWizardForm { Operation = "tags", TagsText = "" };
        Assert.Contains("tags", tags.ValidateOptions().Keys);
        tags.TagsText = "web-tier, bad tag!";
        Assert.Contains("tags", tags.ValidateOptions().Keys);
        tags.TagsText = "web-tier public-facing";
        Assert.Empty(tags.ValidateOptions());

        var stop = new BulkWizardForm { Operation = "stop", TimeoutSeconds = 0 };
        Assert.Contains("timeout", stop.ValidateOptions().Keys);
        var start = new BulkWizardForm { Operation = "start", TimeoutSeconds = 0 };
        Assert.Empty(start.ValidateOptions());   // start has no timeout field: not checked, not sent
    }

    [Fact]
    public void Targets_AreChecked_AndABadTagExpressionSaysWhere()
    {
        Assert.Contains("operation", new BulkWizardForm().ValidateTargets().Keys);
        var form = new BulkWizardForm { Operation = "stop", Mode = BulkTargetMode.TagExpression, TagExpression = "env-prod AND (" };
        Assert.Contains("tagExpression", form.ValidateTargets().Keys);
        form.Mode = BulkTargetMode.Checked;
        Assert.Contains("vmIds", form.ValidateTargets().Keys);
    }

    [Fact]
    public void Request_CarriesTheSelectionOptionsAndTheOperationsParameters()
    {
        var stop = new BulkWizardForm
        {
            Operation = "stop", Mode = BulkTargetMode.Checked, Checked = [new VmRef(101, "prod"), new VmRef(104, "prod")],
            Parallel = true, MaxParallel = 8, PerNodeLimit = 2, TimeoutSeconds = 30, Force = true, SnapshotBefore = true, SnapshotBeforeTtlHours = 12,
        }.ToRequest();
        Assert.Equal(BulkKinds.Power, stop.Kind);
        Assert.Equal(PowerAction.Stop, stop.PowerAction);
        Assert.Equal([101, 104], stop.Selection.VmIds);
        Assert.Equal("prod", stop.Selection.Connection);
        Assert.Equal((8, 2, 30, true, 12), (stop.Options.MaxParallel, stop.Options.PerNodeLimit, stop.Options.TimeoutSeconds, stop.Options.Force, stop.Options.SnapshotBeforeTtlHours));
        Assert.Equal("ui", stop.Source);

        var snapshot = new BulkWizardForm
        {
            Operation = "snapshot", Mode = BulkTargetMode.TagExpression, TagExpression = " env-prod ", SnapshotName = "{vm}-{date}",
            Description = "Pre-maintenance", TtlHours = 48, Parallel = false, Force = true, TimeoutSeconds = 30,
        }.ToRequest();
        Assert.Equal(BulkKinds.Snapshot, snapshot.Kind);
        Assert.Equal("env-prod", snapshot.Selection.TagExpression);
        Assert.Equal(new BulkSnapshotParameters("{vm}-{date}", "Pre-maintenance", 48, false), snapshot.Snapshot);
        Assert.False(snapshot.Options.Parallel);
        Assert.False(snapshot.Options.Force);             // not a stop/shutdown: force and timeout are not sent
        Assert.Null(snapshot.Options.TimeoutSeconds);

        var tags = new BulkWizardForm { Operation = "tags", Mode = BulkTargetMode.NamePattern, NamePattern = "web-*", TagAdd = false, TagsText = "a, b a" }.ToRequest();
        Assert.Equal(["a", "b"], tags.Tags!.Tags);
        Assert.False(tags.TagAdd);
        Assert.Equal("web-*", tags.Selection.NamePattern);

        var all = new BulkWizardForm { Operation = "delete", Mode = BulkTargetMode.ListFilter }.ToRequest([new VmRef(120, "prod")]);
        Assert.Equal(BulkKinds.Delete, all.Kind);
        Assert.Equal([120], all.Selection.VmIds);
    }

    [Fact]
    public void Delete_IsConfirmedByTheCountOrTheWord()
    {
        Assert.True(BulkWizardForm.DeleteConfirmed(" 3 ", 3));
        Assert.True(BulkWizardForm.DeleteConfirmed("DELETE", 3));
        Assert.False(BulkWizardForm.DeleteConfirmed("2", 3));
        Assert.False(BulkWizardForm.DeleteConfirmed(null, 3));
        Assert.NotNull(BulkWizardForm.ConnectionError([new VmRef(1, "a"), new VmRef(2, "b")]));
        Assert.Null(BulkWizardForm.ConnectionError([new VmRef(1, "a"), new VmRef(2, "a")]));
    }

    [Theory]
    [InlineData(BulkTargetMode.All, null, new[] { 101, 102, 104, 120 })]
    [InlineData(BulkTargetMode.NamePattern, "WEB-*", new[] { 101, 104 })]
    [InlineData(BulkTargetMode.NamePattern, "web-server-0?", new[] { 101, 104 })]
    [InlineData(BulkTargetMode.NamePattern, "web", new int[0])]
    [InlineData(BulkTargetMode.TagExpression, "env-prod AND NOT always-on", new[] { 101, 102 })]
    [InlineData(BulkTargetMode.TagExpression, "env-prod AND (", new int[0])]
    [InlineData(BulkTargetMode.Node, "proxmox-02", new[] { 104 })]
    public void Preview_ListsTheVmsASelectionNames_NeverTemplates(BulkTargetMode mode, string? value, int[] expected)
    {
        var form = new BulkWizardForm { Mode = mode, NamePattern = value, TagExpression = value, Node = value };
        Assert.Equal(expected, BulkTargetPreview.Resolve(form, Estate).Select(r => r.VmId));
    }

    [Fact]
    public void Preview_OfTheListsFilters_AndOfTickedVms()
    {
        var filtered = new BulkWizardForm { Mode = BulkTargetMode.ListFilter, ListFilter = new VmFilter(Status: "stopped", IncludeTemplates: false) };
        Assert.Equal([102, 120], BulkTargetPreview.Resolve(filtered, Estate).Select(r => r.VmId));
        var ticked = new BulkWizardForm { Mode = BulkTargetMode.Checked, Checked = [new VmRef(120), new VmRef(9000), new VmRef(104, "other")] };
        Assert.Equal([120], BulkTargetPreview.Resolve(ticked, Estate).Select(r => r.VmId));
    }

    [Theory]
    [InlineData("operation", 0)]
    [InlineData("kind", 0)]
    [InlineData("action", 0)]
    [InlineData("timeout", 2)]
    [InlineData("vmIds", 1)]
    [InlineData("tagExpression", 1)]
    [InlineData("selection.namePattern", 1)]
    [InlineData("perNodeLimit", 2)]
    [InlineData("snapshotName", 2)]
    public void Wizard_SendsAnEngineRefusalBackToTheStepOwningTheField(string field, int step) =>
        Assert.Equal(step, BulkWizardPage.StepOf(field));

    [Fact]
    public async Task Plan_FlagsTheVmsThatWouldNotSucceedWithTheReason()
    {
        var plan = new BulkPlan("plan-1", BulkKinds.Power, "stop",
        [
            new BulkPlanEntry(101, "web-server-01", "prod", "proxmox-01", "qemu", "stop", true) { Status = "running" },
            new BulkPlanEntry(102, "database-01", "prod", "proxmox-01", "qemu", "stop", false, "already stopped", BulkReasons.AlreadyInState) { Status = "stopped" },
        ], 12, ["1 VM is skipped: already stopped"]);
        var html = await ComponentHtml.RenderAsync<BulkPlanView>(new Dictionary<string, object?> { ["Plan"] = plan });

        Assert.Contains("data-testid=\"bulk-plan-ok\">1<", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"bulk-plan-skipped\">1<", html, StringComparison.Ordinal);
        Assert.Contains("data-vmid=\"102\" data-ok=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("No: already stopped", html, StringComparison.Ordinal);
        Assert.Contains("1 VM is skipped: already stopped", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Proposed name", html, StringComparison.Ordinal);   // a power plan has no names
    }

    [Fact]
    public void Csv_HasOneLinePerVmInPlanOrder_QuotedAndDefused()
    {
        var at = new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);
        var op = new BulkOperationView("op-1", BulkKinds.Power, "stop", BulkStatus.Completed, new BulkCounts(2, 0, 0, 1, 1, 0, 0), "admin", "ui",
            null, null, at, at, at.AddSeconds(3), new BulkOptions(), "{}",
            [
                new BulkTaskView(2, 2, 102, "db,01", "prod", "proxmox-01", "stop", null, BulkTaskStatus.Failed, null, null, "=VM is locked (backup)", 3, at, at.AddSeconds(2)),
                new BulkTaskView(1, 1, 101, "web-01", "prod", "proxmox-01", "stop", null, BulkTaskStatus.Succeeded, "UPID:proxmox-01:1:2:3:qmstop:101:root@pam:", "stopped", null, 1, at, at.AddSeconds(1)),
            ]);
        var lines = Moxxie.Web.Api.BulkCsv.Write(op).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("seq,vmid,vm_name,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1,101,web-01,proxmox-01,prod,stop,,succeeded,1,UPID:proxmox-01:1:2:3:qmstop:101:root@pam:,stopped,,1,2026-12-06T01:00:00.000Z,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,102,\"db,01\",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",failed,0,,,'=VM is locked (backup),3,", lines[2], StringComparison.Ordinal);
    }
}
