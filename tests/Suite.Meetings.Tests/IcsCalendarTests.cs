using System.Text;
using Suite.Meetings.Features.Invitations;

namespace Suite.Meetings.Tests;

/// <summary>The .ics attached to invitations: RFC 5545 structure, folding and escaping, checked on the text itself.</summary>
public sealed class IcsCalendarTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 11, 23, 16, 5, 9, TimeSpan.Zero);

    private static IcsEvent Meeting(string summary = "Point hebdomadaire", DateTimeOffset? start = null, DateTimeOffset? end = null) => new(
        Uid: "0f8fad5b-1234@suite.meetings",
        Stamp: Stamp,
        Start: start,
        End: end,
        Summary: summary,
        Description: "Réunion Visio: https://suite.example/meetings/abc-defg-hjk",
        Url: "https://suite.example/meetings/abc-defg-hjk",
        OrganizerName: "Alice Martin",
        OrganizerEmail: "alice@interieur.test",
        Attendees: ["bob@interieur.test"]);

    /// <summary>Undoes the folding (RFC 5545 §3.1): a CRLF followed by one space joins two physical lines.</summary>
    private static List<string> Unfold(string ics) => [.. ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n")];

    [Fact]
    public void A_scheduled_meeting_is_a_request_with_start_end_and_every_required_property_in_utc()
    {
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1));
        var ics = IcsCalendar.Write(Meeting(start: start, end: start.AddMinutes(45)));
        var lines = Unfold(ics);

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("", lines[^1]); // the last line ends with CRLF too
        Assert.Equal("END:VCALENDAR", lines[^2]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("PRODID:" + IcsCalendar.ProductId, lines);
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Equal(1, lines.Count(l => l == "BEGIN:VEVENT"));
        Assert.Contains("UID:0f8fad5b-1234@suite.meetings", lines);
        Assert.Contains("DTSTAMP:20261123T160509Z", lines);
        Assert.Contains("DTSTART:20261201T090000Z", lines);
        Assert.Contains("DTEND:20261201T094500Z", lines);
        Assert.Contains("SUMMARY:Point hebdomadaire", lines);
        Assert.Contains("URL:https://suite.example/meetings/abc-defg-hjk", lines);
        Assert.Contains("LOCATION:https://suite.example/meetings/abc-defg-hjk", lines);
        Assert.Contains("ORGANIZER;CN=\"Alice Martin\":mailto:alice@interieur.test", lines);
        Assert.Contains(lines, l => l.StartsWith("ATTENDEE;", StringComparison.Ordinal) && l.EndsWith(":mailto:bob@interieur.test", StringComparison.Ordinal));
        Assert.True(lines.IndexOf("BEGIN:VEVENT") < lines.IndexOf("UID:0f8fad5b-1234@suite.meetings") && lines.IndexOf("UID:0f8fad5b-1234@suite.meetings") < lines.IndexOf("END:VEVENT"));
        Assert.Equal("text/calendar; charset=utf-8; method=REQUEST", IcsCalendar.ContentType(Meeting(start: start, end: start.AddHours(1))));
    }

    [Fact]
    public void A_permanent_room_has_no_start_or_end_and_is_published()
    {
        var ics = IcsCalendar.Write(Meeting());
        var lines = Unfold(ics);
        Assert.DoesNotContain(lines, l => l.StartsWith("DTSTART", StringComparison.Ordinal) || l.StartsWith("DTEND", StringComparison.Ordinal));
        Assert.Contains("METHOD:PUBLISH", lines);
        Assert.Contains("DTSTAMP:20261123T160509Z", lines);
        Assert.Contains("URL:https://suite.example/meetings/abc-defg-hjk", lines);
    }

    [Fact]
    public void Every_line_ends_with_crlf_and_no_bare_line_feed_remains()
    {
        var ics = IcsCalendar.Write(Meeting("Ligne 1\nLigne 2\r\nLigne 3\rfin"));
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(@"SUMMARY:Ligne 1\nLigne 2\nLigne 3\nfin", Unfold(ics));
    }

    [Theory]
    [InlineData("Budget; RH, DSI", @"Budget\; RH\, DSI")]
    [InlineData(@"C:\dossier", @"C:\\dossier")]
    [InlineData("Point\td'étape", "Point\td'étape")]
    [InlineData("avant\u0007après", "avantaprès")]
    public void Text_values_are_escaped(string raw, string escaped)
    {
        Assert.Equal(escaped, IcsCalendar.Text(raw));
        Assert.Contains("SUMMARY:" + escaped, Unfold(IcsCalendar.Write(Meeting(raw))));
    }

    [Fact]
    public void Long_lines_are_folded_at_75_octets_without_splitting_a_utf8_character()
    {
        var summary = string.Concat(Enumerable.Repeat("Réunion élargie — équipe 🇫🇷 ", 12));
        var ics = IcsCalendar.Write(Meeting(summary));
        var physical = ics.Split("\r\n");
        Assert.All(physical, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{Encoding.UTF8.GetByteCount(line)} octets: {line}"));
        Assert.Contains(physical, line => line.StartsWith(' '));
        // Folding never cut a character in two: each physical line is valid UTF-8 text on its own.
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.All(physical, line => strict.GetString(strict.GetBytes(line)));
        Assert.Contains("SUMMARY:" + IcsCalendar.Text(summary), Unfold(ics));
    }

    [Fact]
    public void Folding_splits_exactly_at_the_limit()
    {
        var line = "DESCRIPTION:" + new string('a', 100);
        var folded = IcsCalendar.Fold(line).Split("\r\n");
        Assert.Equal(75, folded[0].Length);
        Assert.Equal(' ', folded[1][0]);
        Assert.Equal(line, string.Concat(folded.Select((l, i) => i == 0 ? l : l[1..])));
        Assert.Equal("SHORT:x", IcsCalendar.Fold("SHORT:x"));
    }

    [Fact]
    public void An_organiser_name_with_quotes_or_separators_stays_one_valid_parameter()
    {
        var e = Meeting() with { OrganizerName = "Martin, \"Alice\"; DSI:RH" };
        Assert.Contains("ORGANIZER;CN=\"Martin, Alice; DSI:RH\":mailto:alice@interieur.test", Unfold(IcsCalendar.Write(e)));
        Assert.DoesNotContain(Unfold(IcsCalendar.Write(Meeting() with { OrganizerEmail = null })), l => l.StartsWith("ORGANIZER", StringComparison.Ordinal));
    }

    [Fact]
    public void An_end_before_the_start_or_without_a_start_is_refused()
    {
        Assert.Throws<ArgumentException>(() => IcsCalendar.Write(Meeting(start: Stamp, end: Stamp.AddMinutes(-1))));
        Assert.Throws<ArgumentException>(() => IcsCalendar.Write(Meeting(end: Stamp)));
    }
}
