namespace Switchboard.Core.Tests.Limits;

/// <summary>A clock the test moves by hand (no timing in unit tests).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
