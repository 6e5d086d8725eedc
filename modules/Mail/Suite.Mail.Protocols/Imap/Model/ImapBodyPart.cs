namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// One node of a BODYSTRUCTURE. <see cref="Section"/> is the part specifier to fetch it with
/// (<c>BODY.PEEK[1.2]</c>); the root of a multipart message has an empty section.
/// </summary>
public sealed class ImapBodyPart
{
    public required string MediaType { get; init; }

    public required string MediaSubtype { get; init; }

    public string ContentType => MediaType + "/" + MediaSubtype;

    public string Section { get; internal set; } = string.Empty;

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public string? ContentId { get; init; }

    public string? Description { get; init; }

    /// <summary>Content-Transfer-Encoding, upper-cased (7BIT, BASE64…).</summary>
    public string? Encoding { get; init; }

    /// <summary>Size of the encoded body in bytes.</summary>
    public long Size { get; init; }

    public long? Lines { get; init; }

    public string? Disposition { get; init; }

    public IReadOnlyDictionary<string, string> DispositionParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Sub-parts of a multipart.</summary>
    public IReadOnlyList<ImapBodyPart> Parts { get; init; } = [];

    /// <summary>For message/rfc822: the enclosed message's envelope and body.</summary>
    public ImapEnvelope? MessageEnvelope { get; init; }

    public ImapBodyPart? MessageBody { get; init; }

    public bool IsMultipart => MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    public string? Charset => Parameters.GetValueOrDefault("charset");

    public string? FileName => DispositionParameters.GetValueOrDefault("filename") ?? Parameters.GetValueOrDefault("name");

    public bool IsAttachment => string.Equals(Disposition, "attachment", StringComparison.OrdinalIgnoreCase)
        || (FileName is not null && !string.Equals(Disposition, "inline", StringComparison.OrdinalIgnoreCase) && !IsMultipart);

    /// <summary>Every leaf part, depth first (message/rfc822 parts count as leaves).</summary>
    public IEnumerable<ImapBodyPart> Leaves()
    {
        if (!IsMultipart)
        {
            yield return this;
            yield break;
        }

        foreach (var part in Parts)
        {
            foreach (var leaf in part.Leaves())
            {
                yield return leaf;
            }
        }
    }

    public override string ToString() => $"{Section} {ContentType}";
}
