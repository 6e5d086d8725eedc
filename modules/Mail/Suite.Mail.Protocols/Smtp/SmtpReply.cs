namespace Suite.Mail.Protocols.Smtp;

/// <summary>A complete (possibly multi-line) SMTP reply.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>RFC 3463 status ("2.1.0", "5.7.8") when the text of the first line starts with one; else null.</summary>
    public string? EnhancedStatusCode { get; init; }

    /// <summary>The reply text, lines joined with spaces, without the enhanced status code.</summary>
    public string Text => string.Join(' ', Lines.Select(StripStatus));

    public bool IsPositive => Code is >= 200 and < 400;

    public override string ToString() => $"{Code}{(EnhancedStatusCode is null ? string.Empty : " " + EnhancedStatusCode)} {Text}";

    private string StripStatus(string line) =>
        EnhancedStatusCode is not null && line.StartsWith(EnhancedStatusCode, StringComparison.Ordinal) ? line[EnhancedStatusCode.Length..].TrimStart() : line;
}

/// <summary>A recipient the server refused at RCPT TO, with its reply.</summary>
public sealed record SmtpRejectedRecipient(string Address, SmtpReply Reply);

/// <summary>Outcome of a send in which at least one recipient was accepted.</summary>
public sealed record SmtpSendResult(IReadOnlyList<string> Accepted, IReadOnlyList<SmtpRejectedRecipient> Rejected, SmtpReply FinalReply);
