using System.Buffers.Binary;
using System.Diagnostics;
using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Tests.Rooms;

public sealed class RoutingPartsTests
{
    private static byte[] PublisherPacket(ushort sequence, byte[] payload, bool withExtensions = true, bool padding = false)
    {
        var packet = new byte[12 + 16 + payload.Length + (padding ? 4 : 0)];
        RtpHeaderWriter.WriteFixedHeader(packet, marker: true, payloadType: 96, sequence, timestamp: 9000, ssrc: 0x11223344, hasExtension: withExtensions, hasPadding: padding);
        int offset = 12;
        if (withExtensions)
        {
            var writer = new RtpHeaderExtensionWriter(packet.AsSpan(12), twoByteForm: false);
            writer.Add(4, "0"u8); // the publisher's mid id
            writer.Add(5, [0x01, 0x02]); // its transport-wide sequence
            Assert.True(writer.TryComplete(out int block));
            offset += block;
        }

        payload.CopyTo(packet, offset);
        int length = offset + payload.Length;
        if (padding)
        {
            packet[length + 3] = 4;
            length += 4;
        }

        return packet[..length];
    }

    [Fact]
    public void The_subscriber_copy_carries_the_subscribers_extensions_and_the_payload_untouched()
    {
        byte[] payload = [0x90, 0x80, 0x05, 0xAA, 0xBB, 0xCC];
        byte[] source = PublisherPacket(100, payload);
        Assert.True(RtpHeader.TryParse(source, out RtpHeader header, out _));
        var destination = new byte[1500];

        int length = SubscriberPacketWriter.Write(destination, source, header, "7"u8, audioLevel: 0x85);

        Assert.True(RtpHeader.TryParse(destination.AsSpan(0, length), out RtpHeader written, out _));
        Assert.Equal(header.SequenceNumber, written.SequenceNumber);
        Assert.Equal(header.Timestamp, written.Timestamp);
        Assert.Equal(header.Ssrc, written.Ssrc);
        Assert.True(written.Marker);
        Assert.Equal(payload, written.GetPayload(destination.AsSpan(0, length)).ToArray());
        RtpHeaderExtensionReader extensions = written.GetExtensions(destination.AsSpan(0, length));
        Assert.True(extensions.TryFind(SubscriberPacketWriter.MidId, out ReadOnlySpan<byte> mid));
        Assert.Equal("7"u8.ToArray(), mid.ToArray());
        Assert.True(extensions.TryFind(SubscriberPacketWriter.AudioLevelId, out ReadOnlySpan<byte> level));
        Assert.Equal(0x85, level[0]);
        Assert.False(extensions.TryFind(5, out _)); // the publisher's transport-wide number stays behind
    }

    [Fact]
    public void Padding_survives_the_copy_and_a_too_small_buffer_is_refused()
    {
        byte[] source = PublisherPacket(7, [1, 2, 3], withExtensions: false, padding: true);
        Assert.True(RtpHeader.TryParse(source, out RtpHeader header, out _));
        var destination = new byte[1500];

        int length = SubscriberPacketWriter.Write(destination, source, header, "0"u8, audioLevel: -1);
        Assert.True(RtpHeader.TryParse(destination.AsSpan(0, length), out RtpHeader written, out _));
        Assert.True(written.HasPadding);
        Assert.Equal(4, written.PaddingLength);
        Assert.Equal(new byte[] { 1, 2, 3 }, written.GetPayload(destination.AsSpan(0, length)).ToArray());

        Assert.Equal(0, SubscriberPacketWriter.Write(new byte[20], source, header, "0"u8, -1));
        Assert.Equal(0, SubscriberPacketWriter.Write(destination, source, header, "this-mid-is-far-too-long"u8, -1));
    }

    [Fact]
    public void Transport_feedback_reports_every_packet_once_with_losses_and_arrival_times()
    {
        var recorder = new TransportCcRecorder();
        long start = 5_000_000;
        ushort[] arrivalOrder = [65533, 65534, 0, 2, 1, 4]; // a wrap, a reordering, 65535 and 3 lost
        for (int i = 0; i < arrivalOrder.Length; i++)
        {
            recorder.Record(arrivalOrder[i], start + (i * 500L));
        }

        var buffer = new byte[1500];
        int length = recorder.WriteFeedback(buffer, senderSsrc: 1, mediaSsrc: 2);

        Assert.True(length > 0);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.MoveNext());
        var statuses = new TransportCcPacket[32];
        Assert.True(TransportCcFeedback.TryParse(reader.Current, out _, out uint mediaSsrc, out _, statuses, out int count, out _));
        Assert.Equal(2u, mediaSsrc);
        Assert.Equal(8, count); // 65533 … 4
        Assert.Equal(65533, statuses[0].SequenceNumber);
        Assert.Equal([true, true, false, true, true, true, false, true], statuses[..count].Select(s => s.Received));
        Assert.Equal(0, recorder.WriteFeedback(buffer, 1, 2)); // nothing new

