using System.Globalization;
using System.Text;

namespace Suite.Meetings.Features.Invitations;

/// <param name="Uid">Globally unique and stable for one meeting (a calendar updates the event with the same UID).</param>
/// <param name="Start">Null for a permanent room: the event then has no DTSTART/DTEND (a bookmark of the room's link).</param>
/// <param name="Url">The room's link, also given as LOCATION (what calendar clients show).</param>
internal sealed record IcsEvent(
    string Uid,
    DateTimeOffset Stamp,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    string Summary,
    string? Description,
    string Url,
    string? OrganizerName,
    string? OrganizerEmail,
    IReadOnlyList<string> Attendees);

/// <summary>Writes an iCalendar (RFC 5545) invitation with one VEVENT: CRLF line ends, lines folded at 75 octets
/// without splitting a UTF-8 character, TEXT values escaped, times in UTC. A meeting with a start is a REQUEST
/// (RFC 5546); a permanent room without one is PUBLISHed (RFC 5545 allows a VEVENT without DTSTART when METHOD is set).</summary>
internal static class IcsCalendar
{
    public const string ProductId = "-//Suite//Visio//FR";
    private const int MaxLineOctets = 75;

    public static string ContentType(IcsEvent e) => $"text/calendar; charset=utf-8; method={Method(e)}";

    public static string Method(IcsEvent e) => e.Start is null ? "PUBLISH" : "REQUEST";

    public static string Write(IcsEvent e)
    {
        if (e.End is not null && e.Start is null)
            throw new ArgumentException("An end needs a start.", nameof(e));
        if (e.Start is { } s && e.End is { } end && end <= s)
            throw new ArgumentException("The end must come after the start.", nameof(e));
        var output = new StringBuilder();
        Line(output, "BEGIN:VCALENDAR");
        Line(output, "VERSION:2.0");
        Line(output, "PRODID:" + ProductId);
        Line(output, "CALSCALE:GREGORIAN");
        Line(output, "METHOD:" + Method(e));
        Line(output, "BEGIN:VEVENT");
        Line(output, "UID:" + Text(e.Uid));
        Line(output, "DTSTAMP:" + Utc(e.Stamp));
        if (e.Start is { } start)
        {
            Line(output, "DTSTART:" + Utc(start));
            if (e.End is { } finish)
                Line(output, "DTEND:" + Utc(finish));
        }
        Line(output, "SUMMARY:" + Text(e.Summary));
        if (!string.IsNullOrEmpty(e.Description))
            Line(output, "DESCRIPTION:" + Text(e.Description));
        Line(output, "LOCATION:" + Text(e.Url));
        Line(output, "URL:" + Uri(e.Url));
        if (!string.IsNullOrEmpty(e.OrganizerEmail))
            Line(output, "ORGANIZER" + CommonName(e.OrganizerName) + ":mailto:" + Uri(e.OrganizerEmail));
        foreach (var attendee in e.Attendees)
            Line(output, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + Uri(attendee));
        Line(output, "STATUS:CONFIRMED");
        Line(output, "SEQUENCE:0");
        Line(output, "TRANSP:OPAQUE");
        Line(output, "END:VEVENT");
        Line(output, "END:VCALENDAR");
        return output.ToString();
    }

    /// <summary>TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as \n, other control
    /// characters dropped.</summary>
    public static string Text(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case ';': escaped.Append(@"\;"); break;
                case ',': escaped.Append(@"\,"); break;
                case '\r':
                    escaped.Append(@"\n");
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                        i++;
                    break;
                case '\n': escaped.Append(@"\n"); break;
                default:
                    if (!char.IsControl(c) || c == '\t')
                        escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>Folds one content line (RFC 5545 §3.1): at most 75 octets per physical line, continuation lines start
    /// with one space, a multi-octet UTF-8 character is never split.</summary>
    public static string Fold(string line)
    {
        var folded = new StringBuilder(line.Length + 8);
        var octets = 0;
        var limit = MaxLineOctets;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                folded.Append("\r\n ");
                octets = 0;
                limit = MaxLineOctets - 1;
            }
            folded.Append(rune.ToString());
            octets += size;
        }
        return folded.ToString();
    }

    private static void Line(StringBuilder output, string contentLine) => output.Append(Fold(contentLine)).Append("\r\n");

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A URI value is not TEXT: it is not escaped, but it must stay on one logical line.</summary>
    private static string Uri(string value) => new([.. value.Where(c => !char.IsControl(c))]);

    /// <summary>";CN=..." as a quoted parameter value (DQUOTE is not allowed inside one, so it is dropped).</summary>
    private static string CommonName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "";
        var clean = new string([.. name.Where(c => c != '"' && !char.IsControl(c))]).Trim();
        return clean.Length == 0 ? "" : ";CN=\"" + clean + "\"";
    }
}
