using System.Globalization;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Sdp;

/// <summary>Bounds that keep a hostile SDP from costing more than a legitimate one.</summary>
internal sealed record SdpParserLimits
{
    public static readonly SdpParserLimits Default = new();

    public int MaxLength { get; init; } = 512 * 1024;

    public int MaxLineLength { get; init; } = 4096;

    public int MaxMediaSections { get; init; } = 256;

    public int MaxCodecsPerSection { get; init; } = 128;

    public int MaxSsrcsPerSection { get; init; } = 64;

    public int MaxCandidatesPerSection { get; init; } = 64;

    public int MaxRids { get; init; } = 16;

    public int MaxRidLength { get; init; } = 32;

    /// <summary>Errors kept with their text; later ones are only counted.</summary>
    public int MaxErrors { get; init; } = 64;
}

/// <summary>
/// A tolerant SDP parser for what browsers send (Chromium and Firefox, unified plan). It reads line by line, keeps
/// what it understands, skips what it does not, and records why in <see cref="SessionDescription.Errors"/>;
/// it never throws on bad input. Unknown attributes are ignored silently, as RFC 8866 §5.13 asks.
/// </summary>
internal static class SdpParser
{
    public static SessionDescription Parse(string? text, SdpParserLimits? limits = null)
    {
        limits ??= SdpParserLimits.Default;
        var session = new SessionDescription();
        var state = new ParseState(session, limits);
        if (string.IsNullOrEmpty(text))
        {
            state.Error(0, "empty description");
            return session;
        }

        if (text.Length > limits.MaxLength)
        {
            state.Error(0, $"description of {text.Length} characters exceeds the limit of {limits.MaxLength}");
            return session;
        }

        int lineNumber = 0;
        foreach (ReadOnlySpan<char> rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            ReadOnlySpan<char> line = rawLine.TrimEnd();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length > limits.MaxLineLength)
            {
                state.Error(lineNumber, $"line of {line.Length} characters exceeds the limit of {limits.MaxLineLength}");
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                state.Error(lineNumber, $"not a <type>=<value> line: {Excerpt(line)}");
                continue;
            }

            state.ParseLine(lineNumber, line[0], line[2..].ToString());
            if (state.Stopped)
            {
                break;
            }
        }

        if (session.Version is null)
        {
            state.Error(0, "no v= line");
        }

        foreach (MediaDescription media in session.Media)
        {
            state.ApplyCodecParameters(media);
        }

