using System.Globalization;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// Turns parsed values into typed data: FETCH attributes, ENVELOPE, BODYSTRUCTURE, LIST, STATUS, NAMESPACE, ESEARCH.
/// Lenient by design: a missing or ill-typed field becomes null or a default instead of failing the whole response.
/// </summary>
internal static class ImapDataParser
{
    private const int MaxBodyDepth = 32;

    public static ImapMessageSummary ParseFetch(uint sequenceNumber, ImapValue attributes)
    {
        uint? uid = null;
        IReadOnlyList<string>? flags = null;
        DateTimeOffset? internalDate = null;
        long? size = null;
        ImapEnvelope? envelope = null;
        ImapBodyPart? body = null;
        ulong? modSeq = null;
        for (var i = 0; i + 1 < attributes.Items.Count; i += 2)
        {
            var name = attributes.Items[i].Text;
            var value = attributes.Items[i + 1];
            if (Is(name, "UID"))
            {
                uid = value.AsNumber();
            }
            else if (Is(name, "FLAGS"))
            {
                flags = Strings(value);
            }
            else if (Is(name, "INTERNALDATE"))
            {
                internalDate = ParseInternalDate(value.Text);
            }
            else if (Is(name, "RFC822.SIZE"))
            {
                size = (long?)value.AsNumber64();
            }
            else if (Is(name, "ENVELOPE"))
            {
                envelope = ParseEnvelope(value);
            }
            else if ((Is(name, "BODYSTRUCTURE") || Is(name, "BODY")) && value.IsList)
            {
                body = ParseBodyStructure(value);
            }
            else if (Is(name, "MODSEQ"))
            {
                modSeq = value.Item(0).AsNumber64();
            }
        }

        return new ImapMessageSummary
        {
            SequenceNumber = sequenceNumber,
            Uid = uid,
            Flags = flags,
            InternalDate = internalDate,
            Size = size,
            Envelope = envelope,
            Body = body,
            ModSeq = modSeq,
        };

        static bool Is(string? name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
    }

    public static ImapEnvelope ParseEnvelope(ImapValue envelope) => new(
        MailDate.Parse(envelope.Item(0).Text),
        Decode(envelope.Item(1).Text),
        Addresses(envelope.Item(2)),
        Addresses(envelope.Item(3)),
        Addresses(envelope.Item(4)),
        Addresses(envelope.Item(5)),
        Addresses(envelope.Item(6)),
        Addresses(envelope.Item(7)),
        envelope.Item(8).Text,
        envelope.Item(9).Text);

    /// <summary>Parses a BODYSTRUCTURE and numbers its parts with the section specifiers FETCH expects.</summary>
    public static ImapBodyPart? ParseBodyStructure(ImapValue value)
    {
        var root = ParseBody(value, 0);
        if (root is null)
        {
            return null;
        }

        if (root.IsMultipart)
        {
            NumberChildren(root, string.Empty);
        }
        else
        {
            NumberLeaf(root, "1");
        }

        return root;
    }

    public static ImapFolder? ParseList(ImapResponse response)
    {
        var name = response.Value(2).Text;
        if (name is null)
        {
            return null;
        }

        var attributes = new HashSet<string>(Strings(response.Value(0)), StringComparer.OrdinalIgnoreCase);
        var delimiter = response.Value(1).Text is { Length: 1 } d ? d[0] : (char?)null;
        var special = name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? ImapSpecialUse.Inbox : SpecialUse(attributes);
        return new ImapFolder(ModifiedUtf7.Decode(name), name, delimiter, attributes, special, null);
    }

    public static (string Mailbox, ImapMailboxStatus Status)? ParseStatus(ImapResponse response)
    {
        var name = response.Value(0).Text;
        if (name is null)
        {
            return null;
        }

        var items = response.Value(1);
        uint? messages = null, unseen = null, recent = null, uidNext = null, uidValidity = null;
        ulong? modSeq = null;
        for (var i = 0; i + 1 < items.Items.Count; i += 2)
        {
            var value = items.Items[i + 1];
            switch (items.Items[i].Text?.ToUpperInvariant())
            {
                case "MESSAGES": messages = value.AsNumber(); break;
                case "UNSEEN": unseen = value.AsNumber(); break;
                case "RECENT": recent = value.AsNumber(); break;
                case "UIDNEXT": uidNext = value.AsNumber(); break;
                case "UIDVALIDITY": uidValidity = value.AsNumber(); break;
                case "HIGHESTMODSEQ": modSeq = value.AsNumber64(); break;
            }
        }

        return (name, new ImapMailboxStatus(messages, unseen, recent, uidNext, uidValidity, modSeq));
    }

    public static ImapNamespaces ParseNamespace(ImapResponse response) =>
        new(Namespaces(response.Value(0)), Namespaces(response.Value(1)), Namespaces(response.Value(2)));

    /// <summary>Parses <c>* ESEARCH (TAG "x") UID MIN 1 MAX 9 COUNT 4 ALL 1:3,9 MODSEQ 12</c>.</summary>
    public static ImapSearchResult ParseESearch(ImapResponse response)
    {
        IReadOnlyList<uint> uids = [];
        uint? count = null, min = null, max = null;
        ulong? modSeq = null;
        var values = response.Values;
        var i = values.Count > 0 && values[0].IsList ? 1 : 0;
        for (; i < values.Count; i++)
        {
            var name = values[i].Text?.ToUpperInvariant();
            if (name == "UID")
            {
                continue;
            }

            var value = i + 1 < values.Count ? values[++i] : ImapValue.Nil;
            switch (name)
            {
                case "ALL": uids = ImapSequenceSet.Parse(value.Text); break;
                case "COUNT": count = value.AsNumber(); break;
                case "MIN": min = value.AsNumber(); break;
                case "MAX": max = value.AsNumber(); break;
                case "MODSEQ": modSeq = value.AsNumber64(); break;
            }
        }

        return new ImapSearchResult(uids, count, min, max, modSeq);
    }

    public static List<string> Strings(ImapValue list)
    {
        var result = new List<string>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (item.Text is { } text)
            {
                result.Add(text);
            }
        }

        return result;
    }

