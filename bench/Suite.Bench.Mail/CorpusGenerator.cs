using System.Globalization;
using System.Text;

namespace Suite.Bench.Mail;

/// <summary>
/// Writes a deterministic, realistic mail corpus: the same seed always gives the same bytes. The mix (by message):
/// plain text (UTF-8 8bit or quoted-printable), text + HTML alternatives, messages with attachments (base64, tens to
/// hundreds of KB), legacy charsets (iso-8859-1 / iso-8859-15 quoted-printable, windows-1252 8bit, koi8-r), RFC 2047
/// encoded-word headers and RFC 2231 file names, and nested structures (mixed → related → alternative with an inline
/// image, plus a forwarded message/rfc822). Lines end with CRLF, as on the wire and in Dovecot's Maildir.
/// </summary>
internal sealed class CorpusGenerator
{
    private static readonly string[] FrenchWords =
    [
        "le", "la", "les", "de", "des", "du", "et", "à", "un", "une", "pour", "dans", "sur", "avec", "par", "que", "qui",
        "ministère", "réunion", "élément", "dossier", "préfecture", "décision", "données", "sécurité", "numérique",
        "budget", "année", "été", "être", "déjà", "très", "où", "procès-verbal", "ordre", "jour", "validé", "réponse",
        "service", "agent", "équipe", "comité", "projet", "délai", "échéance", "rapport", "synthèse", "français",
        "garçon", "cœur", "œuvre", "naïf", "Noël", "façade", "hôpital", "forêt", "île", "coût", "août", "château",
        "administration", "collectivité", "circulaire", "arrêté", "note", "courrier", "pièce", "jointe", "merci",
        "cordialement", "bonjour", "madame", "monsieur", "direction", "département", "région", "commune", "état",
    ];

    private static readonly string[] RussianWords = ["привет", "министерство", "документ", "совещание", "отчёт", "спасибо", "данные", "проект"];

    private static readonly string[] FirstNames = ["Élodie", "François", "Hélène", "Jérôme", "Zoé", "Gaël", "Anaïs", "Loïc", "Marie", "Paul", "Søren", "Chloé"];

    private static readonly string[] LastNames = ["Lefèvre", "Dupont", "Müller", "Garçon", "Bérénger", "Martin", "Durand", "Moreau", "Nguyễn", "Lambert"];

    private static readonly string[] Domains = ["interieur.gouv.fr", "finances.gouv.fr", "education.gouv.fr", "culture.gouv.fr", "sante.gouv.fr"];

    private static readonly (string Type, string Extension)[] AttachmentTypes =
    [
        ("application/pdf", "pdf"), ("image/png", "png"), ("image/jpeg", "jpg"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/vnd.ms-excel", "xls"), ("application/zip", "zip"),
    ];

    private readonly Random _random;
    private readonly int _maxAttachmentBytes;
    private int _sequence;

    public CorpusGenerator(int seed, int maxAttachmentBytes)
    {
        _random = new Random(seed);
        _maxAttachmentBytes = maxAttachmentBytes;
    }

    /// <summary>What a generated message contains, for the corpus summary.</summary>
    public enum Kind
    {
        Plain,
        Alternative,
        WithAttachments,
        Legacy,
        Nested,
    }

    /// <summary>Produces the next message and when it was "received".</summary>
    public (byte[] Bytes, DateTimeOffset Date, Kind Kind) Next()
    {
        _sequence++;
        var date = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(1)).AddMinutes(_sequence * 37 + _random.Next(30));
        var roll = _random.Next(100);
        var kind = roll switch
        {
            < 25 => Kind.Plain,
            < 55 => Kind.Alternative,
            < 75 => Kind.WithAttachments,
            < 88 => Kind.Legacy,
            _ => Kind.Nested,
        };
        var message = new Writer();
        WriteEnvelopeHeaders(message, date);
        switch (kind)
        {
            case Kind.Plain:
                WriteTextLeaf(message, "plain", Paragraphs(2, 12), _random.Next(2) == 0 ? "8bit" : "quoted-printable", "utf-8");
                break;
            case Kind.Alternative:
                WriteAlternative(message);
                break;
            case Kind.WithAttachments:
                WriteMixed(message, _random.Next(1, 4));
                break;
            case Kind.Legacy:
                WriteLegacy(message);
                break;
            default:
                WriteNested(message, date);
                break;
        }

        return (message.ToArray(), date, kind);
    }

