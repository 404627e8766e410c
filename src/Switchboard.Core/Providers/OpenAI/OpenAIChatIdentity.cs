using System.Text.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The members that name a completion (<c>id</c>, <c>created</c>, <c>model</c>, <c>system_fingerprint</c>), read the
/// same way in a <c>chat.completion</c> body and in every <c>chat.completion.chunk</c>.
/// </summary>
internal struct OpenAIChatIdentity
{
    public string? Id;
    public long Created;
    public string? Model;
    public string? Fingerprint;

    /// <summary>Reads the member the reader is on if it is part of the identity; false leaves the reader on its name.</summary>
    public bool TryRead(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            ReadValue(ref reader);
            Id = ReadOptionalString(ref reader, "", "id");
        }
        else if (reader.ValueTextEquals("created"u8))
        {
            ReadValue(ref reader);
            Created = ReadOptionalLong(ref reader, "", "created") ?? 0;
        }
        else if (reader.ValueTextEquals("model"u8))
        {
            ReadValue(ref reader);
            Model = ReadOptionalString(ref reader, "", "model");
        }
        else if (reader.ValueTextEquals("system_fingerprint"u8))
        {
            ReadValue(ref reader);
            Fingerprint = ReadOptionalString(ref reader, "", "system_fingerprint");
        }
        else
        {
            return false;
        }
        return true;
    }
}
