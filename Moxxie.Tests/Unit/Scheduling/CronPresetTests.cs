using Moxxie.Core.Scheduling;
using Xunit;

namespace Moxxie.Tests.Unit.Scheduling;

/// <summary>The cron builder's presets ↔ raw Quartz expressions, both ways, and what Core says about them.</summary>
public sealed class CronPresetTests
{
    [Theory]
    [InlineData(CronPresetKind.EveryHour, 0, 15, DayOfWeek.Monday, 1, "0 15 * * * ?", "Every hour at minute 15")]
    [InlineData(CronPresetKind.Daily, 2, 0, DayOfWeek.Monday, 1, "0 0 2 * * ?", "Every day at 02:00")]
    [InlineData(CronPresetKind.Weekdays, 6, 30, DayOfWeek.Monday, 1, "0 30 6 ? * MON-FRI", "Every weekday (Monday to Friday) at 06:30")]
    [InlineData(CronPresetKind.Weekly, 3, 30, DayOfWeek.Sunday, 1, "0 30 3 ? * SUN", "Every Sunday at 03:30")]
    [InlineData(CronPresetKind.Monthly, 4, 0, DayOfWeek.Monday, 15, "0 0 4 15 * ?", "On day 15 of every month at 04:00")]
    public void A_preset_writes_a_valid_quartz_expression_that_reads_back_as_the_same_preset(
        CronPresetKind kind, int hour, int minute, DayOfWeek day, int dayOfMonth, string expected, string words)
    {
        var preset = new CronPreset(kind, hour, minute, day, dayOfMonth);
        var expression = preset.ToExpression();

        Assert.Equal(expected, expression);
        var check = CronSchedule.Validate(expression, "UTC");
        Assert.True(check.Valid, string.Join(" ", check.Errors.Values));
        Assert.Equal(words, check.Schedule!.Describe());
        var back = CronPreset.Match(expression);
        Assert.Equal(kind, back.Kind);
        Assert.Equal(expression, back.ToExpression());
    }

    [Theory]
    [InlineData("0 0 2 ? * *", CronPresetKind.Daily)]
    [InlineData("0 5 23 * * ? *", CronPresetKind.Daily)]
    [InlineData("0 0 6 ? * 2-6", CronPresetKind.Weekdays)]
    [InlineData("0 0 6 ? * 4", CronPresetKind.Weekly)]
    [InlineData("0 0 6 ? * wed", CronPresetKind.Weekly)]
    [InlineData("0 0 6 31 * ?", CronPresetKind.Monthly)]
    [InlineData("0 0/30 * * * ?", CronPresetKind.Custom)]
    [InlineData("30 0 2 * * ?", CronPresetKind.Custom)]
    [InlineData("0 0 2,14 * * ?", CronPresetKind.Custom)]
    [InlineData("0 0 2 L * ?", CronPresetKind.Custom)]
    [InlineData("0 0 2 * 1 ?", CronPresetKind.Custom)]
    [InlineData("0 0 2 * * ? 2030", CronPresetKind.Custom)]
    [InlineData("0 61 2 * * ?", CronPresetKind.Custom)]
    [InlineData("0 0 2 * *", CronPresetKind.Custom)]
    [InlineData("", CronPresetKind.Custom)]
    public void Editing_the_raw_expression_moves_the_builder_only_when_it_is_a_preset(string expression, CronPresetKind expected) =>
        Assert.Equal(expected, CronPreset.Match(expression).Kind);

    [Fact]
    public void A_weekly_numeric_day_is_quartz_numbering_with_sunday_as_one()
    {
        Assert.Equal(DayOfWeek.Wednesday, CronPreset.Match("0 0 6 ? * 4").Day);
        Assert.Equal(DayOfWeek.Sunday, CronPreset.Match("0 0 6 ? * 1").Day);
    }

    [Fact]
    public void A_custom_expression_keeps_the_last_preset_values_for_switching_back()
    {
        var before = new CronPreset(CronPresetKind.Weekly, 5, 45, DayOfWeek.Friday);
        var custom = CronPreset.Match("0 0/30 * * * ?", before);

        Assert.Equal(CronPresetKind.Custom, custom.Kind);
        Assert.Null(custom.ToExpression());
        Assert.Equal("0 45 5 ? * FRI", (custom with { Kind = CronPresetKind.Weekly }).ToExpression());
    }

    [Theory]
    [InlineData("02:00", 2, 0)]
    [InlineData("23:59", 23, 59)]
    [InlineData("07:05:00", 7, 5)]
    public void The_time_box_sets_hour_and_minute(string text, int hour, int minute)
    {
        var p = CronPreset.Default.WithTime(text);
        Assert.Equal((hour, minute), (p.Hour, p.Minute));
        Assert.Equal($"{hour:00}:{minute:00}", p.TimeText);
    }

    [Fact]
    public void A_time_box_that_is_not_a_time_leaves_the_preset_alone() =>
        Assert.Equal(CronPreset.Default, CronPreset.Default.WithTime("25:99"));

    [Fact]
    public void Fire_times_are_shown_in_the_chosen_zone()
    {
        var utc = new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);
        var berlin = CronSchedule.InZone(utc, "Europe/Berlin");
        Assert.Equal(new DateTime(2026, 12, 8, 2, 0, 0), berlin.DateTime);
        Assert.Equal(TimeSpan.FromHours(1), berlin.Offset);
        Assert.Equal(utc, CronSchedule.InZone(utc, "Not/AZone"));
        Assert.Equal("UTC", CronSchedule.KnownZones[0]);
        Assert.Contains("Europe/Berlin", CronSchedule.KnownZones);
    }
}
