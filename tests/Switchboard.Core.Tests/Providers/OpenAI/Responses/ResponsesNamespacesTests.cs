using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary>
/// Namespace tools flattened for upstreams without them: <c>{namespace}__{name}</c> while it fits the 64 characters
/// OpenAI and Gemini take in a function name, a stable short name otherwise, and a call splits back to the names the
/// client sent either way.
/// </summary>
public class ResponsesNamespacesTests
{
    private const string LongSpace = "mcp__github_enterprise_server";
    private const string LongName = "list_review_comments_for_a_pull_request_in_a_repository";

    private static ChatRequest WithTools(string tools) =>
        ResponsesRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"model":"m","input":"hi","tools":{{tools}}}""")).Value!;

    private static string Function(string name) =>
        $$$$"""{"type":"function","name":"{{{{name}}}}","parameters":{"type":"object","properties":{}}}""";

    private static string Namespace(string space, params string[] names) =>
        $$"""{"type":"namespace","name":"{{space}}","description":"d","tools":[{{string.Join(",", names.Select(Function))}}]}""";

    [Fact]
    public void A_joined_name_that_fits_is_namespace_and_name()
    {
        Assert.Equal("crm__lookup", ResponsesNamespaces.Join("crm", "lookup"));
    }

    [Fact]
    public void A_joined_name_too_long_for_the_upstreams_is_short_stable_and_distinct()
    {
        var name = ResponsesNamespaces.Join(LongSpace, LongName);
        var other = ResponsesNamespaces.Join(LongSpace, LongName + "_v2");

        Assert.Equal(ResponsesNamespaces.MaxNameLength, name.Length);
        Assert.Matches("^[a-zA-Z0-9_-]+$", name);
        Assert.StartsWith(LongSpace + "__list_review", name, StringComparison.Ordinal);
        Assert.Equal(name, ResponsesNamespaces.Join(LongSpace, LongName));
        Assert.NotEqual(name, other);
    }

    [Fact]
    public void A_call_of_a_shortened_tool_splits_back_to_the_names_the_client_sent()
    {
        var request = WithTools($"[{Namespace(LongSpace, LongName, "get_me")}]");
        var offered = request.Tools.OfType<FunctionTool>().Select(t => t.Name).ToList();

        Assert.All(offered, name => Assert.True(name.Length <= ResponsesNamespaces.MaxNameLength, name));
        Assert.Equal((LongSpace, LongName), ResponsesNamespaces.Split(request, offered[0]));
        Assert.Equal((LongSpace, "get_me"), ResponsesNamespaces.Split(request, offered[1]));
    }
}
