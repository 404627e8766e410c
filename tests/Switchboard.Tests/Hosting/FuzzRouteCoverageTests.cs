using Switchboard.Dialects;
using Switchboard.Fuzz;

namespace Switchboard.Tests.Hosting;

/// <summary>The fuzzer keeps its own list of routes (an independent oracle); a dialect's new route must be added there too.</summary>
public sealed class FuzzRouteCoverageTests
{
    [Fact]
    public void The_fuzzer_covers_every_route_a_client_dialect_registers()
    {
        var fuzzed = Route.All.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);

        foreach (var (route, _) in ClientDialects.Routes)
        {
            Assert.Contains("POST /v1" + route.Path, fuzzed);
            // An upload route is fuzzed with multipart forms too, where its own parser reads hostile bytes.
            if (route.Operation?.Kind == Switchboard.Providers.OpenAI.OpenAIRequestHead.Kind.Upload) Assert.Contains("POST /v1" + route.Path + " (multipart)", fuzzed);
        }
    }
}
