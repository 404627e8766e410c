namespace Switchboard.Usage;

/// <summary>
/// What an image operation produced, as it is priced: how many images, at which size and quality (the answer's own
/// when the upstream says, else the request's; null = the upstream's default), and how many of the input tokens were
/// image tokens (priced at <c>image_input_per_mtok</c> where the deployment sets it).
/// </summary>
public sealed record ImageUsage(int Count, string? Size, string? Quality, long ImageInputTokens = 0);
