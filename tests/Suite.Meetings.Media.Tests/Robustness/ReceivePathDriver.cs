using System.Net;
using Suite.Meetings.Media.Demux;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Tests.Robustness;

/// <summary>What one datagram did on the way through <see cref="ReceivePathDriver"/>.</summary>
internal readonly record struct DriverResult(PacketKind Kind, bool StunAnswered, bool SrtpAccepted, bool SrtcpAccepted);

/// <summary>
/// Runs one datagram through everything the future receive loop will run on it: demultiplexing, the ICE-lite
/// responder, STUN attribute accessors, RTP header and extension parsing, every RTCP parser, and SRTP/SRTCP
/// unprotection under both profiles. Works on a private copy (unprotect is in place) and keeps tallies.
/// </summary>
internal sealed class ReceivePathDriver : IDisposable
{
    public const string LocalUfrag = "fuzz";
    public const string LocalPassword = "fuzzfuzzfuzzfuzzfuzzfuzz";

    private static readonly IPAddress Remote = IPAddress.Parse("198.51.100.1");

    private readonly byte[] _work = new byte[2048];
    private readonly byte[] _response = new byte[1024];
    private readonly byte[] _address = new byte[16];
    private readonly ushort[] _lost = new ushort[4096];
    private readonly TransportCcPacket[] _feedback = new TransportCcPacket[1024];
    private readonly SrtpContext[] _inbound;

    public ReceivePathDriver(SrtpContext cmInbound, SrtpContext gcmInbound)
    {
        Credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        _inbound = [cmInbound, gcmInbound];
    }

    public IceLiteCredentials Credentials { get; }

    public long StunParsed { get; private set; }

    public long StunRejected { get; private set; }

    public long StunAnswered { get; private set; }

    public long RtpParsed { get; private set; }

    public long RtpRejected { get; private set; }

    public long RtcpPacketsWalked { get; private set; }

    public long RtcpCompoundRejected { get; private set; }

    public long FeedbackDecoded { get; private set; }

    public long SrtpAccepted { get; private set; }

    public long SrtpRejected { get; private set; }

    public long OtherDropped { get; private set; }

    public DriverResult Feed(ReadOnlySpan<byte> datagram)
    {
        PacketKind kind = PacketClassifier.Classify(datagram);
        return kind switch
        {
            PacketKind.Stun => new DriverResult(kind, FeedStun(datagram), false, false),
            PacketKind.Rtp => new DriverResult(kind, false, FeedRtp(datagram), false),
            PacketKind.Rtcp => new DriverResult(kind, false, false, FeedRtcp(datagram)),
            _ => Drop(kind),
        };
    }

    public void Dispose() => Credentials.Dispose();

    private DriverResult Drop(PacketKind kind)
    {
        OtherDropped++;
        return new DriverResult(kind, false, false, false);
    }

    private bool FeedStun(ReadOnlySpan<byte> datagram)
    {
        if (StunMessage.TryParse(datagram, out StunMessage message, out _))
        {
            StunParsed++;
            foreach (StunAttribute attribute in message.Attributes)
            {
                _ = attribute.Value.Length;
            }

            message.TryGetPriority(out _);
            message.TryGetIceControlling(out _);
            message.TryGetXorMappedAddress(_address, out _, out _);
            message.TryGetErrorCode(out _, out _);
            message.VerifyFingerprint();
            message.VerifyMessageIntegrity(Credentials.Key);
        }
        else
        {
            StunRejected++;
        }

        IceBindingOutcome outcome = IceLiteBindingResponder.Process(datagram, Credentials, Remote, 5000, _response, out int length, out _);
        bool answered = outcome == IceBindingOutcome.Success && length > 0;
        if (answered)
        {
            StunAnswered++;
        }

        return answered;
    }

    private bool FeedRtp(ReadOnlySpan<byte> datagram)
    {
        ParseRtp(datagram);
        bool accepted = false;
        foreach (SrtpContext context in _inbound)
        {
            Span<byte> work = Copy(datagram);
            if (context.UnprotectRtp(work, out int plainLength) == SrtpError.None)
            {
                accepted = true;
                SrtpAccepted++;
                ParseRtp(work[..plainLength]);
            }
            else
            {
                SrtpRejected++;
            }
        }

        return accepted;
    }

    private void ParseRtp(ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryParse(packet, out RtpHeader header, out _))
        {
            RtpRejected++;
            return;
        }

        RtpParsed++;
        RtpHeaderExtensionReader extensions = header.GetExtensions(packet);
        while (extensions.MoveNext())
        {
            _ = extensions.Current.Value.Length;
        }

        extensions.TryFind(3, out _);
        for (int i = 0; i < header.CsrcCount; i++)
        {
            header.GetCsrc(packet, i);
        }

        _ = header.GetPayload(packet).Length;
    }

    private bool FeedRtcp(ReadOnlySpan<byte> datagram)
    {
        WalkRtcp(datagram);
        bool accepted = false;
        foreach (SrtpContext context in _inbound)
        {
            Span<byte> work = Copy(datagram);
            if (context.UnprotectRtcp(work, out int plainLength) == SrtpError.None)
            {
                accepted = true;
                SrtpAccepted++;
                WalkRtcp(work[..plainLength]);
            }
            else
            {
                SrtpRejected++;
            }
        }

        return accepted;
    }

    private void WalkRtcp(ReadOnlySpan<byte> datagram)
    {
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
            RtcpPacketsWalked++;
            ParseRtcpPacket(reader.Current);
        }

        if (reader.Error != RtcpParseError.None)
        {
            RtcpCompoundRejected++;
        }
    }

    private void ParseRtcpPacket(in RtcpPacket packet)
    {
        if (RtcpSenderReport.TryParse(packet, out RtcpSenderReport sr, out _))
        {
            for (int i = 0; i < sr.ReportCount; i++)
            {
                sr.GetReportBlock(i);
            }
        }

        if (RtcpReceiverReport.TryParse(packet, out RtcpReceiverReport rr, out _))
        {
            for (int i = 0; i < rr.ReportCount; i++)
            {
                rr.GetReportBlock(i);
            }
        }

        var sdes = new RtcpSdesReader(packet);
        while (sdes.MoveNext())
        {
            _ = sdes.Current.Value.Length;
        }

        if (RtcpGoodbye.TryParse(packet, out RtcpGoodbye bye, out _))
        {
            for (int i = 0; i < bye.SourceCount; i++)
            {
                bye.GetSsrc(i);
            }
        }

        if (RtcpNack.TryParse(packet, out RtcpNack nack, out _))
        {
            FeedbackDecoded++;
            nack.GetLostSequenceNumbers(_lost);
        }

        if (RtcpFullIntraRequest.TryParse(packet, out RtcpFullIntraRequest fir, out _))
        {
            FeedbackDecoded++;
            for (int i = 0; i < fir.EntryCount; i++)
            {
                fir.GetEntry(i, out _, out _);
            }
        }

        if (RtcpRemb.TryParse(packet, out RtcpRemb remb, out _))
        {
            FeedbackDecoded++;
            for (int i = 0; i < remb.SsrcCount; i++)
            {
                remb.GetSsrc(i);
            }
        }

        if (RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.PictureLossIndication, out _, out _))
        {
            FeedbackDecoded++;
        }

        if (TransportCcFeedback.TryParse(packet, out _, out _, out _, _feedback, out _, out _))
        {
            FeedbackDecoded++;
        }
    }

    private Span<byte> Copy(ReadOnlySpan<byte> datagram)
    {
        Span<byte> work = _work.AsSpan(0, datagram.Length);
        datagram.CopyTo(work);
        return work;
    }
}
