using Moxxie.Core.Proxmox;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Snapshots;
using Xunit;

namespace Moxxie.Tests.Unit.Scheduling;

/// <summary>Task parameters, snapshot names and VM selectors of scheduled jobs.</summary>
public sealed class JobDefinitionTests
{
    private static GuestResource Guest(int id, string name, string node, string[] tags, string? pool = null, bool template = false) =>
        new(id, name, node, GuestType.Qemu, "running", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, template, tags, null, null, pool);

    private static readonly SelectableVm[] Vms =
    [
        new("prod", Guest(101, "web-01", "proxmox-01", ["env-prod", "web"], "pool-a")),
        new("prod", Guest(102, "web-02", "proxmox-02", ["env-prod", "web", "always-on"])),
        new("prod", Guest(103, "db-01", "proxmox-01", ["env-prod", "db"], "pool-a")),
        new("prod", Guest(104, "dev-01", "proxmox-03", ["env-dev"])),
        new("prod", Guest(9000, "tmpl", "proxmox-01", ["env-prod"], template: true)),
    ];

    private static IEnumerable<int> Pick(params JobSelector[] selectors)
    {
        var (compiled, errors) = CompiledSelectors.Compile(selectors);
        Assert.Empty(errors);
        return compiled!.Select(Vms).Select(v => v.Guest.VmId);
    }

    [Fact]
    public void Selectors_are_combined_with_and_and_never_pick_templates()
    {
        Assert.Equal([101, 102, 103, 104], Pick(new JobSelector("ALL", null)));
        Assert.Equal([101, 103], Pick(new JobSelector("TAG_EXPRESSION", "env-prod AND NOT always-on"), new JobSelector("NODE", "proxmox-01")));
        Assert.Equal([101, 102], Pick(new JobSelector("NAME_PATTERN", "WEB-0?")));
        Assert.Equal([102, 104], Pick(new JobSelector("VM_IDS", "102, 104, 9000")));
        Assert.Equal([103], Pick(new JobSelector("POOL", "pool-a"), new JobSelector("NAME_PATTERN", "db-*")));
    }

    [Fact]
    public void Picker_choices_offer_every_pool_of_the_inventory_including_empty_ones_and_template_only_nodes()
    {
        var prod = new ClusterResources([.. Vms.Select(v => v.Guest)], [new NodeResource("proxmox-04", "online", 0, 1, 0, 0, 0, 0, 0, null)], [])
        {
            Pools = [new PoolResource("pool-a"), new PoolResource("empty-pool")],
        };
        var lab = new ClusterResources([Guest(300, "lab-01", "lab-1", ["Lab"], "POOL-A"), Guest(301, "lab-02", "lab-1", [], "lab-pool", template: true)], [], []);
        var choices = SelectorChoices.From([prod, lab]);

        Assert.Equal(["empty-pool", "lab-pool", "pool-a"], choices.Pools);   // pool entries and guests' pools, case-insensitively once
        Assert.Equal(["lab-1", "proxmox-01", "proxmox-02", "proxmox-03", "proxmox-04"], choices.Nodes);
        Assert.Contains("lab", choices.Tags);
        Assert.Empty(SelectorChoices.From([]).Pools);
    }

    [Fact]
    public void Bad_selectors_are_reported_per_selector()
    {
        var (compiled, errors) = CompiledSelectors.Compile([new("TAG_EXPRESSION", "env-prod AND ("), new("VM_IDS", "101, abc"), new("COLOR", "red")]);
        Assert.Null(compiled);
        Assert.Contains("expected", errors["vmSelectors[0].value"], StringComparison.Ordinal);
        Assert.Contains("'abc'", errors["vmSelectors[1].value"], StringComparison.Ordinal);
        Assert.Contains("COLOR", errors["vmSelectors[2].type"], StringComparison.Ordinal);
        Assert.Contains("vmSelectors", CompiledSelectors.Compile([]).Errors.Keys);
    }

    [Fact]
    public void Snapshot_create_parameters_are_checked_and_normalised()
    {
        var (p, errors) = JobParameters.Parse("snapshot_create", new Dictionary<string, string?>
        {
            ["snapshotNamePattern"] = "auto-{vm}-{date}", ["maxSnapshots"] = "7", ["includeVMState"] = "false", ["snapshotTTL"] = "48",
        });
        Assert.Empty(errors);
        var create = Assert.IsType<SnapshotCreateParameters>(p);
        Assert.Equal((7, 48, false), (create.MaxSnapshots, create.SnapshotTtlHours, create.IncludeVmState));
        Assert.Equal("7", create.ToDictionary()["maxSnapshots"]);

        var (_, bad) = JobParameters.Parse("snapshot_create", new Dictionary<string, string?>
        {
            ["snapshotNamePattern"] = "1-{vm}", ["maxSnapshots"] = "0", ["includeVMState"] = "maybe",
        });
        Assert.Equal(["parameters.includeVMState", "parameters.maxSnapshots", "parameters.snapshotNamePattern"], bad.Keys.Order());
    }

    [Fact]
    public void Snapshot_names_fill_the_placeholders_in_the_jobs_zone_with_pve_safe_characters()
    {
        var local = new DateTimeOffset(2024, 6, 21, 2, 0, 5, TimeSpan.FromHours(2));
        Assert.Equal("auto-web-server-01-20240621", SnapshotNames.Render("auto-{vm}-{date}", "web-server-01", 101, local));
        Assert.Equal("s-db-eu-1-101-20240621-020005", SnapshotNames.Render("s-{vm}-{vmid}-{datetime}", "db.eu 1", 101, local));
        Assert.Equal(40, SnapshotNames.Render("auto-{vm}-{datetime}", new string('x', 60), 101, local).Length);
        Assert.Equal(12, SnapshotRules.TtlHours("nightly (TTL: 12h)"));
        Assert.Null(SnapshotRules.TtlHours("nightly"));
    }

    [Fact]
    public void Snapshot_delete_parameters_default_to_safe_mode_and_need_an_age_or_the_ttl_marker()
    {
        var (p, errors) = JobParameters.Parse("snapshot_delete", new Dictionary<string, string?>
        {
            ["ageThresholdHours"] = "168", ["namePattern"] = "auto-*", ["checkDescription"] = "true",
        });
        Assert.Empty(errors);
        var delete = Assert.IsType<SnapshotDeleteParameters>(p);
        Assert.True(delete.SafeMode);   // default on; which snapshots it deletes: SnapshotSelectionTests

        var (_, none) = JobParameters.Parse("snapshot_delete", new Dictionary<string, string?>());
        Assert.Contains("parameters.ageThresholdHours", none.Keys);
    }

    [Fact]
    public void Backup_and_power_parameters()
    {
        var (_, errors) = JobParameters.Parse("backup_create", new Dictionary<string, string?> { ["mode"] = "live" });
        Assert.Equal(["parameters.mode", "parameters.storage"], errors.Keys.Order());
        var (off, _) = JobParameters.Parse("power_off", new Dictionary<string, string?> { ["mode"] = "stop", ["timeout"] = "60" });
        Assert.Equal(new PowerOffParameters("stop", 60), off);
        Assert.Contains("taskType", JobParameters.Parse("reboot", null).Errors.Keys);
    }
}
