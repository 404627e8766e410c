using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>The Responses client dialect: <c>POST /v1/responses</c>; its stored responses are served by <see cref="ResponsesOperation"/>'s hook.</summary>
public static class ResponsesDialectRegistration
{
    /// <summary>Creating a response: relayed to an upstream's own Responses API, or translated to any other wire.</summary>
    public static readonly ProxyOperation ResponsesOperation = new("responses", OpenAIRequestHead.Kind.Responses, ResponsesClientDialect.Instance, null)
    {
        // Null where the host registers no store (tests of the proxy alone): requests are then stateless.
        Hook = services => services.GetService(typeof(StoredResponsesHook)) as IOperationHook,
    };

    public static ClientDialectRegistration Registration { get; } = new()
    {
        Dialect = ResponsesClientDialect.Instance,
        Routes = [new ClientRoute("/responses", ResponsesOperation)],
        // Its clients are OpenAI's: the key comes in Authorization, as the chat dialect already looks for it.
        DoubledV1Fix = OpenAIChatDialectRegistration.Registration.DoubledV1Fix,
        BaseUrlAdvice = "plus /v1 (Codex: base_url in its model_providers entry).",
    };
}
