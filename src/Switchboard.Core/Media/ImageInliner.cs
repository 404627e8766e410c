using System.Collections.Immutable;
using Switchboard.Errors;
using Switchboard.Translation.Canonical;

namespace Switchboard.Media;

/// <summary>
/// Replaces images given by http(s) URL with their bytes, for an upstream that cannot fetch URLs itself (Gemini). A
/// fetch that fails is the client's to fix: a 400 naming the image and the reason.
/// </summary>
public static class ImageInliner
{
    /// <summary>True when some message holds an image by http(s) URL.</summary>
    public static bool HasRemoteImages(ChatRequest request)
    {
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Parts)
            {
                if (IsRemote(part))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The request with every remote image inlined, or the error for the first that could not be fetched.</summary>
    public static async Task<(ChatRequest? Request, GatewayError? Error)> InlineAsync(ChatRequest request, bool allowPrivateNetworks, CancellationToken cancel)
    {
        var messages = request.Messages.ToBuilder();
        for (var m = 0; m < messages.Count; m++)
        {
            var parts = messages[m].Parts;
            ImmutableArray<ContentPart>.Builder? changed = null;
            for (var p = 0; p < parts.Length; p++)
            {
                if (!IsRemote(parts[p]))
                {
                    continue;
                }
                var image = (ImagePart)parts[p];
                var fetched = await RemoteImageFetcher.FetchAsync(image.Url!, allowPrivateNetworks, cancel);
                if (fetched.Error is not null)
                {
                    return (null, new GatewayError(400, "invalid_request_error", "image_fetch_failed",
                        $"The image at messages[{m}].content[{p}] could not be fetched: {fetched.Error}.", ErrorDisposition.ClientFault, $"messages[{m}].content[{p}]"));
                }
                changed ??= parts.ToBuilder();
                changed[p] = image with { Url = null, Data = fetched.Base64, MediaType = fetched.MediaType };
            }
            if (changed is not null)
            {
                messages[m] = messages[m] with { Parts = changed.ToImmutable() };
            }
        }
        return (request with { Messages = messages.ToImmutable() }, null);
    }

    private static bool IsRemote(ContentPart part) =>
        part is ImagePart { Url: { } url } &&
        (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
