using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Imap;

/// <summary>The ENVELOPE of a message, with encoded words (RFC 2047) already decoded.</summary>
public sealed record ImapEnvelope(
    DateTimeOffset? Date,
    string? Subject,
    AddressList From,
    AddressList Sender,
    AddressList ReplyTo,
    AddressList To,
    AddressList Cc,
    AddressList Bcc,
    string? InReplyTo,
    string? MessageId);
