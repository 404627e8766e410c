namespace Switchboard.MockUpstream;

internal enum ModelKind
{
    Chat,
    Reasoning,
    Embedding,
    /// <summary>mock-* ids: accepted by every endpoint so tests can invent models freely.</summary>
    Any,
}

internal sealed record ModelInfo(string Id, long Created, string OwnedBy, ModelKind Kind, int EmbeddingDimensions = 0);

/// <summary>The models the mock knows; anything else is model_not_found, as for an account without access.</summary>
internal static class ModelCatalog
{
    public const string MockPrefix = "mock-";

    public static readonly ModelInfo[] Known =
    [
        new("gpt-4o", 1715367049, "system", ModelKind.Chat),
        new("gpt-4o-mini", 1721172741, "system", ModelKind.Chat),
        new("gpt-4.1", 1744316542, "system", ModelKind.Chat),
        new("gpt-4.1-mini", 1744318173, "system", ModelKind.Chat),
        new("o3-mini", 1737146383, "system", ModelKind.Reasoning),
        new("o4-mini", 1744225351, "system", ModelKind.Reasoning),
        new("text-embedding-3-small", 1705948997, "system", ModelKind.Embedding, 1536),
        new("text-embedding-3-large", 1705953180, "system", ModelKind.Embedding, 3072),
    ];

    public static ModelInfo? Find(string id)
    {
        foreach (var m in Known)
        {
            if (m.Id == id)
            {
                return m;
            }
        }
        return id.StartsWith(MockPrefix, StringComparison.Ordinal) && id.Length > MockPrefix.Length
            ? new ModelInfo(id, 1700000000, "mock", ModelKind.Any, 1536)
            : null;
    }
}
