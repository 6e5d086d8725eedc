namespace Suite.Mail.Protocols.Mime;

/// <summary>A multipart entity (RFC 2046 §5.1) with its child parts, preamble and epilogue.</summary>
public sealed class Multipart : MimeEntity
{
    private readonly List<MimeEntity> _parts = [];

    internal Multipart(EntityInit init)
        : base(init)
    {
    }

    public IReadOnlyList<MimeEntity> Parts => _parts;

    public string? Boundary => ContentType.Boundary;

    internal long PreambleOffset { get; set; }

    internal long PreambleLength { get; set; }

    internal long EpilogueOffset { get; set; }

    internal long EpilogueLength { get; set; }

    /// <summary>Text before the first delimiter ("This is a multi-part message in MIME format.").</summary>
    public Stream OpenPreambleRead() => new ContentRangeStream(Store, PreambleOffset, PreambleLength);

    /// <summary>Text after the close delimiter.</summary>
    public Stream OpenEpilogueRead() => new ContentRangeStream(Store, EpilogueOffset, EpilogueLength);

    internal void Add(MimeEntity child)
    {
        child.Parent = this;
        _parts.Add(child);
    }
}
