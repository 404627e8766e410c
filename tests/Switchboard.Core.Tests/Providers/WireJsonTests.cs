using Switchboard.Providers;

namespace Switchboard.Core.Tests.Providers;

/// <summary>The check every relayed upstream answer and stream event passes before it reaches a client (CONTRACT §6).</summary>
public sealed class WireJsonTests
{
    [Theory]
    [InlineData("""{"id":"c","choices":[{"delta":{"content":"hi"}}]}""")]
    [InlineData(""" { "a" : [1, 2.5e3, true, null, {"b": "x\"y"}] } """)]
    [InlineData("""{"error":null,"choices":[]}""")]
    [InlineData("{}")]
    public void Well_formed_objects_are_valid(string json) => Assert.Equal(WireJsonKind.Valid, WireJson.Check(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{not json")]
    [InlineData("{not json}")]
    [InlineData("""{"choices": not json}""")]
    [InlineData("""{"id":"chatcmpl-mock","choices":[{"message":{"content":"Hel""")]
    [InlineData("""{"a":1}{"b":2}""")]
    [InlineData("""{"a":1} trailing""")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("<html><body>502</body></html>")]
    [InlineData("")]
    public void Garbage_and_other_shapes_are_invalid(string json) => Assert.Equal(WireJsonKind.Invalid, WireJson.Check(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"error":{"message":"boom","type":"server_error"}}""")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")]
    [InlineData("""{"error":"plain text error"}""")]
    public void Objects_with_a_top_level_error_are_errors(string json) => Assert.Equal(WireJsonKind.Error, WireJson.Check(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_error_key_nested_deeper_is_not_an_error_event() =>
        Assert.Equal(WireJsonKind.Valid, WireJson.Check("""{"choices":[{"delta":{"error":"just text"}}]}"""u8));
}
