using System.Text;

namespace Moxxie.Core.Vms;

/// <summary>
/// The names of an estate's rows in one sort order, upper-cased into one string (each followed by a line feed), so that a
/// name search is one vectorised scan of contiguous memory instead of a visit to each of 10,000 row objects and their
/// name strings (which, cold in the cache, cost milliseconds). Answers exactly like
/// <c>name.Contains(term, StringComparison.OrdinalIgnoreCase)</c>: built only when every name is ASCII (PVE's guest names
/// are DNS names), asked only with an ASCII term; otherwise the caller scans the rows.
/// </summary>
internal sealed class VmNameIndex
{
    private readonly string _text;
    private readonly int[] _starts;

    private VmNameIndex(string text, int[] starts)
    {
        _text = text;
        _starts = starts;
    }

    /// <summary>The index of these rows' names, or null when a name is not ASCII (or has a line feed).</summary>
    public static VmNameIndex? For(IReadOnlyList<VmListRow> rows)
    {
        var starts = new int[rows.Count + 1];
        var length = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var name = rows[i].Name;
            if (!Ascii.IsValid(name) || name.Contains('\n', StringComparison.Ordinal)) return null;
            starts[i] = length;
            length += name.Length + 1;
        }
        starts[rows.Count] = length;
        var text = string.Create(length, rows, static (span, rows) =>
        {
            var at = 0;
            foreach (var row in rows)
            {
                Ascii.ToUpper(row.Name, span[at..], out var written);
                span[at + written] = '\n';
                at += written + 1;
            }
        });
        return new VmNameIndex(text, starts);
    }

    /// <summary>Positions (in the order indexed) of the rows whose name contains <paramref name="term"/> ignoring case, or
    /// null when the term is not ASCII (the caller compares the names itself).</summary>
    public List<int>? Matching(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (!Ascii.IsValid(term)) return null;
        var found = new List<int>();
        if (term.Contains('\n', StringComparison.Ordinal)) return found;   // no name has one
        Span<char> upper = term.Length <= 256 ? stackalloc char[term.Length] : new char[term.Length];
        Ascii.ToUpper(term, upper, out _);
        var text = _text.AsSpan();
        var from = 0;
        while (from < text.Length)
        {
            var hit = text[from..].IndexOf(upper);
            if (hit < 0) break;
            var row = Array.BinarySearch(_starts, from + hit);
            if (row < 0) row = ~row - 1;
            found.Add(row);
            from = _starts[row + 1];
        }
        return found;
    }
}
