namespace Switchboard.Hosting;

/// <summary>How the gateway writes its log lines (<c>serve --log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>One readable line per entry (the default).</summary>
    Text,
    /// <summary>One JSON object per line, for log shippers.</summary>
    Json,
}
