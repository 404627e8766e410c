using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Json;

namespace Switchboard.Core.Tests.Providers;

/// <summary>The frame and the member reads every wire reader shares (WireDocument, WireReading.TryReadCount, TryReadString, SkipValue).</summary>
public sealed class WireDocumentTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public void A_document_that_is_not_an_object_is_refused_naming_it(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.False(WireDocument.TryOpenObject(ref reader, "stream chunk", out var error));
        Assert.Equal("stream chunk must be a JSON object", error.Message);
        Assert.Equal(ValidationError.InvalidType, error.Code);
    }

    [Fact]
    public void An_object_is_opened_on_its_brace()
    {
        var reader = new Utf8JsonReader("""{"a":1}"""u8);
        Assert.True(WireDocument.TryOpenObject(ref reader, "response body", out var error));
        Assert.Null(error);
        Assert.Equal(JsonTokenType.StartObject, reader.TokenType);
    }

    [Fact]
    public void A_parser_error_is_explained_as_invalid_json_and_a_member_error_as_itself()
    {
        var parser = Assert.ThrowsAny<JsonException>(() =>
        {
            var reader = new Utf8JsonReader("{not json"u8);
            while (reader.Read())
            {
            }
        });
        var invalid = WireDocument.Explain(parser, "request body");
        Assert.StartsWith("request body is not valid JSON: ", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(ValidationError.InvalidJson, invalid.Code);

        var member = new ValidationError("messages", "is required", ValidationError.MissingRequiredParameter);
        Assert.Same(member, WireDocument.Explain(new WireFormatException(member), "request body"));
        Assert.True(WireDocument.IsReadFailure(parser));
        Assert.False(WireDocument.IsReadFailure(new InvalidOperationException()));
    }

    [Fact]
    public void A_count_is_read_only_from_its_own_member_and_null_means_absent()
    {
        int? input = 7, output = 7;
        var reader = OnFirstMember("""{"input_tokens":12,"output_tokens":null}"""u8);
        Assert.False(WireReading.TryReadCount(ref reader, "output_tokens"u8, "usage", ref output));
        Assert.True(WireReading.TryReadCount(ref reader, "input_tokens"u8, "usage", ref input));
        reader.Read();
        Assert.True(WireReading.TryReadCount(ref reader, "output_tokens"u8, "usage", ref output));
        Assert.Equal(12, input);
        Assert.Null(output);
    }

    [Theory]
    [InlineData("""{"input_tokens":"12"}""")]
    [InlineData("""{"input_tokens":1.5}""")]
    [InlineData("""{"input_tokens":99999999999}""")]
    public void A_count_that_is_not_an_integer_names_its_member(string json)
    {
        var error = Assert.Throws<WireFormatException>(() =>
        {
            int? count = null;
            var reader = OnFirstMember(System.Text.Encoding.UTF8.GetBytes(json));
            WireReading.TryReadCount(ref reader, "input_tokens"u8, "usage", ref count);
        }).Error;
        Assert.Equal("usage.input_tokens", error.Param);
        Assert.Equal("must be an integer", error.Message);
    }

    [Fact]
    public void A_string_is_read_only_from_its_own_member_and_a_wrong_type_names_it()
    {
        string? id = "old", model = "old";
        var reader = OnFirstMember("""{"id":"msg_1","model":null}"""u8);
        Assert.False(WireReading.TryReadString(ref reader, "model"u8, "message", ref model));
        Assert.True(WireReading.TryReadString(ref reader, "id"u8, "message", ref id));
        reader.Read();
        Assert.True(WireReading.TryReadString(ref reader, "model"u8, "message", ref model));
        Assert.Equal("msg_1", id);
        Assert.Null(model);

        var error = Assert.Throws<WireFormatException>(() =>
        {
            string? value = null;
            var wrong = OnFirstMember("""{"id":7}"""u8);
            WireReading.TryReadString(ref wrong, "id"u8, "message", ref value);
        }).Error;
        Assert.Equal("message.id", error.Param);
        Assert.Equal("must be a string", error.Message);
    }

    [Fact]
    public void Skipping_a_member_moves_over_its_whole_value()
    {
        var reader = OnFirstMember("""{"skip":{"a":[1,{"b":2}]},"next":true}"""u8);
        WireReading.SkipValue(ref reader);
        reader.Read();
        Assert.True(reader.ValueTextEquals("next"u8));
    }

    /// <summary>A reader on the name of the document's first member.</summary>
    private static Utf8JsonReader OnFirstMember(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        reader.Read();
        return reader;
    }
}