    private void WriteEnvelopeHeaders(Writer w, DateTimeOffset date)
    {
        var from = Person();
        w.Line("Return-Path: <" + from.Address + ">");
        w.Line("Received: from mail." + Pick(Domains) + " (mail." + Pick(Domains) + " [10.1." + _random.Next(256) + "." + _random.Next(256) + "])");
        w.Line("\tby mx.suite.test (Postfix) with ESMTPS id " + Hex(10) + "; " + RfcDate(date));
        w.Line("From: " + EncodedPerson(from));
        var to = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => EncodedPerson(Person())).ToList();
        w.Line("To: " + string.Join(",\r\n ", to));
        if (_random.Next(3) == 0)
        {
            w.Line("Cc: " + EncodedPerson(Person()) + ", " + Person().Address);
        }

        w.Line("Subject: " + EncodedSubject());
        w.Line("Date: " + RfcDate(date));
        w.Line("Message-ID: <" + Hex(16) + "." + _sequence + "@" + Pick(Domains) + ">");
        if (_random.Next(3) == 0)
        {
            var parent = "<" + Hex(16) + "@" + Pick(Domains) + ">";
            w.Line("In-Reply-To: " + parent);
            w.Line("References: <" + Hex(16) + "@" + Pick(Domains) + ">\r\n " + parent);
        }

