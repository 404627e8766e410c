using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Switchboard.Http.Multipart;
using Xunit;

namespace Switchboard.Core.Tests.Http;

/// <summary>The streamed multipart primitive: field order, limits, truncation and framing errors, forwarding.</summary>
public sealed class MultipartFormReaderTests
{
    private const string Boundary = "----switchboard-test";
    private static readonly byte[] Audio = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();

    /// <summary>A body as the Node openai SDK sends it: the file first, the model after it.</summary>
    private static byte[] FileFirstBody(byte[] file, bool close = true)
    {
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        Text($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"speech.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n");
        body.Write(file);
        Text($"\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-public");
        Text($"\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\nverbose_json");
        if (close) Text($"\r\n--{Boundary}--\r\n");
        return body.ToArray();
    }

    private static HttpRequest Request(byte[] body, string? contentType = "multipart/form-data; boundary=" + Boundary, bool announceLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        if (announceLength) context.Request.ContentLength = body.Length;
        return context.Request;
    }

    [Fact]
    public async Task A_model_sent_after_the_file_is_found_and_the_file_is_spooled_whole()
    {
        var (form, error) = await MultipartFormReader.ReadAsync(Request(FileFirstBody(Audio)), 10_000_000, CancellationToken.None);

        Assert.Null(error);
        using (form)
        {
            Assert.Equal("whisper-public", form!.Field("model"));
            Assert.Equal("verbose_json", form.Field("response_format"));
            Assert.Null(form.Require("model", "file"));
            var file = form.File("file")!;
            Assert.Equal("speech.mp3", file.FileName);
            Assert.Equal("audio/mpeg", file.ContentType);
            Assert.Equal(Audio, await File.ReadAllBytesAsync(file.SpoolPath!));
            Assert.Equal(["file", "model", "response_format"], form.Parts.Select(p => p.Name));
        }
    }

    [Fact]
    public async Task The_forwarded_body_keeps_the_order_and_the_file_and_replaces_only_the_model()
    {
        var (form, _) = await MultipartFormReader.ReadAsync(Request(FileFirstBody(Audio)), 10_000_000, CancellationToken.None);
        using (form)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                // Twice: a failover sends the same body again.
                using var content = form!.CreateContent("model", "whisper-1");
                var boundary = HeaderUtilities.RemoveQuotes(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(content.Headers.ContentType!.ToString()).Boundary).Value!;
                var reader = new MultipartReader(boundary, await content.ReadAsStreamAsync());
                var seen = new List<(string Name, byte[] Bytes, string? FileName, string? Type)>();
                while (await reader.ReadNextSectionAsync() is { } section)
                {
                    var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                    using var bytes = new MemoryStream();
                    await section.Body.CopyToAsync(bytes);
                    seen.Add((HeaderUtilities.RemoveQuotes(disposition.Name).Value!, bytes.ToArray(),
                        HeaderUtilities.RemoveQuotes(disposition.FileName).Value, section.ContentType));
                }
                Assert.Equal(["file", "model", "response_format"], seen.Select(s => s.Name));
                Assert.Equal(Audio, seen[0].Bytes);
                Assert.Equal("speech.mp3", seen[0].FileName);
                Assert.Equal("audio/mpeg", seen[0].Type);
                Assert.Equal("whisper-1", Encoding.UTF8.GetString(seen[1].Bytes));
                Assert.Equal("verbose_json", Encoding.UTF8.GetString(seen[2].Bytes));
            }
        }
    }

    [Fact]
    public async Task Disposing_the_form_deletes_its_spooled_files()
    {
        var (form, _) = await MultipartFormReader.ReadAsync(Request(FileFirstBody(Audio)), 10_000_000, CancellationToken.None);
        var path = form!.File("file")!.SpoolPath!;
        Assert.True(File.Exists(path));

        form.Dispose();

        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // chunked: no Content-Length to refuse up front, the count while reading refuses it
    public async Task A_body_over_the_limit_is_a_413_naming_the_setting(bool announceLength)
    {
        var (form, error) = await MultipartFormReader.ReadAsync(Request(FileFirstBody(Audio), announceLength: announceLength), 100_000, CancellationToken.None);

        Assert.Null(form);
        Assert.Equal(413, error!.Status);
        Assert.Equal("request_too_large", error.Code);
        Assert.Contains("server.max_upload_size", error.Message);
    }

    [Fact]
    public async Task A_body_cut_off_before_its_closing_boundary_is_a_400()
    {
        var whole = FileFirstBody(Audio, close: false);
        var (form, error) = await MultipartFormReader.ReadAsync(Request(whole[..(whole.Length / 2)]), 10_000_000, CancellationToken.None);

        Assert.Null(form);
        Assert.Equal(400, error!.Status);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task A_content_type_without_a_boundary_is_a_400()
    {
        var (_, error) = await MultipartFormReader.ReadAsync(Request(FileFirstBody(Audio), "multipart/form-data"), 10_000_000, CancellationToken.None);

        Assert.Equal(400, error!.Status);
        Assert.Contains("boundary", error.Message);
    }

    [Fact]
    public async Task A_json_body_on_a_multipart_route_is_a_415()
    {
        var (_, error) = await MultipartFormReader.ReadAsync(Request("{\"model\":\"m\"}"u8.ToArray(), "application/json"), 10_000_000, CancellationToken.None);

        Assert.Equal(415, error!.Status);
        Assert.Contains("multipart/form-data", error.Message);
    }

    [Fact]
    public async Task A_body_whose_boundary_never_appears_is_a_400()
    {
        var (_, error) = await MultipartFormReader.ReadAsync(Request("just some bytes, no parts"u8.ToArray()), 10_000_000, CancellationToken.None);

        Assert.Equal(400, error!.Status);
    }

    [Fact]
    public async Task A_part_without_a_name_is_a_400()
    {
        var body = Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{Boundary}--\r\n");
        var (_, error) = await MultipartFormReader.ReadAsync(Request(body), 10_000_000, CancellationToken.None);

        Assert.Equal(400, error!.Status);
        Assert.Contains("Content-Disposition", error.Message);
    }

    [Theory]
    [InlineData("model", "you must provide a model parameter")]
    [InlineData("file", "Missing required parameter: 'file'.")]
    public async Task A_missing_required_field_is_a_400_naming_it(string missing, string message)
    {
        var parts = new StringBuilder();
        if (missing != "model") parts.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n");
        if (missing != "file") parts.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n");
        parts.Append($"--{Boundary}--\r\n");
        var (form, _) = await MultipartFormReader.ReadAsync(Request(Encoding.UTF8.GetBytes(parts.ToString())), 10_000_000, CancellationToken.None);
        using (form)
        {
            var error = form!.Require("model", "file");

            Assert.Equal(400, error!.Status);
            Assert.Equal(missing, error.Param);
            Assert.Equal(message, error.Message);
        }
    }
}