        recorder.Record(5, start + 9000);
        recorder.Record(4, start + 9500); // already reported: ignored
        length = recorder.WriteFeedback(buffer, 1, 2);
        reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.MoveNext());
        Assert.True(TransportCcFeedback.TryParse(reader.Current, out _, out _, out _, statuses, out count, out _));
        Assert.Equal(1, count);
        Assert.Equal(5, statuses[0].SequenceNumber);
    }

    [Fact]
    public void A_source_stream_reports_loss_and_asks_again_for_what_is_missing_a_bounded_number_of_times()
    {
        var track = new PublishedTrack("t1", null!, VideoMedia(), MediaTrackSource.Camera);
        var stream = new SourceStream(track, 0xABCDEF, 0);
        long now = Stopwatch.GetTimestamp();
        foreach (ushort sequence in new ushort[] { 10, 11, 12, 15, 16 })
        {
            stream.OnPacket(Header(sequence), 1000, now, 90000, retransmission: false);
        }

        Span<ushort> nacks = stackalloc ushort[16];
        int count = stream.CollectNacks(now, nacks);
        Assert.Equal(new ushort[] { 13, 14 }, nacks[..count].ToArray().Order());
        Assert.Equal(0, stream.CollectNacks(now, nacks)); // not again before the retry interval

        stream.OnPacket(Header(13), 1000, now, 90000, retransmission: true); // the retransmission arrived
        long later = now + Stopwatch.Frequency / 10;
        count = stream.CollectNacks(later, nacks);
        Assert.Equal(new ushort[] { 14 }, nacks[..count].ToArray());

        RtcpReportBlock block = stream.BuildReportBlock(later);
        Assert.Equal(0xABCDEFu, block.Ssrc);
        Assert.Equal(16u, block.ExtendedHighestSequence);
        Assert.Equal(1, block.CumulativeLost); // 7 expected, 6 received
        Assert.Equal((byte)(256 / 7), block.FractionLost);

        for (int retry = 1; retry <= 5; retry++)
        {
            stream.CollectNacks(later + (retry * Stopwatch.Frequency / 10), nacks);
        }

        Assert.Equal(0, stream.CollectNacks(later + Stopwatch.Frequency, nacks)); // gave up
    }

    [Theory]
    [InlineData(new byte[] { 0x65, 0x88 }, true)] // IDR slice
    [InlineData(new byte[] { 0x67, 0x42 }, true)] // SPS
    [InlineData(new byte[] { 0x41, 0x9A }, false)] // non-IDR slice
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68 }, true)] // STAP-A holding an SPS
    [InlineData(new byte[] { 0x78, 0x00, 0x09, 0x67 }, false)] // STAP-A with a lying size
    [InlineData(new byte[] { 0x7C, 0x85, 0x00 }, true)] // FU-A starting an IDR
    [InlineData(new byte[] { 0x7C, 0x05, 0x00 }, false)] // FU-A continuing an IDR
    [InlineData(new byte[] { 0x65 }, false)] // truncated
    public void H264_keyframes_are_recognised_in_every_packetization(byte[] payload, bool keyframe) =>
        Assert.Equal(keyframe, KeyframeDetector.IsKeyframeStart(VideoCodecKind.H264, payload));

    [Theory]
    [InlineData(new byte[] { 0x08 }, true)] // start of frame, not inter-predicted
    [InlineData(new byte[] { 0x48 }, false)] // inter-predicted
    [InlineData(new byte[] { 0x00 }, false)] // not the start of a frame
    [InlineData(new byte[] { 0xA8, 0x12, 0x00 }, true)] // picture id, layer indices: spatial layer 0
    [InlineData(new byte[] { 0xA8, 0x12, 0x02 }, false)] // spatial layer 1
    [InlineData(new byte[] { 0xA8 }, false)] // truncated
    [InlineData(new byte[0], false)]
    public void Vp9_keyframes_start_on_spatial_layer_zero(byte[] payload, bool keyframe) =>
        Assert.Equal(keyframe, KeyframeDetector.IsKeyframeStart(VideoCodecKind.Vp9, payload));

    private static RtpHeader Header(ushort sequence)
    {
        var packet = new byte[20];
        RtpHeaderWriter.WriteFixedHeader(packet, false, 96, sequence, (uint)(sequence * 3000), 0xABCDEF);
        Assert.True(RtpHeader.TryParse(packet, out RtpHeader header, out _));
        return header;
    }

    private static Suite.Meetings.Media.Sdp.MediaDescription VideoMedia()
    {
        var session = new Suite.Meetings.Media.Sdp.SessionDescription();
        var media = new Suite.Meetings.Media.Sdp.MediaDescription(session, 0, "video", 9, "UDP/TLS/RTP/SAVPF") { Mid = "1" };
        media.Codecs.Add(new Suite.Meetings.Media.Sdp.SdpCodec(96, "VP8", 90000, 1));
        return media;
    }
}
