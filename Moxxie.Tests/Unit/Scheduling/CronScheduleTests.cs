using Moxxie.Core.Scheduling;
using Moxxie.Core.Validation;
using Xunit;

namespace Moxxie.Tests.Unit.Scheduling;

/// <summary>Quartz cron through <see cref="CronSchedule"/>: per-field validation, next fire times, words, DST.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_five_fire_times_of_a_daily_job_are_each_day_at_two()
    {
        var s = CronSchedule.Parse("0 0 2 * * ?", "UTC");
        Assert.Equal(
            Enumerable.Range(1, 5).Select(d => new DateTimeOffset(2026, 12, 7 + d, 2, 0, 0, TimeSpan.Zero)),
            s.Next(Monday, 5));
    }

    [Fact]
    public void Fire_times_are_read_in_the_jobs_time_zone()
    {
        var s = CronSchedule.Parse("0 0 2 * * ?", "Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero), s.NextAfter(Monday));   // 02:00 CET = 01:00Z
    }

    [Theory]
    [InlineData("0 60 2 * * ?", "Minutes field '60'", 1, "minutes")]
    [InlineData("0 0 25 * * ?", "Hours field '25'", 2, "hours")]
    [InlineData("61 0 2 * * ?", "Seconds field '61'", 0, "seconds")]
    [InlineData("0 0 2 ? * 8", "Day-of-week field '8'", 5, "dayOfWeek")]
    [InlineData("0 0 2 32 * ?", "Day-of-month field '32'", 3, "dayOfMonth")]
    [InlineData("0 0 2 * 13 ?", "Month field '13'", 4, "month")]
    [InlineData("0 0 2 * * ? 1969", "Year field '1969'", 6, "year")]
    [InlineData("0 0 2 * *", "5 fields is Unix cron", null, null)]
    [InlineData("0 0 2", "Expected 6 or 7 fields", null, null)]
    [InlineData("", "A cron expression is required", null, null)]
    public void An_invalid_expression_names_the_field_and_says_which_it_is(string expression, string expected, int? field, string? name)
    {
        var v = CronSchedule.Validate(expression, "UTC");
        Assert.False(v.Valid);
        Assert.StartsWith(expected, v.Errors["cronExpression"], StringComparison.Ordinal);
        Assert.Equal(field, v.Field);
        Assert.Equal(name, v.FieldName);
        if (field is { } i) Assert.StartsWith(CronSchedule.FieldLabel(i) + " field", v.Errors["cronExpression"], StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_are_given_for_six_or_seven_and_an_error_not_about_one_field_names_none()
    {
        var ok = CronSchedule.Validate("  0 0/15  * * * ? ", "UTC");
        Assert.True(ok.Valid);
        Assert.Equal(["0", "0/15", "*", "*", "*", "?"], ok.Fields);
        Assert.Null(ok.Field);

        // A fine expression in an unknown zone: the error is not about a field.
        var zone = CronSchedule.Validate("0 0 2 * * ? 2030", "Mars/Olympus");
        Assert.False(zone.Valid);
        Assert.Null(zone.Field);
        Assert.Equal(7, zone.Fields?.Count);

        Assert.Null(CronSchedule.Validate("0 0 2 * *", "UTC").Fields);
    }

    [Fact]
    public void An_unknown_time_zone_is_a_timeZone_error()
    {
        var ex = Assert.Throws<ValidationException>(() => CronSchedule.Parse("0 0 2 * * ?", "Mars/Olympus"));
        Assert.Contains("Mars/Olympus", ex.Errors["timeZone"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 2 * * ?", "Every day at 02:00")]
    [InlineData("0 30 3 ? * MON", "Every Monday at 03:30")]
    [InlineData("0 0 22 ? * MON-FRI", "Every weekday (Monday to Friday) at 22:00")]
    [InlineData("0 0/15 * * * ?", "Every 15 minutes")]
    [InlineData("0 0 */6 * * ?", "Every 6 hours at minute 00")]
    [InlineData("0 0 4 1 * ?", "On day 1 of every month at 04:00")]
    [InlineData("0 0 4 L * ?", "On the last day of every month at 04:00")]
    [InlineData("0 0 1,13 * * ?", "Every day at 01:00, 13:00")]
    [InlineData("0 0 2 ? 1 MON#1", "Cron: 0 0 2 ? 1 MON#1")]
    public void Schedules_read_in_words(string expression, string words) =>
        Assert.Equal(words, CronSchedule.Parse(expression, "UTC").Describe());

    [Fact]
    public void Spring_forward_a_time_in_the_gap_fires_once_when_the_clocks_jump()
    {
        // Europe/Berlin 2026-03-29: 02:00 CET → 03:00 CEST; 02:30 does not exist that day.
        var s = CronSchedule.Parse("0 30 2 * * ?", "Europe/Berlin");
        var fires = s.Next(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), 3);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), fires[0]);   // 02:30 CET
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), fires[1]);    // 03:00 CEST, the instant clocks moved to
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), fires[2]);   // 02:30 CEST
    }

    [Fact]
    public void Fall_back_a_fixed_time_fires_once_and_an_interval_fires_through_both_passes()
    {
        // Europe/Berlin 2026-10-25: 03:00 CEST → 02:00 CET; 02:00–02:59 happens twice.
        var daily = CronSchedule.Parse("0 30 2 * * ?", "Europe/Berlin");
        var fires = daily.Next(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), 2);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), fires[0]);  // first 02:30 (CEST)
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), fires[1]);  // next day, not the second 02:30

        var halfHourly = CronSchedule.Parse("0 0/30 * * * ?", "Europe/Berlin");
        var window = halfHourly.Between(new DateTimeOffset(2026, 10, 24, 23, 45, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 2, 0, 0, TimeSpan.Zero), 100);
        Assert.Equal(
            [new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), new(2026, 10, 25, 1, 0, 0, TimeSpan.Zero),
             new(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 2, 0, 0, TimeSpan.Zero)],
            window);   // 02:00, 02:30 CEST, 02:00, 02:30 CET, 03:00 CET: four runs in the repeated hour, one every 30 real minutes
    }
}