        return session;
    }

    internal static string Excerpt(ReadOnlySpan<char> text) => text.Length <= 60 ? text.ToString() : string.Concat(text[..60], "…");

    private sealed class ParseState(SessionDescription session, SdpParserLimits limits)
    {
        private MediaDescription? _media;

        public bool Stopped { get; private set; }

        public void Error(int lineNumber, string message)
        {
            session.ErrorCount++;
            if (session.Errors.Count < limits.MaxErrors)
            {
                session.Errors.Add(new SdpParseError(lineNumber, message));
            }
        }

        public void ParseLine(int lineNumber, char type, string value)
        {
            switch (type)
            {
                case 'v':
                    ParseVersion(lineNumber, value);
                    break;
                case 'o':
                    ParseOrigin(lineNumber, value);
                    break;
                case 'm':
                    ParseMediaLine(lineNumber, value);
                    break;
                case 'a':
                    ParseAttribute(lineNumber, value);
                    break;
                default:
                    break; // s=, t=, c=, b=, i=, … carry nothing an SFU needs
            }
        }

        private void ParseVersion(int lineNumber, string value)
        {
            if (value != "0")
            {
                Error(lineNumber, $"unsupported version v={Excerpt(value)}");
            }

            session.Version ??= 0;
        }

        private void ParseOrigin(int lineNumber, string value)
        {
            string[] fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 6)
            {
                Error(lineNumber, "o= needs 6 fields");
                return;
            }

            session.OriginSessionId = fields[1];
            if (ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong version))
            {
                session.OriginSessionVersion = version;
            }
            else
            {
                Error(lineNumber, "o= session version is not a number");
            }
        }

        private void ParseMediaLine(int lineNumber, string value)
        {
            _media = null;
            if (session.Media.Count >= limits.MaxMediaSections)
            {
                Error(lineNumber, $"more than {limits.MaxMediaSections} m-sections: the rest is ignored");
                Stopped = true;
                return;
            }

            string[] fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                Error(lineNumber, "m= needs media, port, protocol and formats");

                // Its attributes must not be mistaken for session-level ones: they land in a rejected placeholder.
                _media = new MediaDescription(session, lineNumber, "invalid", 0, "");
                session.Media.Add(_media);
                return;
            }

            string portText = fields[1];
            int slash = portText.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                portText = portText[..slash];
            }

            if (!TryParseInt(portText, 0, 65535, out int port))
            {
                Error(lineNumber, $"m= port is not 0–65535: {Excerpt(fields[1])}");
                port = 0;
            }

            var media = new MediaDescription(session, lineNumber, fields[0], port, fields[2]);
            foreach (string format in fields.Skip(3))
            {
                if (media.IsRtp && !TryParseInt(format, 0, 127, out _))
                {
                    Error(lineNumber, $"RTP payload type is not 0–127: {Excerpt(format)}");
                    continue;
                }

                if (media.Formats.Count < limits.MaxCodecsPerSection && !media.Formats.Contains(format))
                {
                    media.Formats.Add(format);
                }
            }

            session.Media.Add(media);
            _media = media;
        }

        private void ParseAttribute(int lineNumber, string value)
        {
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? value : value[..colon];
            string argument = colon < 0 ? "" : value[(colon + 1)..].Trim();
            SdpTransportAttributes transport = _media?.Transport ?? session.Transport;

            switch (name)
            {
                case "ice-ufrag":
                    transport.IceUfrag = NonEmpty(lineNumber, name, argument) ?? transport.IceUfrag;
                    return;
                case "ice-pwd":
                    transport.IcePwd = NonEmpty(lineNumber, name, argument) ?? transport.IcePwd;
                    return;
                case "ice-lite":
                    transport.IceLite = true;
                    return;
                case "ice-options":
                    transport.IceOptions.AddRange(argument.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    return;
                case "fingerprint":
                    if (DtlsFingerprint.TryParse(argument, out DtlsFingerprint? fingerprint))
                    {
                        transport.Fingerprint = fingerprint;
                    }
                    else
                    {
                        Error(lineNumber, $"unusable fingerprint: {Excerpt(argument)}");
                    }

                    return;
                case "setup":
                    if (SdpSetupRoles.TryParse(argument, out SdpSetupRole role))
                    {
                        transport.Setup = role;
                    }
                    else
                    {
                        Error(lineNumber, $"unknown setup role: {Excerpt(argument)}");
                    }

                    return;
                case "extmap":
                    ParseExtmap(lineNumber, argument, _media?.HeaderExtensions ?? session.HeaderExtensions);
                    return;
            }

            if (_media is null)
            {
                ParseSessionAttribute(lineNumber, name, argument);
            }
            else
            {
                ParseMediaAttribute(lineNumber, _media, name, argument);
            }
        }

        private void ParseSessionAttribute(int lineNumber, string name, string argument)
        {
            switch (name)
            {
                case "group":
                    string[] fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length == 0)
                    {
                        Error(lineNumber, "a=group without semantics");
                        return;
                    }

                    session.Groups.Add(new SdpGroup(fields[0], fields.Skip(1).Take(limits.MaxMediaSections).ToList()));
                    return;
                case "extmap-allow-mixed":
                    session.ExtmapAllowMixed = true;
                    return;
            }
        }

        private void ParseMediaAttribute(int lineNumber, MediaDescription media, string name, string argument)
        {
            if (SdpDirections.TryParse(name, out SdpDirection direction))
            {
                media.Direction = direction;
                return;
            }

            switch (name)
            {
                case "mid":
                    media.Mid = NonEmpty(lineNumber, name, argument) ?? media.Mid;
                    break;
                case "rtcp-mux":
                    media.RtcpMux = true;
                    break;
                case "rtcp-rsize":
                    media.RtcpReducedSize = true;
                    break;
                case "bundle-only":
                    media.BundleOnly = true;
                    break;
                case "extmap-allow-mixed":
                    session.ExtmapAllowMixed = true;
                    break;
                case "msid":
                    string[] ids = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    media.MsidStream = ids.Length > 0 ? ids[0] : null;
                    media.MsidTrack = ids.Length > 1 ? ids[1] : null;
                    break;
                case "rtpmap":
                    ParseRtpmap(lineNumber, media, argument);
                    break;
                case "fmtp":
                    ParseFmtp(lineNumber, media, argument);
                    break;
                case "rtcp-fb":
                    ParseRtcpFeedback(lineNumber, media, argument);
                    break;
                case "ssrc":
                    ParseSsrc(lineNumber, media, argument);
                    break;
                case "ssrc-group":
                    ParseSsrcGroup(lineNumber, media, argument);
                    break;
                case "rid":
                    ParseRid(lineNumber, media, argument);
                    break;
                case "simulcast":
                    ParseSimulcast(lineNumber, media, argument);
                    break;
                case "candidate":
                    ParseCandidate(lineNumber, media, argument);
                    break;
                case "end-of-candidates":
                    media.EndOfCandidates = true;
                    break;
            }
        }

        private void ParseRtpmap(int lineNumber, MediaDescription media, string argument)
        {
            // <payload type> <encoding name>/<clock rate>[/<channels>]
            string[] fields = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                Error(lineNumber, $"bad rtpmap: {Excerpt(argument)}");
                return;
            }

            if (!TryParsePayloadType(lineNumber, media, fields[0], out int payloadType))
            {
                return;
            }

            string[] encoding = fields[1].Split('/');
            int channels = 1;
            if (encoding.Length is < 2 or > 3 || encoding[0].Length == 0
                || !TryParseInt(encoding[1], 1, 10_000_000, out int clockRate)
                || (encoding.Length == 3 && !TryParseInt(encoding[2], 1, 255, out channels)))
            {
                Error(lineNumber, $"bad rtpmap encoding: {Excerpt(fields[1])}");
                return;
            }

            if (media.FindCodec(payloadType) is not null)
            {
                Error(lineNumber, $"payload type {payloadType} mapped twice");
                return;
            }

            media.Codecs.Add(new SdpCodec(payloadType, encoding[0], clockRate, channels));
        }

        private void ParseFmtp(int lineNumber, MediaDescription media, string argument)
        {
            string[] fields = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                Error(lineNumber, $"bad fmtp: {Excerpt(argument)}");
                return;
            }

            if (!TryParsePayloadType(lineNumber, media, fields[0], out _))
            {
                return;
            }

            if (media.PendingFmtp.Count < limits.MaxCodecsPerSection)
            {
                media.PendingFmtp.Add((lineNumber, fields[0], fields[1]));
            }
        }

        private void ParseRtcpFeedback(int lineNumber, MediaDescription media, string argument)
        {
            string[] fields = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                Error(lineNumber, $"bad rtcp-fb: {Excerpt(argument)}");
                return;
            }

            if (fields[0] != "*" && !TryParsePayloadType(lineNumber, media, fields[0], out _))
            {
                return;
            }

            if (media.PendingFeedback.Count < limits.MaxCodecsPerSection * 8)
            {
                media.PendingFeedback.Add((lineNumber, fields[0], string.Join(' ', fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))));
            }
        }

        /// <summary>Attaches the section's a=fmtp and a=rtcp-fb lines to the codecs their a=rtpmap declared.</summary>
        public void ApplyCodecParameters(MediaDescription media)
        {
            foreach ((int lineNumber, string payloadType, string value) in media.PendingFmtp)
            {
                SdpCodec? codec = media.Codecs.FirstOrDefault(codec => codec.PayloadType.ToString(CultureInfo.InvariantCulture) == payloadType);
                if (codec is null)
                {
                    Error(lineNumber, $"fmtp for payload type {payloadType} without rtpmap");
                    continue;
                }

                codec.Fmtp = value;
                foreach (string parameter in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    int equals = parameter.IndexOf('=', StringComparison.Ordinal);
                    string key = equals < 0 ? parameter : parameter[..equals].Trim();
                    if (key.Length > 0 && codec.Parameters.Count < 64)
                    {
                        codec.Parameters[key] = equals < 0 ? "" : parameter[(equals + 1)..].Trim();
                    }
                }
            }

            foreach ((int lineNumber, string payloadType, string feedback) in media.PendingFeedback)
            {
                IEnumerable<SdpCodec> codecs = payloadType == "*"
                    ? media.Codecs.Where(codec => !codec.IsRtx)
                    : media.Codecs.Where(codec => codec.PayloadType.ToString(CultureInfo.InvariantCulture) == payloadType);
                bool any = false;
                foreach (SdpCodec codec in codecs)
                {
                    any = true;
                    if (!codec.Feedback.Contains(feedback) && codec.Feedback.Count < 16)
                    {
                        codec.Feedback.Add(feedback);
                    }
                }

                if (!any && payloadType != "*")
                {
                    Error(lineNumber, $"rtcp-fb for payload type {payloadType} without rtpmap");
                }
            }

            media.PendingFmtp.Clear();
            media.PendingFeedback.Clear();
        }

        private void ParseExtmap(int lineNumber, string argument, List<SdpHeaderExtension> extensions)
        {
            // <id>[/<direction>] <uri> [<attributes>]
            string[] fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                Error(lineNumber, $"bad extmap: {Excerpt(argument)}");
                return;
            }

            string idText = fields[0];
            SdpDirection? direction = null;
            int slash = idText.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!SdpDirections.TryParse(idText[(slash + 1)..], out SdpDirection parsed))
                {
                    Error(lineNumber, $"bad extmap direction: {Excerpt(idText)}");
                    return;
                }

                direction = parsed;
                idText = idText[..slash];
            }

            // 1–14 fit the one-byte form, up to 255 the two-byte form; 15 is reserved (RFC 8285 §4.2).
            if (!TryParseInt(idText, 1, 255, out int id) || id == 15)
            {
                Error(lineNumber, $"extmap id is not 1–14 or 16–255: {Excerpt(idText)}");
                return;
            }

            if (extensions.Any(extension => extension.Id == id))
            {
                Error(lineNumber, $"extmap id {id} used twice");
                return;
            }

            extensions.Add(new SdpHeaderExtension(id, fields[1], direction));
        }

        private void ParseSsrc(int lineNumber, MediaDescription media, string argument)
        {
            // <ssrc> <attribute>[:<value>]
            int space = argument.IndexOf(' ', StringComparison.Ordinal);
            string ssrcText = space < 0 ? argument : argument[..space];
            if (!uint.TryParse(ssrcText, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
            {
                Error(lineNumber, $"ssrc is not a 32-bit number: {Excerpt(ssrcText)}");
                return;
            }

            SdpSsrc? entry = media.Ssrcs.FirstOrDefault(candidate => candidate.Ssrc == ssrc);
            if (entry is null)
            {
                if (media.Ssrcs.Count >= limits.MaxSsrcsPerSection)
                {
                    Error(lineNumber, $"more than {limits.MaxSsrcsPerSection} SSRCs in one m-section");
                    return;
                }

                entry = new SdpSsrc(ssrc);
                media.Ssrcs.Add(entry);
            }

            if (space < 0)
            {
                return;
            }

            string attribute = argument[(space + 1)..].Trim();
            int colon = attribute.IndexOf(':', StringComparison.Ordinal);
            string key = colon < 0 ? attribute : attribute[..colon];
            if (key.Length > 0 && entry.Attributes.Count < 8)
            {
                entry.Attributes[key] = colon < 0 ? "" : attribute[(colon + 1)..];
            }
        }

        private void ParseSsrcGroup(int lineNumber, MediaDescription media, string argument)
        {
            string[] fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ssrcs = new List<uint>();
            foreach (string field in fields.Skip(1).Take(limits.MaxSsrcsPerSection))
            {
                if (!uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
                {
                    Error(lineNumber, $"ssrc-group member is not a 32-bit number: {Excerpt(field)}");
                    return;
                }

                ssrcs.Add(ssrc);
            }

            if (fields.Length < 2 || media.SsrcGroups.Count >= limits.MaxSsrcsPerSection)
            {
                Error(lineNumber, $"bad ssrc-group: {Excerpt(argument)}");
                return;
            }

            media.SsrcGroups.Add(new SdpSsrcGroup(fields[0], ssrcs));
        }

        private void ParseRid(int lineNumber, MediaDescription media, string argument)
        {
            // <rid-id> <send|recv> [<restrictions>]
            string[] fields = argument.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !IsRidId(fields[0]))
            {
                Error(lineNumber, $"bad rid: {Excerpt(argument)}");
                return;
            }

            SdpDirection? direction = fields[1] switch
            {
                "send" => SdpDirection.SendOnly,
                "recv" => SdpDirection.RecvOnly,
                _ => null,
            };
            if (direction is null)
            {
                Error(lineNumber, $"rid direction is neither send nor recv: {Excerpt(fields[1])}");
                return;
            }

            if (media.Rids.Count >= limits.MaxRids || media.Rids.Any(rid => rid.Id == fields[0]))
            {
                Error(lineNumber, $"rid {fields[0]} repeated or too many rids");
                return;
            }

            media.Rids.Add(new SdpRid(fields[0], direction.Value, fields.Length > 2 ? fields[2] : ""));
        }

        private void ParseSimulcast(int lineNumber, MediaDescription media, string argument)
        {
            // send <streams> [recv <streams>], streams = alternatives separated by ';', alternatives by ',', ~ = paused
            string[] fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is not (2 or 4))
            {
                Error(lineNumber, $"bad simulcast: {Excerpt(argument)}");
                return;
            }

            var simulcast = new SdpSimulcast();
            for (int i = 0; i < fields.Length; i += 2)
            {
                List<IReadOnlyList<SdpSimulcastStream>>? target = fields[i] switch
                {
                    "send" => simulcast.Send,
                    "recv" => simulcast.Receive,
                    _ => null,
                };
                if (target is null || target.Count > 0 || !TryParseSimulcastStreams(fields[i + 1], target))
                {
                    Error(lineNumber, $"bad simulcast: {Excerpt(argument)}");
                    return;
                }
            }

            media.Simulcast = simulcast;
        }

        private bool TryParseSimulcastStreams(string list, List<IReadOnlyList<SdpSimulcastStream>> target)
        {
            foreach (string stream in list.Split(';'))
            {
                var alternatives = new List<SdpSimulcastStream>();
                foreach (string alternative in stream.Split(','))
                {
                    bool paused = alternative.StartsWith('~');
                    string rid = paused ? alternative[1..] : alternative;
                    if (!IsRidId(rid))
                    {
                        return false;
                    }

                    alternatives.Add(new SdpSimulcastStream(rid, paused));
                }

                if (target.Count >= limits.MaxRids)
                {
                    return false;
                }

                target.Add(alternatives);
            }

            return true;
        }

        private void ParseCandidate(int lineNumber, MediaDescription media, string argument)
        {
            // <foundation> <component> <transport> <priority> <address> <port> typ <type> [...]
            string[] fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || fields[6] != "typ"
                || !TryParseInt(fields[1], 1, 256, out int component)
                || !uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
                || !TryParseInt(fields[5], 0, 65535, out int port))
            {
                Error(lineNumber, $"bad candidate: {Excerpt(argument)}");
                return;
            }

            if (media.Candidates.Count >= limits.MaxCandidatesPerSection)
            {
                Error(lineNumber, $"more than {limits.MaxCandidatesPerSection} candidates in one m-section");
                return;
            }

            media.Candidates.Add(new SdpCandidate(fields[0], component, fields[2], priority, fields[4], port, fields[7]));
        }

        private bool TryParsePayloadType(int lineNumber, MediaDescription media, string text, out int payloadType)
        {
            if (!TryParseInt(text, 0, 127, out payloadType))
            {
                Error(lineNumber, $"payload type is not 0–127: {Excerpt(text)}");
                return false;
            }

            if (!media.Formats.Contains(text))
            {
                Error(lineNumber, $"payload type {payloadType} is not in the m= line");
                return false;
            }

            return true;
        }

        private string? NonEmpty(int lineNumber, string name, string value)
        {
            if (value.Length == 0)
            {
                Error(lineNumber, $"a={name} without a value");
                return null;
            }

            return value;
        }

        private bool IsRidId(string rid) =>
            rid.Length > 0 && rid.Length <= limits.MaxRidLength && rid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

        private static bool TryParseInt(string text, int minimum, int maximum, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum && value <= maximum;
    }
}
