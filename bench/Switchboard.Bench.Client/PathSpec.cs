namespace Switchboard.Bench.Client;

/// <summary>
/// One translation path of a run (client dialect → upstream type) and the raw-file tags of its three columns:
/// the client calling the upstream in the upstream's own dialect directly and through nginx (the baselines), and
/// the client calling the gateway in its own dialect. Streams may use other baseline tags than the non-streaming
/// rows (the OpenAI upstream then stamps the send time in the text, which a translation keeps).
/// run.sh writes one line per path to <c>paths.txt</c>: <c>id|title|direct|nginx|gateway|direct stream|nginx stream</c>.
/// </summary>
public sealed record PathSpec(string Id, string Title, string Direct, string Nginx, string Gateway, string DirectStream, string NginxStream)
{
    /// <summary>The OpenAI passthrough path with the tags the benchmark always used (direct, nginx, switchboard).</summary>
    public static readonly PathSpec OpenAIPassthrough = new("openai-openai", "OpenAI chat → openai (passthrough)",
        "direct", "nginx", "switchboard", "direct", "nginx");

    /// <summary>
    /// The file tag of a column (direct, nginx, switchboard, floor) for the non-streaming rows. The .NET floor is one
    /// target of its own (run.sh's <c>floor</c>), measured on the OpenAI passthrough only.
    /// </summary>
    public string Tag(string column) => column switch { "direct" => Direct, "nginx" => Nginx, "floor" => "floor", _ => Gateway };

    /// <summary>The file tag of a column for the streaming rows.</summary>
    public string StreamTag(string column) => column switch { "direct" => DirectStream, "nginx" => NginxStream, "floor" => "floor", _ => Gateway };

    /// <summary>The paths of a raw directory, the OpenAI passthrough first (the only one in runs made before paths existed).</summary>
    public static List<PathSpec> Read(string raw)
    {
        var file = Path.Combine(raw, "paths.txt");
        var paths = new List<PathSpec>();
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Split('|') is [var id, var title, var direct, var nginx, var gateway, var directStream, var nginxStream])
                {
                    paths.Add(new PathSpec(id, title, direct, nginx, gateway, directStream, nginxStream));
                }
            }
        }
        paths.RemoveAll(p => p.Id == OpenAIPassthrough.Id);
        paths.Insert(0, OpenAIPassthrough);
        return paths;
    }
}
