using System.Collections.Immutable;
using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// A wire member with no canonical meaning, kept raw so a writer of the same dialect can send it on.
/// The <see cref="Value"/> owns its memory (it does not point into a request buffer).
/// </summary>
public sealed record ExtensionField(string Name, JsonElement Value)
{
    /// <summary>The first field called <paramref name="name"/>, or null.</summary>
    public static ExtensionField? Find(ImmutableArray<ExtensionField> fields, string name)
    {
        foreach (var field in fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }
        return null;
    }
}
