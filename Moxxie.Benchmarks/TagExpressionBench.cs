using System.Diagnostics;
using System.Text.RegularExpressions;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Simulator;
using static Moxxie.Benchmarks.Stats;

namespace Moxxie.Benchmarks;

/// <summary>
/// Issue 6's figure: one realistic tag expression evaluated over every guest of the three large simulators (their preset
/// tags: env-*, tiers, clients, always-on, backup-daily). Baseline in the same run: a plain loop asking each guest's
/// prebuilt HashSet for one tag. Also shown: the naive regex evaluator the tests use as a reference, and parse + compile.
/// </summary>
internal static class TagExpressionBench
{
    public const string Expression = "(env-prod OR env-staging) AND client-* AND NOT always-on";
    private const int Warmup = 50;
    private const int Runs = 300;

    public static void Run(IReadOnlyList<SimulatorServer> simulators, Action<string, string, string, string> figure)
    {
        string[][] tagSets = [.. simulators.SelectMany(s => s.Cluster.Guests)
            .Select(g => g.Tags.Split(';', StringSplitOptions.RemoveEmptyEntries))];
        HashSet<string>[] hashSets = [.. tagSets.Select(t => new HashSet<string>(t, StringComparer.Ordinal))];
        Console.WriteLine($"  {tagSets.Length} guests, {tagSets.Sum(t => t.Length)} tags; expression: {Expression}");

        var parse = new List<double>();
        CompiledTagExpression compiled = null!;
        for (var i = 0; i < Runs; i++)
        {
            var sw = Stopwatch.StartNew();
            compiled = TagExpression.Parse(Expression).Compile();
            parse.Add(sw.Elapsed.TotalMilliseconds);
        }

        var matches = 0;
        var evaluation = Measure(() => matches = CountMatches(compiled, tagSets));
        var baselineMatches = 0;
        var baseline = Measure(() => baselineMatches = CountContaining(hashSets, "env-prod"));
        var parsed = TagExpression.Parse(Expression);
        var regexMatches = 0;
        var regex = Measure(() =>
        {
            var n = 0;
            foreach (var tags in tagSets)
                if (Reference(parsed, tags)) n++;
            regexMatches = n;
        }, runs: 20);

        figure($"Tag expression over {Num(tagSets.Length)} guests (median of {Runs}; fastest)",
            $"{Ms(Median(evaluation))}; {Ms(evaluation.Min())}, {Num(matches)} match",
            $"HashSet.Contains(\"env-prod\") loop {Ms(Median(baseline))}; {Ms(baseline.Min())} ({Num(baselineMatches)} match), " +
            $"ratio {Ratio(Median(evaluation), Median(baseline))}; {Ratio(evaluation.Min(), baseline.Min())}; " +
            $"regex reference {Ms(Median(regex))} ({Num(regexMatches)} match)", "≤ 5 ms");
        figure("Tag expression parse + compile (median)", UsOrMs(Median(parse)), "", "");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int CountMatches(CompiledTagExpression compiled, string[][] tagSets)
    {
        var n = 0;
        foreach (var tags in tagSets)
            if (compiled.Matches(tags)) n++;
        return n;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int CountContaining(HashSet<string>[] sets, string tag)
    {
        var n = 0;
        foreach (var set in sets)
            if (set.Contains(tag)) n++;
        return n;
    }

    private static List<double> Measure(Action pass, int runs = Runs)
    {
        for (var i = 0; i < Math.Min(Warmup, runs); i++) pass();
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            pass();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static string UsOrMs(double ms) => ms < 1 ? Num(ms * 1000, "0.0") + " µs" : Ms(ms);

    /// <summary>The tests' reference: each pattern as an anchored case-insensitive regex, interpreted over the tree.</summary>
    private static bool Reference(TagExpression e, string[] tags) => e switch
    {
        TagTerm t => tags.Any(tag => Regex.IsMatch(tag, "^" + string.Join(".*", t.Pattern.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        NotExpression n => !Reference(n.Operand, tags),
        AndExpression a => a.Operands.All(o => Reference(o, tags)),
        OrExpression o => o.Operands.Any(x => Reference(x, tags)),
        _ => false,
    };
}
