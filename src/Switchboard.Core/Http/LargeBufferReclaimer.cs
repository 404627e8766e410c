namespace Switchboard.Http;

/// <summary>
/// Gives the memory of large request buffers back to the operating system once a burst of large requests is over.
/// </summary>
/// <remarks>
/// Buffers above <see cref="PooledBuffer.LargeArrayBytes"/> (and the canonical strings of a translated body of that
/// size) live on the large object heap, which only a full collection frees, and the GC runs one only when
/// allocations call for it: a gateway that goes quiet after ten 50 MB requests would keep their 2 GB resident
/// indefinitely. So after at least <see cref="BurstBytes"/> of large buffers came and went, and no large buffer was
/// allocated or is in use for <see cref="QuietPeriod"/>, one aggressive (decommitting) full collection runs. Requests
/// with small bodies never arm it; steady large-body traffic never leaves the quiet period, and the GC's own
/// collections serve it as usual. GC settings (GCConserveMemory, a heap hard limit) would cap or compact the heap,
/// but not return memory from an idle process.
/// </remarks>
public static class LargeBufferReclaimer
{
    /// <summary>Large-buffer bytes that must have been allocated since the last reclaim before one is worth it.</summary>
    public const long BurstBytes = 64L * 1024 * 1024;

    /// <summary>How long no large buffer may be allocated or in use before the reclaim runs.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private static long _inUse;
    private static long _allocatedBytes;
    private static int _scheduled;

    internal static void Allocated(int bytes)
    {
        Interlocked.Increment(ref _inUse);
        Interlocked.Add(ref _allocatedBytes, bytes);
    }

    internal static void Released()
    {
        if (Interlocked.Decrement(ref _inUse) <= 0 && Volatile.Read(ref _allocatedBytes) >= BurstBytes) Schedule();
    }

    private static void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var before = Volatile.Read(ref _allocatedBytes);
                    await Task.Delay(QuietPeriod).ConfigureAwait(false);
                    if (Volatile.Read(ref _inUse) <= 0 && Volatile.Read(ref _allocatedBytes) == before) break;
                }
                Interlocked.Exchange(ref _allocatedBytes, 0);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            finally
            {
                Volatile.Write(ref _scheduled, 0);
            }
        });
    }
}
