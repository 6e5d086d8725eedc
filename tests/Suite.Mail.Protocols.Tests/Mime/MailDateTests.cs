using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>RFC 5322 §3.3 dates and the obsolete and broken forms seen in real mail.</summary>
public sealed class MailDateTests
{
    [Theory]
    [InlineData("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T09:55:06-06:00")] // RFC 5322 A.1.1
    [InlineData("Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T10:52:37+02:00")] // RFC 5322 A.1.2
    [InlineData("21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06+00:00")] // RFC 5322 A.5 obsolete
    [InlineData("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)", "1969-02-13T23:32:00-03:30")] // RFC 5322 A.6.3
    [InlineData("Mon, 2 Jan 2006 15:04:05 EST", "2006-01-02T15:04:05-05:00")]
    [InlineData("Wed, 06 Mar 2024 08:00:00 +0100 (CET)", "2024-03-06T08:00:00+01:00")]
    [InlineData("6 Mar 2024 08:00 +0100", "2024-03-06T08:00:00+01:00")]
    [InlineData("Wed Mar 6 08:00:00 2024", "2024-03-06T08:00:00+00:00")] // ctime order
    [InlineData("Wed, 06 Mar 024 08:00:00 Z", "1924-03-06T08:00:00+00:00")] // three-digit year
    [InlineData("2024-03-06T08:00:00+01:00", "2024-03-06T08:00:00+01:00")] // ISO 8601 fallback
    public void Parses(string value, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), MailDate.Parse(value));

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2024 10:00:00 +0000")]
    [InlineData("1 Jan 2024 25:00:00 +0000")]
    public void RejectsWhatIsNotADate(string value) => Assert.Null(MailDate.Parse(value));

    [Fact]
    public void FormatRoundTrips()
    {
        var date = new DateTimeOffset(2025, 12, 14, 9, 5, 3, TimeSpan.FromHours(-3.5));
        var text = MailDate.Format(date);
        Assert.Equal("Sun, 14 Dec 2025 09:05:03 -0330", text);
        Assert.Equal(date, MailDate.Parse(text));
    }
}
