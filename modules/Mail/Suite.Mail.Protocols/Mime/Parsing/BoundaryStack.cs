using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>The boundaries of the multiparts currently open, innermost last (RFC 2046 §5.1.1).</summary>
internal sealed class BoundaryStack
{
    private readonly List<byte[]> _items = [];

    public int Count => _items.Count;

    public void Push(string boundary) => _items.Add(Encoding.UTF8.GetBytes(boundary.TrimEnd()));

    public void Pop() => _items.RemoveAt(_items.Count - 1);

    /// <summary>
    /// Matches a line (without its line break) against the open boundaries, innermost first. A delimiter is "--"
    /// boundary, a close delimiter "--" boundary "--", both optionally followed by linear whitespace.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<byte> line, out int index, out bool isClose)
    {
        index = -1;
        isClose = false;
        if (line.Length < 3 || line[0] != (byte)'-' || line[1] != (byte)'-')
        {
            return false;
        }

        var body = line[2..];
        var trimmed = body.Length;
        while (trimmed > 0 && body[trimmed - 1] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            trimmed--;
        }

        body = body[..trimmed];
        for (var k = _items.Count - 1; k >= 0; k--)
        {
            var boundary = _items[k];
            if (!body.StartsWith(boundary))
            {
                continue;
            }

            var rest = body[boundary.Length..];
            if (rest.IsEmpty)
            {
                index = k;
                return true;
            }

            if (rest.Length == 2 && rest[0] == (byte)'-' && rest[1] == (byte)'-')
            {
                index = k;
                isClose = true;
                return true;
            }
        }

        return false;
    }
}
