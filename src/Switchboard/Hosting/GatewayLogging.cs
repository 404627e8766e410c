using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Hosting;

/// <summary>Where and how the gateway writes its log: the console, one line per entry, as text or as JSON (<c>--log-format</c>).</summary>
public static class GatewayLogging
{
    /// <summary>The values <c>--log-format</c> and <c>SWITCHBOARD_LOG_FORMAT</c> accept.</summary>
    public const string AllowedFormats = "text, json";

    /// <summary>Reads a <c>--log-format</c> value (case-insensitive); false when it is neither <c>text</c> nor <c>json</c>.</summary>
    public static bool TryParseFormat(string value, out LogFormat format)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "text": format = LogFormat.Text; return true;
            case "json": format = LogFormat.Json; return true;
            default: format = LogFormat.Text; return false;
        }
    }

    /// <summary>The console logger in <paramref name="format"/>, replacing every other provider.</summary>
    public static void AddConsole(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            // Microsoft.Extensions.Logging's own JSON formatter: one object per line with Timestamp (UTC, ISO 8601),
            // EventId, LogLevel, Category, Message and State (the message's structured fields). Scopes stay off: the
            // gateway opens none worth shipping, and the request id is a field of every line that concerns a request.
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.IncludeScopes = false;
                // Readable quotes and non-ASCII characters; still one valid JSON object per line (no HTML is built from it).
                json.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            logging.AddSimpleConsole(text => { text.SingleLine = true; text.TimestampFormat = "HH:mm:ss "; });
        }
    }
}
