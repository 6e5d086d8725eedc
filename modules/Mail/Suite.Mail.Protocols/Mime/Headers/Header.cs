namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// One header field. <see cref="RawValue"/> is the unfolded value as it appeared (8-bit bytes read as UTF-8 when valid,
/// otherwise with the parser's fallback charset); <see cref="Value"/> additionally decodes RFC 2047 encoded words and is
/// meant for display of unstructured fields. Structured fields are better read through the typed accessors
/// (<see cref="AddressList.Parse"/>, <see cref="ContentType.Parse"/>, <see cref="MailDate.Parse"/>).
/// </summary>
public sealed class Header
{
    private string? _value;

    public Header(string name, string rawValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rawValue);
        Name = name;
        RawValue = rawValue;
    }

    public string Name { get; }

    public string RawValue { get; }

    public string Value => _value ??= Rfc2047.Decode(RawValue).Trim();

    public override string ToString() => Name + ": " + RawValue;
}
