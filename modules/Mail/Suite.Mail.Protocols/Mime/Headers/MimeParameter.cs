namespace Suite.Mail.Protocols.Mime;

/// <summary>A decoded Content-Type or Content-Disposition parameter (RFC 2045 §5.1, RFC 2231).</summary>
/// <param name="Name">The attribute name, lower case, without RFC 2231 section or charset markers.</param>
/// <param name="Value">The decoded value.</param>
/// <param name="Language">The RFC 2231 language tag, when one was given.</param>
public sealed record MimeParameter(string Name, string Value, string? Language = null);
