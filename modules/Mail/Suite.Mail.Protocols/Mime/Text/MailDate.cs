using System.Globalization;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// RFC 5322 §3.3 date-time reading and writing. Reading accepts the obsolete forms of §4.3 and common mistakes: missing
/// day of week or seconds, two- and three-digit years, named zones (GMT, UT, EST, ...), military zones (read as +0000 as
/// §4.3 advises), trailing zone comments like "(CEST)", fields in unusual order and ISO 8601 as a last resort.
/// </summary>
public static class MailDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Formats a date as "Tue, 01 Jul 2003 10:52:37 +0200".</summary>
    public static string Format(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return date.ToString("ddd, dd MMM yyyy HH':'mm':'ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a Date header value; returns null when no plausible date can be read.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 256)
        {
            return null;
        }

        if (TryParseCanonical(value, out var canonical))
        {
            return canonical;
        }

        var withoutComments = StripComments(value);
        int? day = null, month = null, year = null, hour = null, minute = null, second = null;
        TimeSpan? zone = null;
        foreach (var raw in withoutComments.Split([' ', '\t', ',', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.Trim('.');
            if (token.Length == 0)
            {
                continue;
            }

            if (token.Contains(':', StringComparison.Ordinal) && hour is null)
            {
                if (TryTime(token, out var h, out var m, out var s, out var attachedZone))
                {
                    (hour, minute, second) = (h, m, s);
                    zone ??= attachedZone;
                }
            }
            else if (token[0] is '+' or '-' && token.Length >= 5 && zone is null && int.TryParse(token.AsSpan(1, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
            {
                var span = new TimeSpan(hhmm / 100, hhmm % 100, 0);
                zone = token[0] == '-' ? -span : span;
            }
            else if (char.IsAsciiLetter(token[0]))
            {
                var lower = token.ToLowerInvariant();
                var monthIndex = lower.Length >= 3 ? Array.IndexOf(Months, lower[..3]) : -1;
                if (monthIndex >= 0 && month is null && !Days.Contains(lower[..3]))
                {
                    month = monthIndex + 1;
                }
                else if (zone is null && NamedZone(lower) is { } named)
                {
                    zone = named;
                }
            }
            else if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                if (token.Length <= 2 && day is null && number is >= 1 and <= 31)
                {
                    day = number;
                }
                else if (year is null)
                {
                    year = token.Length switch
                    {
                        <= 2 => number < 50 ? 2000 + number : 1900 + number,
                        3 => 1900 + number,
                        _ => number,
                    };
                }
            }
        }

        if (day is null || month is null || year is null)
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var iso) ? iso : null;
        }

        var offset = zone ?? TimeSpan.Zero;
        if (offset.Duration() > TimeSpan.FromHours(14) || offset.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            offset = TimeSpan.Zero;
        }

        if (year is < 1 or > 9999 || hour is > 23 || minute is > 59 || second is > 60 || day > DateTime.DaysInMonth(year.Value, month.Value))
        {
            return null;
        }

        var seconds = Math.Min(second ?? 0, 59); // leap second
        try
        {
            return new DateTimeOffset(year.Value, month.Value, day.Value, hour ?? 0, minute ?? 0, seconds, offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // e.g. 0001-01-01 with a positive offset falls outside the representable range
        }
    }

    /// <summary>
    /// The form nearly every message uses, "[Ddd, ]d[d] Mon yyyy hh:mm:ss +hhmm" and nothing else, read without the
    /// general tokenizer; anything else (and any doubtful value) is left to it, which gives the same result for this form.
    /// </summary>
    private static bool TryParseCanonical(string value, out DateTimeOffset date)
    {
        date = default;
        var s = value.AsSpan().Trim();
        if (s.Length > 5 && s[3] == ',' && s[4] == ' ')
        {
            var known = false;
            foreach (var name in Days)
            {
                known |= s[..3].Equals(name, StringComparison.OrdinalIgnoreCase);
            }

            if (!known)
            {
                return false;
            }

            s = s[5..];
        }

        // d[d] Mon yyyy hh:mm:ss +hhmm; RFC 5322 zones stop at +1359
        return TryParseFixedLayout(s, ' ', maxOffsetMinutes: (13 * 60) + 59, out date);
    }

    /// <summary>
    /// "d[d]{sep}Mon{sep}yyyy hh:mm:ss ±hhmm" read field by field (the canonical RFC 5322 date with spaces, the IMAP
    /// INTERNALDATE with dashes); false for any other shape or doubtful value, which callers leave to a general parser.
    /// </summary>
    internal static bool TryParseFixedLayout(ReadOnlySpan<char> s, char dateSeparator, int maxOffsetMinutes, out DateTimeOffset date)
    {
        date = default;
        var separator = s.IndexOf(dateSeparator);
        if (separator is not (1 or 2) || s.Length != separator + 24
            || !int.TryParse(s[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            return false;
        }

        var rest = s[(separator + 1)..]; // "Mon{sep}yyyy hh:mm:ss ±hhmm"
        var month = -1;
        for (var m = 0; m < Months.Length; m++)
        {
            if (rest[..3].Equals(Months[m], StringComparison.OrdinalIgnoreCase))
            {
                month = m + 1;
                break;
            }
        }

        if (month < 0 || rest[3] != dateSeparator || rest[8] != ' ' || rest[11] != ':' || rest[14] != ':' || rest[17] != ' ' || rest[18] is not ('+' or '-')
            || !int.TryParse(rest[4..8], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(rest[9..11], NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(rest[12..14], NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || !int.TryParse(rest[15..17], NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            || !int.TryParse(rest[19..21], NumberStyles.None, CultureInfo.InvariantCulture, out var zoneHours)
            || !int.TryParse(rest[21..23], NumberStyles.None, CultureInfo.InvariantCulture, out var zoneMinutes)
            || year is < 2 or > 9998 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60
            || zoneMinutes > 59 || (zoneHours * 60) + zoneMinutes > maxOffsetMinutes)
        {
            return false;
        }

        var offset = new TimeSpan(zoneHours, zoneMinutes, 0);
        date = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), rest[18] == '-' ? -offset : offset);
        return true;
    }

    private static bool TryTime(string token, out int hour, out int minute, out int? second, out TimeSpan? zone)
    {
        hour = minute = 0;
        second = null;
        zone = null;
        var zoneAt = token.IndexOfAny(['+', '-'], 1);
        if (zoneAt > 0)
        {
            if (token.Length - zoneAt == 5 && int.TryParse(token.AsSpan(zoneAt + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
            {
                var span = new TimeSpan(hhmm / 100, hhmm % 100, 0);
                zone = token[zoneAt] == '-' ? -span : span;
            }

            token = token[..zoneAt];
        }

        var parts = token.Split(':');
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out hour)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minute))
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2].Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                return false;
            }

            second = s;
        }

        return true;
    }

    private static TimeSpan? NamedZone(string name) => name switch
    {
        "ut" or "utc" or "gmt" or "z" or "wet" => TimeSpan.Zero,
        "edt" => TimeSpan.FromHours(-4),
        "est" or "cdt" => TimeSpan.FromHours(-5),
        "cst" or "mdt" => TimeSpan.FromHours(-6),
        "mst" or "pdt" => TimeSpan.FromHours(-7),
        "pst" => TimeSpan.FromHours(-8),
        "cet" or "met" or "bst" or "west" => TimeSpan.FromHours(1),
        "cest" or "mest" or "eet" => TimeSpan.FromHours(2),
        "eest" => TimeSpan.FromHours(3),
        _ when name.Length == 1 => TimeSpan.Zero, // military zones: RFC 5322 §4.3 says treat as -0000
        _ => null,
    };

    private static string StripComments(string value)
    {
        if (!value.Contains('(', StringComparison.Ordinal))
        {
            return value;
        }

        var lx = new HeaderLexer(value);
        var sb = new System.Text.StringBuilder(value.Length);
        while (!lx.AtEnd)
        {
            if (lx.Is('('))
            {
                lx.ReadComment();
                sb.Append(' ');
            }
            else
            {
                sb.Append(lx.Current);
                lx.Position++;
            }
        }

        return sb.ToString();
    }
}
