namespace Moxxie.Simulator.Faults;

/// <summary>What the fault rules decided for one API call (applied in this order).</summary>
internal readonly record struct FaultDecision(ApiDownMode? ApiDown, TimeSpan Delay, bool Hang, int ErrorStatus, string? ErrorMessage)
{
    /// <summary>Latency after PVE handled the call, before the answer goes out (the work is done even if the client never hears).</summary>
    public TimeSpan DelayAfter { get; init; }
}

/// <summary>The active fault rules and the "API down" switch. Thread-safe; random draws come from the simulator seed.</summary>
internal sealed class FaultSet(int seed)
{
    private sealed class Rule(string id, FaultKind kind, RoutePattern pattern)
    {
        public string Id { get; } = id;
        public FaultKind Kind { get; } = kind;
        public RoutePattern Pattern { get; } = pattern;
        public int LatencyMs { get; init; }
        public int JitterMs { get; init; }
        public double Rate { get; init; } = 1;
        public int Status { get; init; }
        public string? Message { get; init; }
        public int? Remaining { get; set; }
        /// <summary>Latency applied to the answer (after the call was handled) instead of the request.</summary>
        public bool OnResponse { get; init; }

        public SimulatedFault Describe() =>
            new(Id, Kind, Pattern.Text, LatencyMs, JitterMs, Rate, Status, Message, Remaining) { OnResponse = OnResponse };
    }

    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly Random _rng = new(unchecked(seed * 104_729 + 7));
    private CancellationTokenSource _release = new();
    private ApiDownMode? _apiDown;
    private int _nextId;
    private int _hanging;

    /// <summary>Calls currently held by a timeout fault.</summary>
    public int HangingCalls => Volatile.Read(ref _hanging);

