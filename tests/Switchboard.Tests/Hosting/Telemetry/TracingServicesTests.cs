using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Switchboard.Config;
using Switchboard.Hosting.Telemetry;

namespace Switchboard.Tests.Hosting.Telemetry;

/// <summary>When the <c>OTEL_*</c> variables turn OTLP export on, and that without them nothing is set up.</summary>
public sealed class TracingServicesTests
{
    private static IConfiguration Variables(params (string Name, string Value)[] variables) =>
        new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => KeyValuePair.Create(v.Name, (string?)v.Value))).Build();

    [Fact]
    public void Without_otel_variables_nothing_is_registered()
    {
        var services = new ServiceCollection();
        services.AddGatewayTracing(new TelemetrySettings(), Variables(("OTEL_SERVICE_NAME", "gw"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));
        Assert.Empty(services);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", true, true)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", true, false)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", false, true)]
    public void An_endpoint_variable_turns_on_its_signals(string variable, bool traces, bool metrics)
    {
        Assert.Equal((traces, metrics), TracingServices.ExportedSignals(Variables((variable, "http://collector:4318"))));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void Otel_sdk_disabled_turns_everything_off(string disabled)
    {
        var configuration = Variables(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), ("OTEL_SDK_DISABLED", disabled));
        Assert.Equal((false, false), TracingServices.ExportedSignals(configuration));
        var services = new ServiceCollection();
        services.AddGatewayTracing(new TelemetrySettings(), configuration);
        Assert.Empty(services);
    }

    [Fact]
    public void With_an_endpoint_a_tracer_provider_is_registered()
    {
        var services = new ServiceCollection();
        services.AddGatewayTracing(new TelemetrySettings(), Variables(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")));
        Assert.Contains(services, s => s.ServiceType == typeof(TracerProvider));
    }
}
