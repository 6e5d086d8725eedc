using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>UID FETCH of message data (no bodies) for the given UIDs; with <paramref name="changedSince"/> (CONDSTORE) only messages changed after it.</summary>
    public async Task<IReadOnlyList<ImapMessageSummary>> UidFetchAsync(IEnumerable<uint> uids, ImapFetchItems items, ulong? changedSince = null, CancellationToken cancellationToken = default)
    {
        var set = ImapSequenceSet.Format(uids);
        var names = new List<string> { "UID" };
        AddIf(items, ImapFetchItems.Flags, "FLAGS");
        AddIf(items, ImapFetchItems.Envelope, "ENVELOPE");
        AddIf(items, ImapFetchItems.InternalDate, "INTERNALDATE");
        AddIf(items, ImapFetchItems.Size, "RFC822.SIZE");
        AddIf(items, ImapFetchItems.BodyStructure, "BODYSTRUCTURE");
        if (items.HasFlag(ImapFetchItems.ModSeq) && HasCapability("CONDSTORE"))
        {
            names.Add("MODSEQ");
        }

        var command = new ImapCommand("UID FETCH").Atom(set).Atom("(" + string.Join(' ', names) + ")");
        if (changedSince is { } modSeq && HasCapability("CONDSTORE"))
        {
            command.Atom(string.Create(CultureInfo.InvariantCulture, $"(CHANGEDSINCE {modSeq})"));
        }

        var results = new List<ImapMessageSummary>();
        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (!response.Is("FETCH") || response.Number is not { } sequence)
            {
                return false;
            }

            var summary = ImapDataParser.ParseFetch(sequence, response.Value(0));
            if (summary.Uid is null)
            {
                // A FETCH without UID during UID FETCH is an unsolicited flag update for another message.
                return false;
            }

            results.Add(summary);
            return true;
        }).ConfigureAwait(false);
        return results;

        void AddIf(ImapFetchItems wanted, ImapFetchItems item, string name)
        {
            if (wanted.HasFlag(item))
            {
                names.Add(name);
            }
        }
    }

    /// <summary>
    /// Streams a body section (e.g. "" for the whole message, "1.2", "HEADER", "TEXT") of one message into
    /// <paramref name="destination"/>, without keeping it in memory and without setting \Seen (BODY.PEEK).
    /// A partial fetch takes <paramref name="length"/> bytes from <paramref name="offset"/>. Returns the number of bytes
    /// written, or null when the message does not exist (any more).
    /// </summary>
    public async Task<long?> UidFetchBodyAsync(uint uid, string section, Stream destination, long? offset = null, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(destination);
        if (section.Any(c => c is ']' or '[' or '\r' or '\n'))
        {
            throw new ArgumentException("Invalid section specifier.", nameof(section));
        }

        var partial = offset is null && length is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"<{offset ?? 0}.{length ?? int.MaxValue}>");
        var command = new ImapCommand("UID FETCH").Number(uid).Atom($"(UID BODY.PEEK[{section}]{partial})");
        var sink = new BodySectionSink(destination);
        byte[]? inlineBody = null;
        await ExecuteAsync(command, cancellationToken, sink: sink, untagged: response =>
        {
            if (!response.Is("FETCH") || ImapDataParser.ParseFetch(response.Number ?? 0, response.Value(0)).Uid != uid)
            {
                return false;
            }

            // Small sections may come as a quoted string, an empty one as NIL, instead of a literal.
            var attributes = response.Value(0);
            for (var i = 0; i + 1 < attributes.Items.Count; i += 2)
            {
                var value = attributes.Items[i + 1];
                if (attributes.Items[i].Text?.StartsWith("BODY[", StringComparison.OrdinalIgnoreCase) == true && value.Kind is ImapValueKind.String or ImapValueKind.Nil)
                {
                    inlineBody = value.Bytes ?? [];
                }
            }

            return true;
        }).ConfigureAwait(false);
        if (inlineBody is not null && !sink.Found)
        {
            await destination.WriteAsync(inlineBody, cancellationToken).ConfigureAwait(false);
            return inlineBody.Length;
        }

        return sink.Found ? sink.BytesWritten : null;
    }

    /// <summary>UID SEARCH; uses ESEARCH (RFC 4731) when available so large results come back compact.</summary>
    public async Task<ImapSearchResult> UidSearchAsync(ImapSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var esearch = HasCapability("ESEARCH");
        var command = new ImapCommand("UID SEARCH");
        if (esearch)
        {
            command.Atom("RETURN (ALL COUNT)");
        }

        if (query.NeedsUtf8)
        {
            command.Atom("CHARSET UTF-8");
        }

        query.AppendTo(command);
        ImapSearchResult? result = null;
        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (response.Is("ESEARCH"))
            {
                result = ImapDataParser.ParseESearch(response);
                return true;
            }

            if (response.Is("SEARCH"))
            {
                var uids = new List<uint>();
                ulong? modSeq = null;
                foreach (var value in response.Values)
                {
                    if (value.TryGetNumber(out var uid))
                    {
                        uids.Add(uid);
                    }
                    else if (value.IsList && value.Item(0).IsAtom("MODSEQ"))
                    {
                        modSeq = value.Item(1).AsNumber64();
                    }
                }

                result = new ImapSearchResult(uids, (uint)uids.Count, HighestModSeq: modSeq);
                return true;
            }

            return false;
        }).ConfigureAwait(false);
        return result ?? new ImapSearchResult([], 0);
    }

    /// <summary>
    /// UID STORE of flags. With <paramref name="unchangedSince"/> (CONDSTORE) the server skips messages modified since,
    /// and their UIDs are returned; otherwise the result is empty.
    /// </summary>
    public async Task<IReadOnlyList<uint>> UidStoreFlagsAsync(IEnumerable<uint> uids, ImapStoreAction action, IEnumerable<string> flags, ulong? unchangedSince = null, CancellationToken cancellationToken = default)
    {
        var flagList = ValidFlags(flags);

        var command = new ImapCommand("UID STORE").Atom(ImapSequenceSet.Format(uids));
        if (unchangedSince is { } modSeq && HasCapability("CONDSTORE"))
        {
            command.Atom(string.Create(CultureInfo.InvariantCulture, $"(UNCHANGEDSINCE {modSeq})"));
        }

        var verb = action switch
        {
            ImapStoreAction.Add => "+FLAGS.SILENT",
            ImapStoreAction.Remove => "-FLAGS.SILENT",
            _ => "FLAGS.SILENT",
        };
        command.Atom(verb).Atom("(" + string.Join(' ', flagList) + ")");
        var response = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return response.Code is { Name: "MODIFIED" } modified ? ImapSequenceSet.Parse(modified.Argument(0).Text) : [];
    }

    /// <summary>UID COPY; returns the new UIDs when the server supports UIDPLUS.</summary>
    public async Task<ImapUidMapping?> UidCopyAsync(IEnumerable<uint> uids, string destination, CancellationToken cancellationToken = default)
    {
        var response = await ExecuteAsync(new ImapCommand("UID COPY").Atom(ImapSequenceSet.Format(uids)).Mailbox(destination), cancellationToken).ConfigureAwait(false);
        return CopyUid(response.Code);
    }

    /// <summary>
    /// UID MOVE (RFC 6851); without MOVE, COPY then flag \Deleted and UID EXPUNGE (UIDPLUS), so only these messages
    /// are expunged. Without UIDPLUS the originals are left flagged \Deleted rather than expunging others' deletions.
    /// </summary>
    public async Task<ImapUidMapping?> UidMoveAsync(IEnumerable<uint> uids, string destination, CancellationToken cancellationToken = default)
    {
        var uidList = uids.ToList();
        var set = ImapSequenceSet.Format(uidList);
        if (HasCapability("MOVE"))
        {
            ImapUidMapping? mapping = null;
            var response = await ExecuteAsync(new ImapCommand("UID MOVE").Atom(set).Mailbox(destination), cancellationToken, untagged: untagged =>
            {
                // COPYUID comes in an untagged OK before the EXPUNGEs (RFC 6851 §4.3).
                if (untagged.Status == ImapStatus.Ok && CopyUid(untagged.Code) is { } found)
                {
                    mapping = found;
                    return true;
                }

                return false;
            }).ConfigureAwait(false);
            return mapping ?? CopyUid(response.Code);
        }

        var copied = await UidCopyAsync(uidList, destination, cancellationToken).ConfigureAwait(false);
        await UidStoreFlagsAsync(uidList, ImapStoreAction.Add, [ImapFlags.Deleted], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (HasCapability("UIDPLUS"))
        {
            await ExecuteAsync(new ImapCommand("UID EXPUNGE").Atom(set), cancellationToken).ConfigureAwait(false);
        }

        return copied;
    }

    /// <summary>EXPUNGE every message flagged \Deleted in the selected mailbox.</summary>
    public Task ExpungeAsync(CancellationToken cancellationToken = default) => ExecuteAsync(new ImapCommand("EXPUNGE"), cancellationToken);

    /// <summary>
    /// APPEND a raw RFC 5322 message streamed from <paramref name="message"/>: its remaining length is needed up front
    /// (the literal announces it), so a non-seekable stream must come with <paramref name="length"/>. Returns the new
    /// message's UID when the server supports UIDPLUS.
    /// </summary>
    public async Task<uint?> AppendAsync(string mailbox, Stream message, long? length = null, IEnumerable<string>? flags = null, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(message);
        var size = length ?? (message.CanSeek ? message.Length - message.Position : throw new ArgumentException("The length of a non-seekable message stream must be given.", nameof(length)));
        var command = new ImapCommand("APPEND").Mailbox(mailbox);
        if (flags is not null)
        {
            command.Atom("(" + string.Join(' ', ValidFlags(flags)) + ")");
        }

        if (internalDate is { } date)
        {
            command.Atom("\"" + date.ToString("dd-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal) + "\"");
        }

        command.Literal(message, size);
        var response = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return response.Code is { Name: "APPENDUID" } code ? code.Argument(1).AsNumber() : null;
    }

    private static List<string> ValidFlags(IEnumerable<string> flags)
    {
        var list = flags.ToList();
        foreach (var flag in list)
        {
            if (flag.Length == 0 || flag.Any(c => c is <= ' ' or '(' or ')' or '{' or '"' or ']' or '%' or '*' or > '~'))
            {
                throw new ArgumentException($"Invalid flag '{flag}'.", nameof(flags));
            }
        }

        return list;
    }

    private static ImapUidMapping? CopyUid(ImapResponseCode? code)
    {
        if (code is not { Name: "COPYUID" } || code.Argument(0).AsNumber() is not { } validity)
        {
            return null;
        }

        return new ImapUidMapping(validity, ImapSequenceSet.Parse(code.Argument(1).Text), ImapSequenceSet.Parse(code.Argument(2).Text));
    }

    /// <summary>Sends the literal of a FETCH body section to the caller's stream instead of memory.</summary>
    private sealed class BodySectionSink(Stream destination) : IImapLiteralSink
    {
        public bool Found { get; private set; }

        public long BytesWritten { get; private set; }

        public Stream? Choose(ReadOnlySpan<byte> firstLine, ReadOnlySpan<byte> lineBeforeLiteral, long length)
        {
            if (!IsFetchResponse(firstLine) || !EndsWithBodySection(lineBeforeLiteral))
            {
                return null;
            }

            Found = true;
            BytesWritten += length;
            return destination;
        }

        private static bool IsFetchResponse(ReadOnlySpan<byte> line)
        {
            if (!line.StartsWith("* "u8))
            {
                return false;
            }

            var rest = line[2..];
            var space = rest.IndexOf((byte)' ');
            return space > 0 && !rest[..space].ContainsAnyExceptInRange((byte)'0', (byte)'9') && rest[(space + 1)..].StartsWith("FETCH "u8);
        }

        /// <summary>True when the text before the literal ends with <c>BODY[…]</c> or <c>BINARY[…]</c>, with an optional <c>&lt;origin&gt;</c>.</summary>
        private static bool EndsWithBodySection(ReadOnlySpan<byte> text)
        {
            text = text.TrimEnd((byte)' ');
            if (!text.IsEmpty && text[^1] == (byte)'>')
            {
                var open = text.LastIndexOf((byte)'<');
                if (open < 0)
                {
                    return false;
                }

                text = text[..open];
            }

            if (text.IsEmpty || text[^1] != (byte)']')
            {
                return false;
            }

            var bracket = text.LastIndexOf((byte)'[');
            if (bracket < 0)
            {
                return false;
            }

            var name = text[..bracket];
            var start = name.LastIndexOfAny((byte)' ', (byte)'(') + 1;
            var atom = name[start..];
            return Ascii.EqualsIgnoreCase(atom, "BODY"u8) || Ascii.EqualsIgnoreCase(atom, "BINARY"u8);
        }
    }
}
