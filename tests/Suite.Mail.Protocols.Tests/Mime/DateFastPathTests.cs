using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>The canonical-form shortcuts of the date readers give what the general readers give, and leave the rest to them.</summary>
public sealed class DateFastPathTests
{
    [Theory]
    [InlineData("Mon, 23 Nov 2026 16:45:07 +0100", 2026, 11, 23, 16, 45, 7, 60)]
    [InlineData("23 Nov 2026 16:45:07 -0330", 2026, 11, 23, 16, 45, 7, -210)]
    [InlineData("  Tue, 1 Dec 2026 00:00:60 +0000 ", 2026, 12, 1, 0, 0, 59, 0)]
    [InlineData("wed, 02 jan 2030 23:59:59 +1300", 2030, 1, 2, 23, 59, 59, 780)]
    public void CanonicalMailDates(string text, int year, int month, int day, int hour, int minute, int second, int offsetMinutes)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes)), MailDate.Parse(text));
    }

    [Theory]
    [InlineData("Mon, 23 Nov 2026 16:45:07 +0100 (CET)", 60)]   // trailing comment: general reader
    [InlineData("Mon, 23 Nov 2026 16:45:07 GMT", 0)]            // named zone: general reader
    [InlineData("Xyz, 23 Nov 2026 16:45:07 +0100", 60)]         // unknown day name: general reader ignores it
    [InlineData("23 Nov 2026 16:45 +0100", 60)]                 // no seconds
    public void OtherFormsStillParse(string text, int offsetMinutes)
    {
        var date = MailDate.Parse(text);
        Assert.NotNull(date);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), date.Value.Offset);
        Assert.Equal(new DateTime(2026, 11, 23), date.Value.Date);
    }

    [Theory]
    [InlineData("31 Feb 2026 10:00:00 +0100")]
    [InlineData("Mon, 23 Nov 2026 25:00:00 +0100")]
    public void ImpossibleDatesAreRejected(string text) => Assert.Null(MailDate.Parse(text));

    [Theory]
    [InlineData("23-Nov-2026 16:45:07 +0100", 2026, 11, 23, 60)]
    [InlineData(" 3-Nov-2026 16:45:07 -0500", 2026, 11, 3, -300)]
    [InlineData("03-nov-2026 16:45:07 +0000", 2026, 11, 3, 0)]
    public void InternalDates(string text, int year, int month, int day, int offsetMinutes)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, 16, 45, 7, TimeSpan.FromMinutes(offsetMinutes)), ImapDataParser.ParseInternalDate(text));
    }
}
