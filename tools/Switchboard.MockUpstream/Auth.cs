using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>Azure OpenAI's error answers (its own wording and string codes, in the OpenAI error shape).</summary>
internal static class AzureErrors
{
    public static ApiError AccessDenied() => new(401,
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an " +
        "active subscription and use a correct regional API endpoint for your resource.",
        OpenAIErrors.InvalidRequest, null, "401");

    public static ApiError MissingApiVersion() => new(400,
        "The api-version query parameter (?api-version=) is required for all requests.",
        OpenAIErrors.InvalidRequest, "api-version", "MissingApiVersionParameter");

    public static ApiError DeploymentNotFound() => new(404,
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, " +
        "please wait a moment and try again.",
        OpenAIErrors.InvalidRequest, null, "DeploymentNotFound");

    public static ApiError OperationNotSupported(string operation, string model) => new(400,
        $"The {operation} operation does not work with the specified model, {model}. Please choose different model and try again. " +
        "You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.",
        OpenAIErrors.InvalidRequest, null, "OperationNotSupported");
}

/// <summary>Key checks: Bearer on OpenAI paths, the <c>api-key</c> header (never Bearer) on Azure paths.</summary>
internal static class Auth
{
    public static ApiError? CheckOpenAI(HttpRequest request, string apiKey)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return OpenAIErrors.MissingApiKey();
        }
        string key = header["Bearer ".Length..].Trim();
        if (key.Length == 0)
        {
            return OpenAIErrors.MissingApiKey();
        }
        return key == apiKey ? null : OpenAIErrors.IncorrectApiKey(key);
    }

    // versioned: the path needs ?api-version= (every Azure path but the v1 API's).
    public static ApiError? CheckAzure(HttpRequest request, string apiKey, bool versioned = true)
    {
        if (request.Headers["api-key"].ToString() != apiKey)
        {
            return AzureErrors.AccessDenied();
        }
        return versioned && string.IsNullOrEmpty(request.Query["api-version"].ToString()) ? AzureErrors.MissingApiVersion() : null;
    }
}
