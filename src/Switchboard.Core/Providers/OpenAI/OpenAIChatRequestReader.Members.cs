using Switchboard.Translation;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>The top-level members this dialect knows, read into the raw request.</summary>
public static partial class OpenAIChatRequestReader
{
    /// <summary>Reads the member the reader is on if this dialect knows it; false leaves the reader on
    /// the property name.</summary>
    private static bool ReadKnownMember(ref Utf8JsonReader reader, RawRequest r)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            ReadValue(ref reader);
            r.Model = ReadOptionalString(ref reader, "", "model");
        }
        else if (reader.ValueTextEquals("messages"u8))
        {
            ReadValue(ref reader);
            r.Messages = ReadMessages(ref reader);
        }
        else if (reader.ValueTextEquals("tools"u8))
        {
            ReadValue(ref reader);
            r.Tools = OpenAIChatToolsReader.ReadTools(ref reader);
        }
        else if (reader.ValueTextEquals("tool_choice"u8))
        {
            ReadValue(ref reader);
            r.ToolChoice = OpenAIChatToolsReader.ReadToolChoice(ref reader);
        }
        else if (reader.ValueTextEquals("functions"u8))
        {
            ReadValue(ref reader);
            r.Functions = JsonElement.ParseValue(ref reader);
        }
        else if (reader.ValueTextEquals("function_call"u8))
        {
            ReadValue(ref reader);
            r.FunctionCall = JsonElement.ParseValue(ref reader);
        }
        else if (reader.ValueTextEquals("parallel_tool_calls"u8))
        {
            ReadValue(ref reader);
            r.ParallelToolCalls = ReadOptionalBool(ref reader, "", "parallel_tool_calls");
        }
        else if (reader.ValueTextEquals("response_format"u8))
        {
            ReadValue(ref reader);
            r.ResponseFormat = OpenAIChatToolsReader.ReadResponseFormat(ref reader);
        }
        else if (reader.ValueTextEquals("max_tokens"u8))
        {
            ReadValue(ref reader);
            r.MaxTokens = ReadOptionalInt(ref reader, "", "max_tokens", min: 1);
        }
        else if (reader.ValueTextEquals("max_completion_tokens"u8))
        {
            ReadValue(ref reader);
            r.MaxCompletionTokens = ReadOptionalInt(ref reader, "", "max_completion_tokens", min: 1);
        }
        else if (reader.ValueTextEquals("temperature"u8))
        {
            ReadValue(ref reader);
            r.Temperature = ReadOptionalDouble(ref reader, "", "temperature", 0, 2);
        }
        else if (reader.ValueTextEquals("top_p"u8))
        {
            ReadValue(ref reader);
            r.TopP = ReadOptionalDouble(ref reader, "", "top_p", 0, 1);
        }
        else if (reader.ValueTextEquals("top_k"u8))
        {
            ReadValue(ref reader);
            r.TopK = ReadOptionalInt(ref reader, "", "top_k");
        }
        else if (reader.ValueTextEquals("frequency_penalty"u8))
        {
            ReadValue(ref reader);
            r.FrequencyPenalty = ReadOptionalDouble(ref reader, "", "frequency_penalty", -2, 2);
        }
        else if (reader.ValueTextEquals("presence_penalty"u8))
        {
            ReadValue(ref reader);
            r.PresencePenalty = ReadOptionalDouble(ref reader, "", "presence_penalty", -2, 2);
        }
        else if (reader.ValueTextEquals("stop"u8))
        {
            ReadValue(ref reader);
            ReadStop(ref reader, r);
        }
        else if (reader.ValueTextEquals("n"u8))
        {
            ReadValue(ref reader);
            r.N = ReadOptionalInt(ref reader, "", "n", min: 1, max: 128);
        }
        else if (reader.ValueTextEquals("seed"u8))
        {
            ReadValue(ref reader);
            r.Seed = ReadOptionalLong(ref reader, "", "seed");
        }
        else if (reader.ValueTextEquals("stream"u8))
        {
            ReadValue(ref reader);
            r.Stream = ReadOptionalBool(ref reader, "", "stream");
        }
        else if (reader.ValueTextEquals("stream_options"u8))
        {
            ReadValue(ref reader);
            ReadStreamOptions(ref reader, r);
        }
        else if (reader.ValueTextEquals("reasoning_effort"u8))
        {
            ReadValue(ref reader);
            r.ReasoningEffort = ReadOptionalString(ref reader, "", "reasoning_effort");
        }
        else if (reader.ValueTextEquals("logprobs"u8))
        {
            ReadValue(ref reader);
            r.Logprobs = ReadOptionalBool(ref reader, "", "logprobs");
        }
        else if (reader.ValueTextEquals("top_logprobs"u8))
        {
            ReadValue(ref reader);
            r.TopLogprobs = ReadOptionalInt(ref reader, "", "top_logprobs", 0, 20);
        }
        else if (reader.ValueTextEquals("user"u8))
        {
            ReadValue(ref reader);
            r.User = ReadOptionalString(ref reader, "", "user");
        }
        else if (reader.ValueTextEquals("metadata"u8))
        {
            ReadValue(ref reader);
            r.Metadata = reader.TokenType == JsonTokenType.Null ? null : ReadStringMap(ref reader, "", "metadata");
        }
        else
        {
            return false;
        }
        return true;
    }

    private static List<Message> ReadMessages(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail("messages", "must be a non-empty array", ValidationError.InvalidType);
        }
        var messages = new List<Message>();
        Dictionary<string, string>? toolNames = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            toolNames ??= new Dictionary<string, string>(StringComparer.Ordinal);
            messages.Add(OpenAIChatMessageReader.Read(ref reader, $"messages[{messages.Count}]", toolNames, isResponse: false));
        }
        return messages;
    }

    private static void ReadStop(ref Utf8JsonReader reader, RawRequest r)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                r.Stop = null;
                break;
            case JsonTokenType.String:
                r.Stop = [reader.GetString()!];
                r.StopAsString = true;
                break;
            case JsonTokenType.StartArray:
                var stop = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    stop.Add(ReadString(ref reader, $"stop[{stop.Count}]", ""));
                }
                r.Stop = stop;
                r.StopAsString = false;
                break;
            default:
                throw WrongType("stop", "a string or an array of strings");
        }
    }

    private static void ReadStreamOptions(ref Utf8JsonReader reader, RawRequest r)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        ExpectObject(ref reader, "", "stream_options");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("include_usage"u8))
            {
                ReadValue(ref reader);
                r.IncludeUsage = ReadOptionalBool(ref reader, "stream_options", "include_usage");
            }
            else
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                r.StreamOptionsExtensions.Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }
    }
}
