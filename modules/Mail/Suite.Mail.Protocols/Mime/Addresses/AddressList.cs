using System.Collections;

namespace Suite.Mail.Protocols.Mime;

/// <summary>The parsed content of an address header (From, To, Cc, ...). Parsing never throws.</summary>
public sealed class AddressList : IReadOnlyList<InternetAddress>
{
    private readonly List<InternetAddress> _items;

    public AddressList(IEnumerable<InternetAddress> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    public static AddressList Empty { get; } = new([]);

    public int Count => _items.Count;

    public InternetAddress this[int index] => _items[index];

    /// <summary>All mailboxes, group members included, in order.</summary>
    public IEnumerable<MailboxAddress> Mailboxes =>
        _items.SelectMany(a => a switch
        {
            MailboxAddress m => [m],
            GroupAddress g => g.Members,
            _ => Enumerable.Empty<MailboxAddress>(),
        });

    /// <summary>Parses an unfolded address header value (RFC 2047 encoded display names are decoded).</summary>
    public static AddressList Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Empty : new AddressList(AddressParser.Parse(value));

    public IEnumerator<InternetAddress> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _items);
}
