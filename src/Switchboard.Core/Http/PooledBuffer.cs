using System.Buffers;

namespace Switchboard.Http;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>; the request body and the rewritten
/// upstream body live here so the hot path allocates no per-request arrays. Dispose returns the array.
/// </summary>
/// <remarks>
/// Arrays above <see cref="LargeArrayBytes"/> are allocated for the one buffer and left to the GC instead of pooled:
/// the shared pool keeps what it is given per core and size class with no bound on the bytes held, so a burst of
/// large bodies (ten 50 MB image requests) would stay resident for good, each rounded up to a power of two. Such
/// requests are rare and dominated by their transfer, so the allocation costs nothing that matters, and the memory
/// goes back with the next full collection (see <see cref="LargeBufferReclaimer"/>).
/// </remarks>
public sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    /// <summary>Buffers up to this size come from (and go back to) the shared pool; larger ones are the GC's.</summary>
    public const int LargeArrayBytes = 1024 * 1024;

    private byte[] _array;
    private int _length;

    public PooledBuffer(int initialCapacity = 4096) => _array = Allocate(initialCapacity);

    public int Length => _length;
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);
    public ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(in ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes) Write(segment.Span);
    }

    public void Clear() => _length = 0;

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length) return;
        // Large buffers grow by half (not double): an unpooled array is sized for its one use.
        var grown = _array.Length > LargeArrayBytes ? _array.Length + _array.Length / 2 : _array.Length * 2;
        var bigger = Allocate((int)Math.Min(Math.Max(needed, (long)grown), Array.MaxLength));
        _array.AsSpan(0, _length).CopyTo(bigger);
        Release(_array);
        _array = bigger;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        Release(array);
        _length = 0;
    }

    private static byte[] Allocate(int size)
    {
        if (size <= LargeArrayBytes) return ArrayPool<byte>.Shared.Rent(size);
        LargeBufferReclaimer.Allocated(size);
        return GC.AllocateUninitializedArray<byte>(size);
    }

    private static void Release(byte[] array)
    {
        if (array.Length == 0) return;
        if (array.Length <= LargeArrayBytes) ArrayPool<byte>.Shared.Return(array);
        else LargeBufferReclaimer.Released();
    }
}
