using System.Globalization;

namespace Switchboard.Bench.Client;

/// <summary>
/// Exact percentiles over every sample (sorted, nearest rank), the way HdrHistogram reports them but with no
/// bucketing error: p-th percentile = the smallest sample with at least p % of the samples at or below it.
/// </summary>
public sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> samples)
    {
        _sorted = [.. samples];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;
    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];
    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];
    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public double At(double percent)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>One line: n, mean, p50, p90, p99, p99.9, max (in the samples' unit).</summary>
    public string Describe(string unit) => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} mean={Mean:0.0}{unit} p50={At(50):0.0}{unit} p90={At(90):0.0}{unit} p99={At(99):0.0}{unit} p99.9={At(99.9):0.0}{unit} max={Max:0.0}{unit}");

    /// <summary>Reads sample files written by <see cref="WriteSamples"/> (one number per line).</summary>
    public static List<double> ReadSamples(IEnumerable<string> files)
    {
        var all = new List<double>();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length > 0) all.Add(double.Parse(line, CultureInfo.InvariantCulture));
            }
        }
        return all;
    }

    public static void WriteSamples(string path, IEnumerable<double> samples)
    {
        using var writer = new StreamWriter(path);
        foreach (var s in samples) writer.WriteLine(s.ToString("0.0", CultureInfo.InvariantCulture));
    }
}
