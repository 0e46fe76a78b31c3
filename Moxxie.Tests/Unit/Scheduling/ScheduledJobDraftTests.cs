using Moxxie.Core.Scheduling;
using Xunit;

namespace Moxxie.Tests.Unit.Scheduling;

/// <summary>The create/edit form's model: only the chosen task type's parameters are sent, in the guide's string shape, and
/// they pass Core's own checks; a stored job reads back into the same fields.</summary>
public sealed class ScheduledJobDraftTests
{
    [Fact]
    public void Only_the_chosen_task_types_parameters_are_sent_and_empty_numbers_are_left_out()
    {
        var d = new ScheduledJobDraft { TaskType = SchedulerTaskTypes.PowerOff, PowerOffMode = "stop", MaxSnapshots = 3, Storage = "backup-nas" };

        var p = d.Parameters();

        Assert.Equal(new Dictionary<string, string?> { ["mode"] = "stop" }, p);
        d.TimeoutSeconds = 120;
        Assert.Equal("120", d.Parameters()["timeout"]);
    }

    [Theory]
    [InlineData(SchedulerTaskTypes.SnapshotCreate)]
    [InlineData(SchedulerTaskTypes.SnapshotDelete)]
    [InlineData(SchedulerTaskTypes.BackupCreate)]
    [InlineData(SchedulerTaskTypes.PowerOn)]
    [InlineData(SchedulerTaskTypes.PowerOff)]
    public void The_defaults_of_every_task_type_pass_cores_parameter_checks(string taskType)
    {
        var d = new ScheduledJobDraft { TaskType = taskType, Storage = "backup-nas" };
        var (parameters, errors) = JobParameters.Parse(taskType, d.Parameters());
        Assert.Empty(errors);
        Assert.NotNull(parameters);
    }

    [Fact]
    public void A_stored_job_reads_back_into_the_same_fields_and_sends_the_same_parameters()
    {
        var original = new ScheduledJobDraft
        {
            Name = "nightly", Description = "prod", TaskType = SchedulerTaskTypes.SnapshotCreate, CronExpression = "0 30 3 ? * SUN",
            TimeZone = "Europe/Berlin", Enabled = false, SnapshotNamePattern = "auto-{vm}-{date}", SnapshotDescription = "Automated",
            MaxSnapshots = 7, IncludeVmState = true, SnapshotTtlHours = 48,
        };
        original.Selectors.Clear();
        original.Selectors.Add(new SelectorDraft(JobSelector.TagExpression, "env-prod AND NOT always-on"));
        original.Selectors.Add(new SelectorDraft(JobSelector.Node, "proxmox-01,proxmox-03"));
        var (parsed, errors) = JobParameters.Parse(original.TaskType, original.Parameters());
        Assert.Empty(errors);
        var view = new ScheduledJobView("id", "nightly", "prod", original.TaskType, original.CronExpression, original.TimeZone, false, DateTimeOffset.UnixEpoch,
            null, null, null, parsed!.ToDictionary(), original.SelectorList(), JobStatistics.Empty, "Every Sunday at 03:30");

        var back = ScheduledJobDraft.From(view);

        Assert.Equal(original.Parameters(), back.Parameters());
        Assert.Equal(original.ToInput() with { Parameters = null, VmSelectors = null }, back.ToInput() with { Parameters = null, VmSelectors = null });
        Assert.Equal(original.SelectorList(), back.SelectorList());
    }

    [Fact]
    public void An_all_selector_sends_no_value_and_node_pickers_toggle_names()
    {
        var d = new ScheduledJobDraft();
        d.Selectors.Clear();
        d.Selectors.Add(new SelectorDraft(JobSelector.All, "left over"));
        var node = new SelectorDraft(JobSelector.Node, "");
        d.Selectors.Add(node);

        node.Toggle("proxmox-01", true);
        node.Toggle("proxmox-02", true);
        node.Toggle("PROXMOX-01", false);

        Assert.Equal("proxmox-02", node.Value);
        Assert.Equal([new JobSelector("ALL", null), new JobSelector("NODE", "proxmox-02")], d.SelectorList());
    }
}
