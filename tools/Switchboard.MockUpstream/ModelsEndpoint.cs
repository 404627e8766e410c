using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal static class ModelsEndpoint
{
    public static Task ListAsync(HttpContext ctx)
    {
        HttpHelpers.AddOpenAIHeaders(ctx);
        return HttpHelpers.WriteJsonAsync(ctx, 200, ModelCatalog.Known, static (w, models) =>
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "list");
            w.WriteStartArray("data"u8);
            foreach (var m in models)
            {
                WriteModel(w, m);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static Task RetrieveAsync(HttpContext ctx, string id)
    {
        if (ModelCatalog.Find(id) is not { } model)
        {
            return HttpHelpers.WriteErrorAsync(ctx, OpenAIErrors.RetrieveModelNotFound(id));
        }
        HttpHelpers.AddOpenAIHeaders(ctx);
        return HttpHelpers.WriteJsonAsync(ctx, 200, model, WriteModel);
    }

    private static void WriteModel(Utf8JsonWriter w, ModelInfo m)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, m.Id);
        w.WriteString("object"u8, "model");
        w.WriteNumber("created"u8, m.Created);
        w.WriteString("owned_by"u8, m.OwnedBy);
        w.WriteEndObject();
    }
}
