namespace Moxxie.Core.Tags.Expressions;

/// <summary>PVE's tag rule (<c>pve-tag</c>: <c>^[a-z0-9_][a-z0-9_\-\+\.]*$</c>, case-insensitive) extended with the
/// <c>*</c> wildcard, which may stand anywhere, including first.</summary>
public static class TagPatternRules
{
    /// <summary>What may follow the first character, as messages say it.</summary>
    public const string AllowedCharacters = "a letter, digit, '_', '-', '+', '.' or '*'";

    /// <summary>What a tag may start with, as messages say it.</summary>
    public const string AllowedFirst = "a letter, digit, '_' or '*'";

    /// <summary>Words reserved for the operators (compared case-insensitively).</summary>
    public static bool IsOperator(string word) =>
        word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase)
        || word.Equals("not", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a character PVE allows anywhere in a tag, or <c>*</c>.</summary>
    public static bool IsPatternChar(char c) => IsFirstChar(c) || c is '-' or '+' or '.';

    /// <summary>True for a character a PVE tag may start with (letter, digit, <c>_</c>), or <c>*</c>.</summary>
    public static bool IsFirstChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '*';

    /// <summary>True when <paramref name="tag"/> is a tag PVE accepts (no wildcard).</summary>
    public static bool IsValidTag(string? tag) =>
        !string.IsNullOrEmpty(tag) && !tag.Contains('*', StringComparison.Ordinal) && Check(tag) is null;

    /// <summary>Null when <paramref name="pattern"/> is a valid tag pattern (and no operator word); otherwise the 0-based
    /// offset of the first offending character and why.</summary>
    public static (int Offset, string Message, string Expected)? Check(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0) return (0, "a tag cannot be empty", "a tag");
        if (!IsFirstChar(pattern[0]))
            return (0, $"a tag cannot start with {Describe(pattern[0])}", AllowedFirst);
        for (var i = 1; i < pattern.Length; i++)
            if (!IsPatternChar(pattern[i]))
                return (i, $"{Describe(pattern[i])} is not allowed in a tag", AllowedCharacters);
        if (IsOperator(pattern)) return (0, $"'{pattern}' is an operator, not a tag", "a tag");
        return null;
    }

    /// <summary>Lower case, runs of <c>*</c> collapsed to one.</summary>
    public static string Normalize(string pattern)
    {
        var lower = pattern.ToLowerInvariant();
        if (!lower.Contains("**", StringComparison.Ordinal)) return lower;
        var sb = new System.Text.StringBuilder(lower.Length);
        foreach (var c in lower)
            if (c != '*' || sb.Length == 0 || sb[^1] != '*') sb.Append(c);
        return sb.ToString();
    }

    /// <summary>A character as an error message quotes it: <c>'!'</c>, or <c>U+0007</c> for one that does not print.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c) || c == '\uFFFD' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
}