    public static DateTimeOffset? ParseInternalDate(string? text) =>
        TryParseInternalDateFast(text, out var fast) ? fast :
        DateTimeOffset.TryParseExact(text?.Trim(), ["d-MMM-yyyy HH:mm:ss zzzz", "dd-MMM-yyyy HH:mm:ss zzzz"], CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date
            : MailDate.Parse(text);

    /// <summary>The exact RFC 3501 date-time, "dd-Mon-yyyy hh:mm:ss +zzzz" (day possibly space-padded), without the general parser.</summary>
    private static bool TryParseInternalDateFast(string? text, out DateTimeOffset value) =>
        MailDate.TryParseFixedLayout(text.AsSpan().Trim(), '-', maxOffsetMinutes: 14 * 60, out value);

    private static ImapSpecialUse SpecialUse(HashSet<string> attributes)
    {
        foreach (var (attribute, use) in new[]
                 {
                     (@"\All", ImapSpecialUse.All), (@"\Archive", ImapSpecialUse.Archive), (@"\Drafts", ImapSpecialUse.Drafts),
                     (@"\Flagged", ImapSpecialUse.Flagged), (@"\Junk", ImapSpecialUse.Junk), (@"\Sent", ImapSpecialUse.Sent),
                     (@"\Trash", ImapSpecialUse.Trash),
                 })
        {
            if (attributes.Contains(attribute))
            {
                return use;
            }
        }

        return ImapSpecialUse.None;
    }

    private static List<ImapNamespace> Namespaces(ImapValue list)
    {
        var result = new List<ImapNamespace>();
        foreach (var item in list.Items)
        {
            if (item.Item(0).Text is { } prefix)
            {
                result.Add(new ImapNamespace(ModifiedUtf7.Decode(prefix), item.Item(1).Text is { Length: 1 } d ? d[0] : null));
            }
        }

        return result;
    }

    /// <summary>Addresses are (name adl mailbox host); a group starts with host NIL and ends with mailbox NIL (RFC 3501 §7.4.2).</summary>
    private static AddressList Addresses(ImapValue list)
    {
        var result = new List<InternetAddress>();
        string? groupName = null;
        List<MailboxAddress>? members = null;
        foreach (var address in list.Items)
        {
            var name = Decode(address.Item(0).Text);
            var mailbox = address.Item(2).Text;
            var host = address.Item(3).Text;
            if (host is null)
            {
                if (mailbox is not null)
                {
                    groupName = Decode(mailbox) ?? string.Empty;
                    members = [];
                }
                else if (groupName is not null && members is not null)
                {
                    result.Add(new GroupAddress(groupName, members));
                    groupName = null;
                    members = null;
                }

                continue;
            }

            var mailboxAddress = new MailboxAddress(string.IsNullOrEmpty(name) ? null : name, mailbox is null ? host : mailbox + "@" + host);
            if (members is not null)
            {
                members.Add(mailboxAddress);
            }
            else
            {
                result.Add(mailboxAddress);
            }
        }

        if (groupName is not null && members is not null)
        {
            result.Add(new GroupAddress(groupName, members));
        }

        return new AddressList(result);
    }

    private static ImapBodyPart? ParseBody(ImapValue value, int depth)
    {
        if (!value.IsList || value.Items.Count == 0 || depth > MaxBodyDepth)
        {
            return null;
        }

        return value.Items[0].IsList ? ParseMultipart(value, depth) : ParseSinglePart(value, depth);
    }

    private static ImapBodyPart ParseMultipart(ImapValue value, int depth)
    {
        var parts = new List<ImapBodyPart>();
        var i = 0;
        for (; i < value.Items.Count && value.Items[i].IsList; i++)
        {
            if (ParseBody(value.Items[i], depth + 1) is { } part)
            {
                parts.Add(part);
            }
        }

        var disposition = value.Item(i + 2);
        return new ImapBodyPart
        {
            MediaType = "multipart",
            MediaSubtype = value.Item(i).Text?.ToLowerInvariant() ?? "mixed",
            Parameters = Parameters(value.Item(i + 1)),
            Disposition = disposition.Item(0).Text?.ToLowerInvariant(),
            DispositionParameters = Parameters(disposition.Item(1)),
            Parts = parts,
        };
    }

    private static ImapBodyPart ParseSinglePart(ImapValue value, int depth)
    {
        var type = value.Item(0).Text?.ToLowerInvariant() ?? "application";
        var subtype = value.Item(1).Text?.ToLowerInvariant() ?? "octet-stream";
        var next = 7;
        long? lines = null;
        ImapEnvelope? envelope = null;
        ImapBodyPart? messageBody = null;
        if (type == "text")
        {
            lines = (long?)value.Item(next++).AsNumber64();
        }
        else if (type == "message" && subtype is "rfc822" or "global")
        {
            if (value.Item(next).IsList)
            {
                envelope = ParseEnvelope(value.Item(next));
            }

            messageBody = ParseBody(value.Item(next + 1), depth + 1);
            lines = (long?)value.Item(next + 2).AsNumber64();
            next += 3;
        }

        // Extension data: MD5, then disposition, language, location.
        var disposition = value.Item(next + 1);
        return new ImapBodyPart
        {
            MediaType = type,
            MediaSubtype = subtype,
            Parameters = Parameters(value.Item(2)),
            ContentId = value.Item(3).Text,
            Description = Decode(value.Item(4).Text),
            Encoding = value.Item(5).Text?.ToUpperInvariant(),
            Size = (long)(value.Item(6).AsNumber64() ?? 0),
            Lines = lines,
            Disposition = disposition.Item(0).Text?.ToLowerInvariant(),
            DispositionParameters = Parameters(disposition.Item(1)),
            MessageEnvelope = envelope,
            MessageBody = messageBody,
        };
    }

    /// <summary>Servers pass parameters through undecoded: RFC 2231 (<c>filename*=utf-8''…</c>) and encoded words are decoded here.</summary>
    private static Dictionary<string, string> Parameters(ImapValue list)
    {
        var pairs = new List<(string Name, string Value)>();
        for (var i = 0; i + 1 < list.Items.Count; i += 2)
        {
            if (list.Items[i].Text is { } name && list.Items[i + 1].Text is { } value)
            {
                pairs.Add((name, value));
            }
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in ParameterParser.Decode(pairs))
        {
            result.TryAdd(parameter.Name, parameter.Value);
        }

        return result;
    }

    private static void NumberChildren(ImapBodyPart multipart, string prefix)
    {
        for (var i = 0; i < multipart.Parts.Count; i++)
        {
            var section = prefix + (i + 1).ToString(CultureInfo.InvariantCulture);
            var part = multipart.Parts[i];
            if (part.IsMultipart)
            {
                part.Section = section;
                NumberChildren(part, section + ".");
            }
            else
            {
                NumberLeaf(part, section);
            }
        }
    }

    /// <summary>A message/rfc822 part's own body is numbered below it: its parts are S.1, S.2… (RFC 3501 §6.4.5).</summary>
    private static void NumberLeaf(ImapBodyPart part, string section)
    {
        part.Section = section;
        if (part.MessageBody is { } body)
        {
            if (body.IsMultipart)
            {
                body.Section = section;
                NumberChildren(body, section + ".");
            }
            else
            {
                NumberLeaf(body, section + ".1");
            }
        }
    }

    private static string? Decode(string? text) => text is null ? null : Rfc2047.Decode(text);
}
