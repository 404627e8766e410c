namespace Switchboard.Telemetry;

/// <summary>
/// What an observable instrument reads when scraped: the sources each gateway host registers while it runs (one in
/// production; several hosts in one test process). Copy on write: registering is rare, reading is per scrape.
/// </summary>
public sealed class ObservedSources<T> where T : class
{
    private T[] _sources = [];
    private readonly Lock _gate = new();

    public T[] Current => Volatile.Read(ref _sources);

    /// <summary>Adds <paramref name="source"/> until the returned registration is disposed.</summary>
    public IDisposable Add(T source)
    {
        lock (_gate) _sources = [.. _sources, source];
        return new Registration(this, source);
    }

    private void Remove(T source)
    {
        lock (_gate) _sources = Array.FindAll(_sources, s => !ReferenceEquals(s, source));
    }

    private sealed class Registration(ObservedSources<T> owner, T source) : IDisposable
    {
        public void Dispose() => owner.Remove(source);
    }
}
