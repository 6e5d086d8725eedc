using System.Globalization;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// One message of a conversation returned by THREAD (RFC 5256), with the replies under it in the server's order.
/// <see cref="Uid"/> is null for a parent the server knows of only through references (a "dummy" that groups
/// sibling replies whose original is not in the result).
/// </summary>
public sealed class ImapThreadNode
{
    private readonly List<ImapThreadNode> _children = [];

    internal ImapThreadNode(uint? uid)
    {
        Uid = uid;
    }

    public uint? Uid { get; }

    public IReadOnlyList<ImapThreadNode> Children => _children;

    /// <summary>Every UID of this node and the nodes under it, depth first (walked without recursion: threads can be deep).</summary>
    public IEnumerable<uint> Uids()
    {
        var pending = new Stack<ImapThreadNode>();
        pending.Push(this);
        while (pending.TryPop(out var node))
        {
            if (node.Uid is { } uid)
            {
                yield return uid;
            }

            for (var i = node._children.Count - 1; i >= 0; i--)
            {
                pending.Push(node._children[i]);
            }
        }
    }

    /// <summary>The nodes carrying a UID, in reading order (each before its replies), with their depth under this node;
    /// a dummy adds no level: its children sit where it would.</summary>
    public IEnumerable<(uint Uid, int Depth)> Flatten()
    {
        var pending = new Stack<(ImapThreadNode Node, int Depth)>();
        pending.Push((this, 0));
        while (pending.TryPop(out var current))
        {
            var childDepth = current.Depth;
            if (current.Node.Uid is { } uid)
            {
                yield return (uid, current.Depth);
                childDepth++;
            }

            for (var i = current.Node._children.Count - 1; i >= 0; i--)
            {
                pending.Push((current.Node._children[i], childDepth));
            }
        }
    }

    internal void Add(ImapThreadNode child) => _children.Add(child);
}

/// <summary>
/// Reads the data of a THREAD response (RFC 5256 §4): <c>(2)(3 6 (4 23)(44 7 96))</c>. Inside parentheses, numbers
/// form a chain (each the reply to the one before); nested lists are the branches under the last number, or under a
/// dummy parent when the list opens with them. Walked with an explicit stack, so nesting depth costs memory, not call
/// stack. It never throws: stray characters are skipped, unbalanced parentheses closed or ignored, zero, overflowing
/// and repeated numbers dropped.
/// </summary>
public static class ImapThreadParser
{
    public static IReadOnlyList<ImapThreadNode> Parse(string? data)
    {
        var threads = new List<ImapThreadNode>();
        if (string.IsNullOrEmpty(data))
        {
            return threads;
        }

        var seen = new HashSet<uint>();
        var open = new Stack<ListFrame>();
        var position = 0;
        while (position < data.Length)
        {
            var c = data[position];
            if (c == '(')
            {
                position++;
                if (open.TryPeek(out var enclosing))
                {
                    // A branch opening a list before any number hangs under a dummy parent.
                    enclosing.Last ??= enclosing.Attach(new ImapThreadNode(null));
                    open.Push(new ListFrame(enclosing.Last, null));
                }
                else
                {
                    open.Push(new ListFrame(null, threads));
                }
            }
            else if (c == ')')
            {
                position++;
                open.TryPop(out _);
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = position;
                while (position < data.Length && char.IsAsciiDigit(data[position]))
                {
                    position++;
                }

                if (uint.TryParse(data.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    && uid != 0 && seen.Add(uid))
                {
                    var node = new ImapThreadNode(uid);
                    if (open.TryPeek(out var list))
                    {
                        if (list.Last is { } previous)
                        {
                            previous.Add(node);
                            list.Last = node;
                        }
                        else
                        {
                            list.Last = list.Attach(node);
                        }
                    }
                    else
                    {
                        // A bare number outside any list: read leniently as a thread of its own.
                        threads.Add(node);
                    }
                }
            }
            else
            {
                position++;
            }
        }

        threads.RemoveAll(t => !t.Uids().Any());
        return threads;
    }

    /// <summary>One open parenthesised list: where its first node goes, and the node later numbers and branches hang under.</summary>
    private sealed class ListFrame(ImapThreadNode? parent, List<ImapThreadNode>? topLevel)
    {
        public ImapThreadNode? Last { get; set; }

        public ImapThreadNode Attach(ImapThreadNode node)
        {
            if (parent is not null)
            {
                parent.Add(node);
            }
            else
            {
                topLevel!.Add(node);
            }

            return node;
        }
    }
}

public sealed partial class ImapClient
{
    /// <summary>The threading algorithm this client asks for; servers advertise it as <c>THREAD=REFERENCES</c>.</summary>
    public const string ThreadReferences = "REFERENCES";

    /// <summary>True when the server can thread messages with <paramref name="algorithm"/> (e.g. <see cref="ThreadReferences"/>).</summary>
    public bool CanThread(string algorithm = ThreadReferences) => HasCapability("THREAD=" + algorithm);

    /// <summary>
    /// <c>UID THREAD algorithm UTF-8 criteria</c> (RFC 5256) on the selected mailbox: the conversations formed by the
    /// messages matching <paramref name="query"/>, as trees of UIDs in the server's order. Throws
    /// <see cref="NotSupportedException"/> when the server does not advertise the algorithm.
    /// </summary>
    public async Task<IReadOnlyList<ImapThreadNode>> UidThreadAsync(ImapSearchQuery query, string algorithm = ThreadReferences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        if (!CanThread(algorithm))
        {
            throw new NotSupportedException($"The IMAP server does not offer THREAD={algorithm}.");
        }

        var command = new ImapCommand("UID THREAD").Atom(algorithm).Atom("UTF-8");
        query.AppendTo(command);
        var threads = new List<ImapThreadNode>();
        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (!response.Is("THREAD"))
            {
                return false;
            }

            threads.AddRange(ImapThreadParser.Parse(response.Text));
            return true;
        }).ConfigureAwait(false);
        return threads;
    }
}