        w.Line("MIME-Version: 1.0");
        w.Line("X-Mailer: Suite corpus generator");
    }

    private void WriteAlternative(Writer w)
    {
        var boundary = Boundary();
        w.Line("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"");
        w.Line();
        var text = Paragraphs(2, 10);
        w.Line("--" + boundary);
        WriteTextLeaf(w, "plain", text, "quoted-printable", "utf-8");
        w.Line("--" + boundary);
        WriteTextLeaf(w, "html", Html(text), _random.Next(3) == 0 ? "base64" : "quoted-printable", "utf-8");
        w.Line("--" + boundary + "--");
    }

    private void WriteMixed(Writer w, int attachments)
    {
        var boundary = Boundary();
        w.Line("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
        w.Line();
        w.Line("This is a multi-part message in MIME format.");
        w.Line("--" + boundary);
        WriteAlternative(w);
        for (var i = 0; i < attachments; i++)
        {
            w.Line("--" + boundary);
            WriteAttachment(w, _random.Next(20 * 1024, _maxAttachmentBytes + 1));
        }

        w.Line("--" + boundary + "--");
    }

    private void WriteLegacy(Writer w)
    {
        switch (_random.Next(4))
        {
            case 0:
                WriteTextLeaf(w, "plain", Paragraphs(2, 10), "quoted-printable", "iso-8859-1");
                break;
            case 1:
                WriteTextLeaf(w, "plain", Paragraphs(2, 10).Replace("œ", "oe", StringComparison.Ordinal), "8bit", "windows-1252");
                break;
            case 2:
                WriteTextLeaf(w, "plain", Paragraphs(2, 10).Replace("œ", "oe", StringComparison.Ordinal) + " 10 €", "quoted-printable", "iso-8859-15");
                break;
            default:
                WriteTextLeaf(w, "plain", Russian(), "8bit", "koi8-r");
                break;
        }
    }

    private void WriteNested(Writer w, DateTimeOffset date)
    {
        var mixed = Boundary();
        var related = Boundary();
        var alternative = Boundary();
        w.Line("Content-Type: multipart/mixed; boundary=\"" + mixed + "\"");
        w.Line();
        w.Line("--" + mixed);
        w.Line("Content-Type: multipart/related; type=\"multipart/alternative\"; boundary=\"" + related + "\"");
        w.Line();
        w.Line("--" + related);
        w.Line("Content-Type: multipart/alternative; boundary=\"" + alternative + "\"");
        w.Line();
        var text = Paragraphs(2, 8);
        w.Line("--" + alternative);
        WriteTextLeaf(w, "plain", text, "quoted-printable", "utf-8");
        w.Line("--" + alternative);
        var cid = Hex(12) + "@suite.test";
        WriteTextLeaf(w, "html", Html(text).Replace("<body>", "<body><img src=\"cid:" + cid + "\" alt=\"logo\">", StringComparison.Ordinal), "quoted-printable", "utf-8");
        w.Line("--" + alternative + "--");
        w.Line("--" + related);
        w.Line("Content-Type: image/png");
        w.Line("Content-Transfer-Encoding: base64");
        w.Line("Content-ID: <" + cid + ">");
        w.Line("Content-Disposition: inline");
        w.Line();
        WriteBase64(w, RandomBytes(_random.Next(2 * 1024, 16 * 1024)));
        w.Line("--" + related + "--");
        w.Line("--" + mixed);
        WriteAttachment(w, _random.Next(20 * 1024, _maxAttachmentBytes + 1));
        w.Line("--" + mixed);
        w.Line("Content-Type: message/rfc822");
        w.Line("Content-Disposition: attachment; filename=\"transfert.eml\"");
        w.Line();
        WriteEnvelopeHeaders(w, date.AddDays(-2));
        WriteAlternative(w);
        w.Line("--" + mixed + "--");
    }

    private void WriteTextLeaf(Writer w, string subtype, string text, string encoding, string charset)
    {
        w.Line("Content-Type: text/" + subtype + "; charset=\"" + charset + "\"" + (subtype == "plain" && _random.Next(2) == 0 ? "; format=flowed" : string.Empty));
        w.Line("Content-Transfer-Encoding: " + encoding);
        w.Line();
        var bytes = Encoding.GetEncoding(charset).GetBytes(text);
        switch (encoding)
        {
            case "base64":
                WriteBase64(w, bytes);
                break;
            case "quoted-printable":
                WriteQuotedPrintable(w, bytes);
                break;
            default:
                foreach (var line in text.Split('\n'))
                {
                    w.Line(Encoding.GetEncoding(charset).GetBytes(line));
                }

                break;
        }
    }

    private void WriteAttachment(Writer w, int size)
    {
        var (type, extension) = AttachmentTypes[_random.Next(AttachmentTypes.Length)];
        var name = Pick(["Compte rendu", "Note de synthèse", "Budget 2026", "Ordre du jour", "Présentation", "scan"]) + " " + _random.Next(1, 99) + "." + extension;
        w.Line("Content-Type: " + type + "; name=\"" + EncodedWord(name, "utf-8", 'B') + "\"");
        w.Line("Content-Transfer-Encoding: base64");
        w.Line("Content-Disposition: attachment;\r\n filename*=utf-8''" + Uri.EscapeDataString(name) + ";\r\n size=" + size);
        w.Line();
        WriteBase64(w, RandomBytes(size));
    }

    /// <summary>Content that compresses like real documents: random bytes with runs, not all-random noise.</summary>
    private byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        _random.NextBytes(bytes);
        for (var i = 0; i + 64 < size; i += 256)
        {
            Array.Fill(bytes, (byte)0, i, _random.Next(64));
        }

        return bytes;
    }

    private static void WriteBase64(Writer w, byte[] bytes)
    {
        var text = Convert.ToBase64String(bytes);
        for (var i = 0; i < text.Length; i += 76)
        {
            w.Line(text.Substring(i, Math.Min(76, text.Length - i)));
        }
    }

    private static void WriteQuotedPrintable(Writer w, byte[] bytes)
    {
        var line = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)'\n')
            {
                w.Line(line.ToString());
                line.Clear();
                continue;
            }

            var atLineEnd = i + 1 == bytes.Length || bytes[i + 1] == (byte)'\n';
            var literal = b is >= 33 and <= 126 && b != (byte)'=' || (b is (byte)' ' or (byte)'\t' && !atLineEnd);
            var piece = literal ? ((char)b).ToString() : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
            if (line.Length + piece.Length > 75)
            {
                w.Line(line.Append('=').ToString());
                line.Clear();
            }

            line.Append(piece);
        }

        w.Line(line.ToString());
    }

    private string Paragraphs(int min, int max)
    {
        var text = new StringBuilder();
        text.Append(Pick(["Bonjour", "Madame, Monsieur", "Chère collègue", "Bonjour à tous"])).Append(",\n\n");
        var count = _random.Next(min, max + 1);
        for (var p = 0; p < count; p++)
        {
            var words = _random.Next(30, 160);
            var column = 0;
            for (var i = 0; i < words; i++)
            {
                var word = Pick(FrenchWords);
                if (i == 0)
                {
                    word = char.ToUpperInvariant(word[0]) + word[1..];
                }

                if (column + word.Length > 72)
                {
                    text.Append('\n');
                    column = 0;
                }
                else if (i > 0)
                {
                    text.Append(' ');
                    column++;
                }

                text.Append(word);
                column += word.Length;
            }

            text.Append(".\n\n");
        }

        if (_random.Next(3) == 0)
        {
            text.Append("Le ").Append(DateTime.UnixEpoch.AddDays(20000 + _random.Next(500)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)).Append(", un agent a écrit :\n");
            for (var i = 0; i < _random.Next(2, 10); i++)
            {
                text.Append("> ").Append(Pick(FrenchWords)).Append(' ').Append(Pick(FrenchWords)).Append(' ').Append(Pick(FrenchWords)).Append('\n');
            }
        }

        text.Append("\nCordialement,\n-- \n").Append(Pick(FirstNames)).Append(' ').Append(Pick(LastNames)).Append('\n');
        return text.ToString();
    }

    private string Russian()
    {
        var text = new StringBuilder("Здравствуйте,\n\n");
        for (var i = 0; i < _random.Next(40, 300); i++)
        {
            text.Append(Pick(RussianWords)).Append(i % 10 == 9 ? ".\n" : " ");
        }

        return text.Append("\nС уважением\n").ToString();
    }

    private static string Html(string text)
    {
        var body = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>p { font-family: Marianne, Arial; margin: 0 0 1em; }</style></head>\n<body>");
        foreach (var paragraph in text.Split("\n\n"))
        {
            body.Append("<p style=\"color:#161616\">").Append(System.Net.WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
        }

        return body.Append("<table><tr><td><a href=\"https://www.service-public.fr/\">service-public.fr</a></td></tr></table>\n</body></html>").ToString();
    }

    private (string Name, string Address) Person()
    {
        var first = Pick(FirstNames);
        var last = Pick(LastNames);
        var local = RemoveAccents(first + "." + last).ToLowerInvariant();
        return (first + " " + last, local + "@" + Pick(Domains));
    }

    private string EncodedPerson((string Name, string Address) person)
    {
        if (person.Name.All(c => c < 128))
        {
            return "\"" + person.Name + "\" <" + person.Address + ">";
        }

        return _random.Next(3) switch
        {
            0 => EncodedWord(person.Name, "utf-8", 'B') + " <" + person.Address + ">",
            1 => EncodedWord(person.Name, "iso-8859-1", 'Q') + " <" + person.Address + ">",
            _ => EncodedWord(person.Name, "utf-8", 'Q') + " <" + person.Address + ">",
        };
    }

    private string EncodedSubject()
    {
        var subject = (_random.Next(4) == 0 ? "RE: " : string.Empty) + string.Join(' ', Enumerable.Range(0, _random.Next(3, 12)).Select(_ => Pick(FrenchWords)));
        return _random.Next(3) switch
        {
            0 => EncodedWord(subject, "utf-8", 'B'),
            1 => EncodedWord(subject, "utf-8", 'Q'),
            _ => subject.Any(c => c >= 128) ? EncodedWord(subject, "iso-8859-1", 'Q') : subject,
        };
    }

    /// <summary>RFC 2047 encoded words, split so that no word is longer than 75 characters; folded between words.</summary>
    private static string EncodedWord(string text, string charset, char encoding)
    {
        var words = new List<string>();
        var prefix = "=?" + charset + "?" + encoding + "?";
        var current = new StringBuilder();
        var chunk = new StringBuilder();
        var enc = Encoding.GetEncoding(charset);
        foreach (var rune in text.EnumerateRunes())
        {
            var candidate = chunk.ToString() + rune;
            var encoded = encoding == 'B' ? Convert.ToBase64String(enc.GetBytes(candidate)) : Q(enc.GetBytes(candidate));
            if (prefix.Length + encoded.Length + 2 > 75 && chunk.Length > 0)
            {
                words.Add(prefix + (encoding == 'B' ? Convert.ToBase64String(enc.GetBytes(chunk.ToString())) : Q(enc.GetBytes(chunk.ToString()))) + "?=");
                chunk.Clear();
            }

            chunk.Append(rune.ToString());
        }

        if (chunk.Length > 0)
        {
            words.Add(prefix + (encoding == 'B' ? Convert.ToBase64String(enc.GetBytes(chunk.ToString())) : Q(enc.GetBytes(chunk.ToString()))) + "?=");
        }

        current.AppendJoin("\r\n ", words);
        return current.ToString();

        static string Q(byte[] bytes)
        {
            var q = new StringBuilder();
            foreach (var b in bytes)
            {
                if (b == (byte)' ')
                {
                    q.Append('_');
                }
                else if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9')
                {
                    q.Append((char)b);
                }
                else
                {
                    q.Append('=').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return q.ToString();
        }
    }

    private static string RemoveAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(c switch { 'ø' => 'o', 'œ' => 'o', _ => c });
            }
        }

        return plain.ToString();
    }

    /// <summary>"Thu, 01 Jan 2026 12:33:00 +0100" (RFC 5322 §3.3).</summary>
    private static string RfcDate(DateTimeOffset date) =>
        date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);

    private string Boundary() => "----=_Part_" + _sequence + "_" + Hex(12);

    private string Hex(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = "0123456789abcdef"[_random.Next(16)];
        }

        return new string(chars);
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>Accumulates CRLF-terminated lines.</summary>
    private sealed class Writer
    {
        private readonly MemoryStream _bytes = new();

        public void Line(string text = "") => Line(Encoding.UTF8.GetBytes(text));

        public void Line(ReadOnlySpan<byte> bytes)
        {
            _bytes.Write(bytes);
            _bytes.Write("\r\n"u8);
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
