using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>DateTimeOffset ⇄ UTC ticks. The offset is not kept (everything is UTC); ordering works on every provider.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
