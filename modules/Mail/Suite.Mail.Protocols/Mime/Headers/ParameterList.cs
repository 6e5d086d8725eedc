using System.Collections;

namespace Suite.Mail.Protocols.Mime;

/// <summary>Ordered, case-insensitive list of decoded MIME parameters.</summary>
public sealed class ParameterList : IReadOnlyList<MimeParameter>
{
    private readonly List<MimeParameter> _items;

    internal ParameterList(List<MimeParameter> items) => _items = items;

    public static ParameterList Empty { get; } = new([]);

    public int Count => _items.Count;

    public MimeParameter this[int index] => _items[index];

    /// <summary>The value of the first parameter named <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Find(name)?.Value;

    public MimeParameter? Find(string name)
    {
        foreach (var p in _items)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }

    public IEnumerator<MimeParameter> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
