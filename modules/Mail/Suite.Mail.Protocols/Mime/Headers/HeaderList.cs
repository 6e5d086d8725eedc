using System.Collections;

namespace Suite.Mail.Protocols.Mime;

/// <summary>The ordered header fields of a message or entity; name lookups are case-insensitive.</summary>
public sealed class HeaderList : IReadOnlyList<Header>
{
    private readonly List<Header> _items = [];

    public int Count => _items.Count;

    public Header this[int index] => _items[index];

    /// <summary>The decoded <see cref="Header.Value"/> of the first field named <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Find(name)?.Value;

    public Header? Find(string name)
    {
        foreach (var h in _items)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return h;
            }
        }

        return null;
    }

    public IEnumerable<Header> FindAll(string name) =>
        _items.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool Contains(string name) => Find(name) is not null;

    internal void Add(Header header) => _items.Add(header);

    public IEnumerator<Header> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
