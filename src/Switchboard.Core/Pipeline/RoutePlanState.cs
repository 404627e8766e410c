using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Which candidates of one request's plan were tried (in this request, in this round) or are out for good, as bit
/// masks: no allocation, and it survives the awaits of the attempt loop.
/// </summary>
internal struct RoutePlanState(int count)
{
    /// <summary>Plans longer than this are cut (64 deployments per request is far beyond any attempt cap).</summary>
    public const int MaxCandidates = 64;

    private readonly ulong _all = count >= 64 ? ulong.MaxValue : (1UL << count) - 1;
    private ulong _tried;
    private ulong _thisRound;
    private ulong _excluded;

    public readonly bool WasTried(int index) => (_tried & (1UL << index)) != 0;

    public void MarkTried(int index)
    {
        _tried |= 1UL << index;
        _thisRound |= 1UL << index;
    }

    /// <summary>Never again in this request.</summary>
    public void Exclude(int index) => _excluded |= 1UL << index;

    /// <summary>The first candidate, in plan order, not yet tried this round and admitted by its health (may take its probe).</summary>
    public readonly int NextAdmitted(List<RoutedDeployment> plan, DateTimeOffset now)
    {
        var open = _all & ~(_thisRound | _excluded);
        for (var i = 0; open != 0 && i < plan.Count; i++)
        {
            if ((open & (1UL << i)) != 0 && plan[i].Health.TryAdmit(now)) return i;
        }
        return -1;
    }

    /// <summary>Among candidates left this round (all cooling down), the one whose cooldown ends first.</summary>
    public readonly int LeastBad(List<RoutedDeployment> plan)
    {
        var open = _all & ~(_thisRound | _excluded);
        var best = -1;
        var bestUntil = DateTimeOffset.MaxValue;
        for (var i = 0; open != 0 && i < plan.Count; i++)
        {
            if ((open & (1UL << i)) == 0) continue;
            var until = plan[i].Health.CooldownUntil ?? DateTimeOffset.MinValue;
            if (until < bestUntil)
            {
                best = i;
                bestUntil = until;
            }
        }
        return best;
    }

    /// <summary>Starts another round over the candidates not excluded; false when none is left.</summary>
    public bool StartNextRound()
    {
        if ((_all & ~_excluded) == 0) return false;
        _thisRound = 0;
        return true;
    }
}
