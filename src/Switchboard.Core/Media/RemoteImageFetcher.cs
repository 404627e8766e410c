using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Switchboard.Media;

/// <summary>
/// Fetches an image a client gave by http(s) URL, for upstreams that cannot fetch it themselves (Gemini takes only its
/// own File API URIs by reference). Bounded in every direction: http and https only, at most
/// <see cref="MaxBytes"/>, <see cref="Timeout"/> for the whole fetch, a few redirects, an <c>image/*</c> answer.
/// Sends no credentials and no cookies: nothing of the client's or the provider's travels to the image host. Fetches
/// only from public addresses unless the config allows private networks (<see cref="PublicAddresses"/>).
/// </summary>
/// <remarks>Hand-written rather than a library: it is one bounded GET, and HttpClient already does the hard parts.</remarks>
public static class RemoteImageFetcher
{
    /// <summary>The largest image fetched (Gemini's inline request limit is 20 MB in total).</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    /// <summary>How long one fetch may take, headers and body.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // Two clients, not one with a per-request switch: a pooled connection opened under the permissive policy must never
    // serve a request under the strict one.
    private static readonly HttpClient PublicOnly = CreateClient(allowPrivateNetworks: false);
    private static readonly HttpClient AnyAddress = CreateClient(allowPrivateNetworks: true);

    private static HttpClient CreateClient(bool allowPrivateNetworks)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (!allowPrivateNetworks)
        {
            // Checked at connect time, on the addresses actually dialled: redirects and DNS answers that point inside
            // the network are caught too (a check of the URL's host name alone would not catch either).
            handler.ConnectCallback = ConnectToPublicAddressAsync;
        }
        return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel).ConfigureAwait(false);
        var allowed = Array.FindAll(addresses, PublicAddresses.IsPublic);
        if (allowed.Length == 0)
        {
            throw new NonPublicAddressException();
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The image host resolved only to addresses a client may not reach through the gateway.</summary>
    private sealed class NonPublicAddressException() : IOException("the image host is not on the public internet");

    /// <summary>The fetched image (base64 and media type), or why it could not be fetched.</summary>
    public readonly record struct Result(string? Base64, string? MediaType, string? Error);

    /// <summary>Fetches <paramref name="url"/>; unless <paramref name="allowPrivateNetworks"/>, only from public addresses.</summary>
    public static async Task<Result> FetchAsync(string url, bool allowPrivateNetworks, CancellationToken cancel)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return new Result(null, null, "only http and https image URLs can be fetched");
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timer.CancelAfter(Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
            using var response = await (allowPrivateNetworks ? AnyAddress : PublicOnly).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new Result(null, null, $"the image host answered {(int)response.StatusCode}");
            }
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null || !mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                return new Result(null, null, $"the URL does not point at an image (content type '{mediaType ?? "none"}')");
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return new Result(null, null, $"the image is larger than {MaxBytes / (1024 * 1024)} MB");
            }
            await using var body = await response.Content.ReadAsStreamAsync(timer.Token);
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, timer.Token)) > 0)
            {
                if (copy.Length + read > MaxBytes)
                {
                    return new Result(null, null, $"the image is larger than {MaxBytes / (1024 * 1024)} MB");
                }
                copy.Write(buffer, 0, read);
            }
            return new Result(Convert.ToBase64String(copy.GetBuffer(), 0, (int)copy.Length), mediaType.ToLowerInvariant(), null);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new Result(null, null, $"fetching the image took longer than {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e) when (e.InnerException is NonPublicAddressException)
        {
            return new Result(null, null, "the image host is a private, loopback or link-local address, which the gateway does not fetch from (media.allow_private_networks)");
        }
        catch (HttpRequestException e)
        {
            return new Result(null, null, $"the image could not be fetched ({e.HttpRequestError})");
        }
    }
}
