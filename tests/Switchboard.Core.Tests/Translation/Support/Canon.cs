namespace Switchboard.Core.Tests.Translation.Support;

/// <summary>Reading helpers that fail the test with the reader's own error message.</summary>
public static class Canon
{
    public static ChatRequest Request(byte[] json)
    {
        var result = OpenAIChatRequestReader.Read(json);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static ChatRequest Request(string json) => Request(Encoding.UTF8.GetBytes(json));

    public static ChatResponse Response(byte[] json)
    {
        var result = OpenAIChatResponseReader.Read(json);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
