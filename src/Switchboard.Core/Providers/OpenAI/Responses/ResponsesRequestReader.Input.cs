using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;
using static Switchboard.Providers.OpenAI.Responses.ResponsesClientValues;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary><c>input</c>: a string, or items (messages, function calls and their outputs, reasoning, hosted items).</summary>
public static partial class ResponsesRequestReader
{
    // The request's tools say which calls are to custom tools.
    private static void ReadInput(JsonElement input, ImmutableArray<ToolDefinition> tools, ImmutableArray<Message>.Builder messages)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(Message.FromText(ChatRole.User, input.GetString()!));
            return;
        }
        if (input.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("input", "a string or an array of input items");
        }
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in input.EnumerateArray())
        {
            var path = $"input[{i++}]";
            ExpectObject(item, path);
            // A message may leave out its type (the "easy input message" form).
            var type = MemberString(item, path, "type") ?? ResponsesItemTypes.Message;
            switch (type)
            {
                case ResponsesItemTypes.Message:
                    ReadMessageItem(item, path, messages);
                    break;
                case ResponsesItemTypes.FunctionCall:
                case ResponsesItemTypes.CustomToolCall:
                    var call = ReadCall(item, path, type == ResponsesItemTypes.CustomToolCall, tools);
                    toolNames[call.Id!] = call.Name;
                    AddAssistantPart(messages, call);
                    break;
                case ResponsesItemTypes.FunctionCallOutput:
                case ResponsesItemTypes.CustomToolCallOutput:
                    messages.Add(ReadCallOutput(item, path, toolNames));
                    break;
                case ResponsesItemTypes.Reasoning:
                    AddAssistantPart(messages, ReadReasoningItem(item, path));
                    break;
                default:
                    if (!ResponsesItemTypes.IsHostedItem(type))
                    {
                        throw Fail(Join(path, "type"), $"'{type}' is not a supported input item type");
                    }
                    AddAssistantPart(messages, new ProviderPart(ResponsesDialect.Name, type, item.Clone()));
                    break;
            }
        }
    }

    /// <summary>Assistant-side items that follow each other (reasoning, text, calls) make one assistant turn.</summary>
    private static void AddAssistantPart(ImmutableArray<Message>.Builder messages, ContentPart part)
    {
        if (messages.Count > 0 && messages[^1] is { Role: ChatRole.Assistant } last)
        {
            messages[^1] = last with { Parts = last.Parts.Add(part), Form = ContentForm.Parts };
            return;
        }
        messages.Add(new Message { Role = ChatRole.Assistant, Parts = [part], Form = ContentForm.Parts });
    }

    private static void ReadMessageItem(JsonElement item, string path, ImmutableArray<Message>.Builder messages)
    {
        var role = RequiredMemberString(item, path, "role") switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "system" => ChatRole.System,
            "developer" => ChatRole.Developer,
            var other => throw Fail(Join(path, "role"), $"'{other}' is not a valid role; expected 'user', 'assistant', 'system' or 'developer'"),
        };
        var content = Member(item, "content") ?? throw Missing(Join(path, "content"));
        ImmutableArray<ContentPart> parts;
        ContentForm form;
        if (content.ValueKind == JsonValueKind.String)
        {
            parts = [new TextPart(content.GetString()!)];
            form = ContentForm.Text;
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            parts = ReadContentParts(content, Join(path, "content"));
            form = ContentForm.Parts;
        }
        else
        {
            throw WrongType(Join(path, "content"), "a string or an array of content parts");
        }
        if (role == ChatRole.Assistant)
        {
            foreach (var part in parts)
            {
                AddAssistantPart(messages, part);
            }
            return;
        }
        messages.Add(new Message { Role = role, Parts = parts, Form = form });
    }

    private static ImmutableArray<ContentPart> ReadContentParts(JsonElement content, string path)
    {
        var parts = ImmutableArray.CreateBuilder<ContentPart>();
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{j++}]";
            ExpectObject(part, partPath);
            var type = RequiredMemberString(part, partPath, "type");
            parts.Add(type switch
            {
                ResponsesItemTypes.InputText or ResponsesItemTypes.OutputText => new TextPart(RequiredMemberString(part, partPath, "text")),
                ResponsesItemTypes.Refusal => new RefusalPart(RequiredMemberString(part, partPath, "refusal")),
                ResponsesItemTypes.InputImage => ReadImage(part, partPath),
                ResponsesItemTypes.InputFile => ReadFile(part, partPath),
                _ => throw Fail(Join(partPath, "type"), $"'{type}' is not a supported content type; expected 'input_text', 'output_text', 'refusal', 'input_image' or 'input_file'"),
            });
        }
        return parts.ToImmutable();
    }

    private static ImagePart ReadImage(JsonElement part, string path)
    {
        var detail = MemberString(part, path, "detail");
        if (MemberString(part, path, "file_id") is not null)
        {
            throw Fail(Join(path, "file_id"), "files uploaded to OpenAI cannot be used through the gateway; send the image as image_url (a URL or a data: URL)");
        }
        var url = CheckMediaUrl(RequiredMemberString(part, path, "image_url"), Join(path, "image_url"), allowData: true);
        var data = DataUrl.Parse(url);
        return data.Data is not null
            ? ImagePart.FromData(data.Data, data.MediaType!, detail)
            : ImagePart.FromUrl(url, detail);
    }

    private static FilePart ReadFile(JsonElement part, string path)
    {
        if (MemberString(part, path, "file_id") is not null)
        {
            throw Fail(Join(path, "file_id"), "files uploaded to OpenAI cannot be used through the gateway; send the file inline as file_data (a data: URL)");
        }
        var filename = MemberString(part, path, "filename");
        if (MemberString(part, path, "file_url") is { } fileUrl)
        {
            return new FilePart { Url = CheckMediaUrl(fileUrl, Join(path, "file_url"), allowData: false), Filename = filename };
        }
        var fileData = MemberString(part, path, "file_data") ?? throw Missing(Join(path, "file_data"));
        var data = DataUrl.Parse(fileData);
        // OpenAI takes file_data as a data: URL; bare base64 is accepted too, its type then guessed from the name.
        return data.Data is not null
            ? new FilePart { Data = data.Data, MediaType = data.MediaType, Filename = filename }
            : new FilePart { Data = fileData, MediaType = filename?.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) == true ? "application/pdf" : null, Filename = filename };
    }

    /// <summary>A function or custom tool call. A call to a custom tool this request declares is the call of the
    /// function that tool is offered as (arguments <c>{"input": "..."}</c>), as the upstream saw it when it made it.</summary>
    private static ToolCallPart ReadCall(JsonElement item, string path, bool custom, ImmutableArray<ToolDefinition> tools)
    {
        var callId = RequiredMemberString(item, path, "call_id");
        var name = RequiredMemberString(item, path, "name");
        if (MemberString(item, path, ResponsesNamespaces.Member) is { Length: > 0 } space)
        {
            name = ResponsesNamespaces.Join(space, name);
        }
        var arguments = custom ? RequiredMemberString(item, path, "input") : RequiredMemberString(item, path, "arguments");
        var asFunction = custom && ResponsesClientCustomTools.IsCustom(tools, name);
        return new ToolCallPart(callId, name, asFunction ? ResponsesClientCustomTools.ArgumentsOf(arguments) : arguments)
        {
            Kind = custom && !asFunction ? ToolCallKind.Custom : ToolCallKind.Function,
            Extensions = ItemExtensions(item, "id", "status"),
        };
    }

    private static Message ReadCallOutput(JsonElement item, string path, Dictionary<string, string> toolNames)
    {
        var callId = RequiredMemberString(item, path, "call_id");
        var output = Member(item, "output") ?? throw Missing(Join(path, "output"));
        var (content, form) = output.ValueKind switch
        {
            JsonValueKind.String => ([new TextPart(output.GetString()!)], ContentForm.Text),
            JsonValueKind.Array => (ReadContentParts(output, Join(path, "output")), ContentForm.Parts),
            _ => throw WrongType(Join(path, "output"), "a string or an array of content parts"),
        };
        var result = new ToolResultPart(callId)
        {
            Name = toolNames.GetValueOrDefault(callId),
            Content = content,
            Form = form,
            Extensions = ItemExtensions(item, "id", "status"),
        };
        return new Message { Role = ChatRole.Tool, Parts = [result], Form = ContentForm.Parts };
    }

    /// <summary>A reasoning item: its summary texts joined as the thinking text, <c>encrypted_content</c> as the
    /// signature (it must go back unchanged to OpenAI, as an Anthropic signature must to Anthropic), its id kept.</summary>
    private static ThinkingPart ReadReasoningItem(JsonElement item, string path)
    {
        var text = new List<string>();
        if (Member(item, "summary") is { } summary)
        {
            foreach (var (entry, entryPath) in ObjectsOf(summary, Join(path, "summary")))
            {
                text.Add(RequiredMemberString(entry, entryPath, "text"));
            }
        }
        var encrypted = MemberString(item, path, "encrypted_content");
        return new ThinkingPart(string.Join("\n\n", text), encrypted) { Extensions = ItemExtensions(item, "id") };
    }

    private static ImmutableArray<ExtensionField> ItemExtensions(JsonElement item, params string[] names)
    {
        var fields = ImmutableArray.CreateBuilder<ExtensionField>();
        foreach (var name in names)
        {
            if (Member(item, name) is { } value)
            {
                fields.Add(new ExtensionField(name, value.Clone()));
            }
        }
        return fields.ToImmutable();
    }
}
