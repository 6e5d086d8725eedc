namespace Suite.Mail.Protocols.Mime;

/// <summary>What the parser had to repair or cut while reading a message.</summary>
public enum MimeWarningKind
{
    /// <summary>A multipart ended (at end of input or at an outer boundary) without its closing delimiter.</summary>
    MissingFinalBoundary,

    /// <summary>A multipart declared no boundary parameter; its body is exposed as a single leaf part.</summary>
    MissingBoundaryParameter,

    /// <summary>Nesting exceeded <see cref="MimeParserOptions.MaxNestingDepth"/>; the deeper content is a leaf part.</summary>
    NestingTooDeep,

    /// <summary>More than <see cref="MimeParserOptions.MaxParts"/> entities; later parts were skipped.</summary>
    TooManyParts,

    /// <summary>A header block exceeded <see cref="MimeParserOptions.MaxHeaderBytes"/> or <see cref="MimeParserOptions.MaxHeaderCount"/>.</summary>
    HeaderBlockTruncated,

    /// <summary>A line in the header block was not a header field; the body was taken to start there.</summary>
    InvalidHeaderLine,
}

/// <summary>A repair made while parsing, with the byte offset (from the start of the message) where it happened.</summary>
public sealed record MimeParseWarning(MimeWarningKind Kind, long Offset);