    /// <summary>Counts a hanging call until the returned scope is disposed.</summary>
    public IDisposable Hanging()
    {
        Interlocked.Increment(ref _hanging);
        return new Scope(() => Interlocked.Decrement(ref _hanging));
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) onDispose();
        }
    }

    public ApiDownMode? ApiDown
    {
        get { lock (_gate) return _apiDown; }
        set { lock (_gate) _apiDown = value; }
    }

    /// <summary>Cancelled when hanging calls should go on (their fault was removed, reset, or the server stops).</summary>
    public CancellationToken ReleaseToken
    {
        get { lock (_gate) return _release.Token; }
    }

    public SimulatedFault AddLatency(string pattern, int latencyMs, int jitterMs, int? count, bool onResponse = false)
    {
        if (latencyMs < 0 || jitterMs < 0) throw new ArgumentException("latencyMs and jitterMs must not be negative");
        return Add(FaultKind.Latency, pattern, count, (id, p) => new Rule(id, FaultKind.Latency, p) { LatencyMs = latencyMs, JitterMs = jitterMs, OnResponse = onResponse });
    }

    public SimulatedFault AddError(string pattern, int status, string? message, double rate, int? count)
    {
        if (status is < 400 or > 599) throw new ArgumentException($"status {status} is not an error status (400-599)");
        CheckRate(rate);
        return Add(FaultKind.Error, pattern, count, (id, p) =>
            new Rule(id, FaultKind.Error, p) { Status = status, Message = string.IsNullOrWhiteSpace(message) ? PveErrorMessages.For(status) : message, Rate = rate });
    }

    public SimulatedFault AddTimeout(string pattern, double rate, int? count)
    {
        CheckRate(rate);
        return Add(FaultKind.Timeout, pattern, count, (id, p) => new Rule(id, FaultKind.Timeout, p) { Rate = rate });
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var removed = _rules.RemoveAll(r => r.Id == id) > 0;
            if (removed) ReleaseHanging();
            return removed;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _apiDown = null;
            ReleaseHanging();
        }
    }

    public IReadOnlyList<SimulatedFault> List()
    {
        lock (_gate) return _rules.Select(r => r.Describe()).ToList();
    }

    /// <summary>/api2 calls received since start (every call, whatever its fate), for measuring a client's load.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    private long _requests;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Method, string Path), long> _byRoute = new();

    /// <summary>/api2 calls received since start whose method and path match <paramref name="pattern"/> ("POST nodes/*/qemu/*/snapshot").</summary>
    public long RequestsMatching(string pattern)
    {
        var parsed = RoutePattern.Parse(pattern);
        return _byRoute.Where(e => parsed.Matches(e.Key.Method, e.Key.Path.Length == 0 ? [] : e.Key.Path.Split('/'))).Sum(e => e.Value);
    }

    /// <summary>Of the calls matching <paramref name="pattern"/>: how many distinct paths were called, and how many calls
    /// repeated a path already called (e.g. a second stop POST for the same VM).</summary>
    public (long Paths, long Repeated) RepeatsMatching(string pattern)
    {
        var parsed = RoutePattern.Parse(pattern);
        var counts = _byRoute.Where(e => parsed.Matches(e.Key.Method, e.Key.Path.Length == 0 ? [] : e.Key.Path.Split('/'))).Select(e => e.Value).ToList();
        return (counts.Count, counts.Sum(n => n - 1));
    }

    public FaultDecision Decide(string method, IReadOnlyList<string> segments)
    {
        Interlocked.Increment(ref _requests);
        _byRoute.AddOrUpdate((method, string.Join('/', segments)), 1, (_, n) => n + 1);
        lock (_gate)
        {
            if (_apiDown is { } down) return new FaultDecision(down, TimeSpan.Zero, false, 0, null);
            var delay = TimeSpan.Zero;
            var after = TimeSpan.Zero;
            var hang = false;
            int status = 0;
            string? message = null;
            foreach (var rule in _rules.ToList())
            {
                if (!rule.Pattern.Matches(method, segments)) continue;
                switch (rule.Kind)
                {
                    case FaultKind.Latency:
                        var jitter = rule.JitterMs == 0 ? 0 : _rng.Next(-rule.JitterMs, rule.JitterMs + 1);
                        if (rule.OnResponse) after += TimeSpan.FromMilliseconds(Math.Max(0, rule.LatencyMs + jitter));
                        else delay += TimeSpan.FromMilliseconds(Math.Max(0, rule.LatencyMs + jitter));
                        break;
                    case FaultKind.Timeout when !hang && Hit(rule.Rate):
                        hang = true;
                        break;
                    case FaultKind.Error when status == 0 && Hit(rule.Rate):
                        (status, message) = (rule.Status, rule.Message);
                        break;
                    default:
                        continue;   // not applied: its count is not used up
                }
                if (rule.Remaining is { } left && (rule.Remaining = left - 1) <= 0) _rules.Remove(rule);
            }
            return new FaultDecision(null, delay, hang, status, message) { DelayAfter = after };
        }
    }

    private SimulatedFault Add(FaultKind kind, string pattern, int? count, Func<string, RoutePattern, Rule> create)
    {
        if (count is <= 0) throw new ArgumentException("count must be positive when given");
        var parsed = RoutePattern.Parse(pattern);
        lock (_gate)
        {
            var rule = create($"{kind.ToString().ToLowerInvariant()}-{++_nextId}", parsed);
            rule.Remaining = count;
            _rules.Add(rule);
            return rule.Describe();
        }
    }

    private bool Hit(double rate) => rate >= 1 || _rng.NextDouble() < rate;

    private static void CheckRate(double rate)
    {
        if (rate is <= 0 or > 1 || double.IsNaN(rate)) throw new ArgumentException($"rate {rate} must be in (0, 1]");
    }

    private void ReleaseHanging()
    {
        var old = _release;
        _release = new CancellationTokenSource();
        old.Cancel();   // not disposed: calls may still hold its token
    }

    /// <summary>Lets every hanging call go on (server shutdown).</summary>
    public void ReleaseAll()
    {
        lock (_gate) ReleaseHanging();
    }
}
