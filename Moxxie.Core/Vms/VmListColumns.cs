namespace Moxxie.Core.Vms;

/// <summary>Which VM list columns are visible, as a bit mask (cheap to compare per row) and as the names stored in the
/// user's preferences ("status,vmid,name,…").</summary>
public static class VmListColumns
{
    public static readonly IReadOnlyList<VmColumn> All = Enum.GetValues<VmColumn>();

    public static readonly int AllMask = All.Aggregate(0, (m, c) => m | Bit(c));

    /// <summary>The key of the preference that stores the visible columns.</summary>
    public const string PreferenceKey = "vmlist.columns";

    /// <summary>The stored value of the default choice: every column, but those that do not fit the screen are left out
    /// (Uptime first, then Disk, then Network: the table must fit a laptop screen beside its sticky actions column).</summary>
    public const string FitToWidth = "";

    /// <summary>True for the default choice (nothing stored, or <see cref="FitToWidth"/>); false once the user picked
    /// columns, which are then shown exactly.</summary>
    public static bool FitsToWidth(string? stored) => string.IsNullOrWhiteSpace(stored);

    public static bool Has(int mask, VmColumn column) => (mask & Bit(column)) != 0;

    public static int With(int mask, VmColumn column, bool visible) => visible ? mask | Bit(column) : mask & ~Bit(column);

    /// <summary>Lower-case names of the visible columns, comma separated, in column order.</summary>
    public static string Format(int mask) => string.Join(',', All.Where(c => Has(mask, c)).Select(c => c.ToString().ToLowerInvariant()));

    /// <summary>The stored value back to a mask; null, empty or unreadable → every column (unknown names are ignored).
    /// Name is always kept visible: a row must stay recognisable.</summary>
    public static int Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return AllMask;
        var mask = 0;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (Enum.TryParse<VmColumn>(part, ignoreCase: true, out var c) && Enum.IsDefined(c)) mask |= Bit(c);
        return mask == 0 ? AllMask : mask | Bit(VmColumn.Name);
    }

    private static int Bit(VmColumn c) => 1 << (int)c;
}
