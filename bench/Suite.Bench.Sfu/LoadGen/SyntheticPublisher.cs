using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Suite.Meetings.Media.Srtp;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>
/// A browser-like sender, the same synthetic media as bench/sfu/stream.mjs: VP8 in 3 rid simulcast layers (q/h/f ≈
/// 150/500/1,500 kbit/s, 30 frames/s, ±25 % frame sizes, a 6× keyframe every 3 s and on PLI/FIR, ≤ 1,100-byte payloads
/// with a real VP8 descriptor and frame tag) plus Opus (20 ms, 80–120 bytes, audio level −30 dBov with voice). Packets
/// are paced as libwebrtc's pacer does (audio first, then video at 2.5× the media rate), and each is stamped with the
/// time it is handed to the socket (<see cref="Stamp"/>), just before SRTP protection.
/// </summary>
internal sealed class SyntheticPublisher
{
    public const double PacingFactor = 2.5;
    private const int Fps = 30;
    private const int MaxPayload = 1100;
    private const int KeyframeIntervalMs = 3000;
    private static readonly (string Rid, int Kbps, int Width, int Height)[] Layers =
    [
        ("q", 150, 320, 180),
        ("h", 500, 640, 360),
        ("f", 1500, 1280, 720),
    ];

    private static readonly byte[] Noise = CreateNoise();

    private readonly Peer _peer;
    private readonly LayerState[] _layers;
    private readonly uint _audioSsrc;
    private readonly Queue<PendingPacket> _audioQueue = new();
    private readonly Queue<PendingPacket> _videoQueue = new();
    private readonly byte[] _packet = new byte[1600];
    private readonly string[] _mids;
    private ushort _audioSequence = (ushort)Random.Shared.Next();
    private uint _audioTimestamp = (uint)Random.Shared.Next();
    private ushort _transportSequence;
    private double _budgetBytes;

    public SyntheticPublisher(Peer peer, uint audioSsrc, string audioMid = "0", string videoMid = "1")
    {
        _peer = peer;
        _audioSsrc = audioSsrc;
        _mids = [audioMid, videoMid];
        _layers = Layers.Select((l, i) => new LayerState(i, (uint)Random.Shared.NextInt64(1, uint.MaxValue))).ToArray();
        peer.OnRtcp = OnRtcp;
    }

    /// <summary>Floor mode: every packet also goes straight to these receivers (no SFU).</summary>
    public List<SocketAddress> Targets { get; } = [];

    /// <summary>Floor mode: the one video layer sent to <see cref="Targets"/>, as an SFU would forward it.</summary>
    public int FloorLayer { get; init; } = 2;

    public PublisherCounters Sent { get; private set; } = new();

    public static IReadOnlyList<string> Rids(bool highFirst) =>
        highFirst ? Layers.Reverse().Select(l => l.Rid).ToArray() : Layers.Select(l => l.Rid).ToArray();

    /// <summary>Media rate in bytes/s (all layers and audio), for the pacing budget.</summary>
    public static double MediaBytesPerSecond => (Layers.Sum(l => l.Kbps) + 40) * 1000 / 8.0;

    public void ResetCounters() => Sent = new PublisherCounters();

    /// <summary>Queues the audio frame due now.</summary>
    public void QueueAudio()
    {
        int size = 80 + Random.Shared.Next(41);
        _audioSequence++;
        _audioTimestamp += 960;
        _audioQueue.Enqueue(new PendingPacket(Stamp.AudioLayer, _audioSequence, _audioTimestamp, false, size, false, false));
    }

    /// <summary>Queues the frame of every layer due now.</summary>
    public void QueueVideoFrames(long nowMs)
    {
        foreach (LayerState layer in _layers)
        {
            bool keyframe = layer.ForceKeyframe || nowMs - layer.LastKeyframeMs >= KeyframeIntervalMs;
            if (keyframe)
            {
                layer.ForceKeyframe = false;
                layer.LastKeyframeMs = nowMs;
                layer.KeyIndex = (layer.KeyIndex + 1) & 0x1f;
                Sent.Keyframes++;
            }

            double mean = Layers[layer.Index].Kbps * 1000 / 8.0 / Fps;
            double baseBytes = keyframe ? mean * 6 : ((mean * 90) - (mean * 6)) / 89;
            int frameBytes = Math.Max(60, (int)Math.Round(baseBytes * (0.75 + (Random.Shared.NextDouble() * 0.5))));
            layer.PictureId = (layer.PictureId + 1) & 0x7fff;
            layer.Tl0 = (layer.Tl0 + 1) & 0xff;
            layer.Timestamp += 90000 / Fps;
            int count = (frameBytes + MaxPayload - 1) / MaxPayload;
            int left = frameBytes;
            for (int i = 0; i < count; i++)
            {
                int size = (left + (count - i) - 1) / (count - i);
                left -= size;
                layer.Sequence++;
                _videoQueue.Enqueue(new PendingPacket(layer.Index, layer.Sequence, layer.Timestamp, i == count - 1, size, i == 0, keyframe));
            }
        }
    }

    /// <summary>Sends what the pacing budget allows after <paramref name="elapsedSeconds"/>: audio first, then video.</summary>
    public void Pace(double elapsedSeconds)
    {
        _budgetBytes = Math.Min(_budgetBytes + (elapsedSeconds * MediaBytesPerSecond * PacingFactor), 12_000);
        while (_audioQueue.TryDequeue(out PendingPacket audio))
        {
            SendPacket(audio);
        }

        while (_budgetBytes > 0 && _videoQueue.TryDequeue(out PendingPacket video))
        {
            _budgetBytes -= video.PayloadSize;
            SendPacket(video);
        }
    }

    private void SendPacket(PendingPacket p)
    {
        SrtpContext? srtp = _peer.Outbound;
        if (srtp is null || (Targets.Count > 0 && p.Layer != Stamp.AudioLayer && p.Layer != FloorLayer))
        {
            return;
        }

        Span<byte> packet = _packet;
        bool audio = p.Layer == Stamp.AudioLayer;
        LayerState? layer = audio ? null : _layers[p.Layer];
        packet[0] = 0x90; // V=2, X=1
        packet[1] = (byte)((p.Marker ? 0x80 : 0) | (audio ? SdpText.AudioPayloadType : SdpText.VideoPayloadType));
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], p.Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], p.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], audio ? _audioSsrc : layer!.Ssrc);
        int offset = WriteExtensions(packet, audio, layer);
        int payloadStart = offset;
        if (audio)
        {
            offset += Stamp.Size;
        }
        else
        {
            offset = WriteVp8Header(packet, offset, layer!, p);
            offset += Stamp.Size;
        }

        int end = payloadStart + Math.Max(p.PayloadSize, offset - payloadStart);
        Noise.AsSpan(Random.Shared.Next(4096), end - offset).CopyTo(packet[offset..]);
        int stampOffset = offset - Stamp.Size;

        Stamp.Write(packet[stampOffset..], p.Layer, Clock.RealtimeNanoseconds());
        if (srtp.ProtectRtp(packet, end, out int protectedLength) != SrtpError.None)
        {
            return;
        }

        if (Targets.Count == 0)
        {
            _peer.Send(packet[..protectedLength]);
        }
        else
        {
            foreach (SocketAddress target in Targets)
            {
                _peer.Socket.SendTo(packet[..protectedLength], SocketFlags.None, target);
            }
        }

        Sent.Packets++;
        Sent.Bytes += end - payloadStart;
        Sent.ByLayer[p.Layer]++;
    }

    private int WriteExtensions(Span<byte> packet, bool audio, LayerState? layer)
    {
        // RFC 8285 one-byte form.
        int start = 12;
        packet[start] = 0xBE;
        packet[start + 1] = 0xDE;
        int o = start + 4;
        byte mid = (byte)_mids[audio ? 0 : 1][0];
        packet[o++] = SdpText.MidExtension << 4;
        packet[o++] = mid;
        if (audio)
        {
            packet[o++] = SdpText.AudioLevelExtension << 4;
            packet[o++] = 0x80 | 30; // voice, −30 dBov
        }
        else
        {
            packet[o++] = SdpText.RidExtension << 4;
            packet[o++] = (byte)Layers[layer!.Index].Rid[0];
            _transportSequence++;
            packet[o++] = (SdpText.TransportCcExtension << 4) | 1;
            BinaryPrimitives.WriteUInt16BigEndian(packet[o..], _transportSequence);
            o += 2;
            long absSendTime = (long)(Stopwatch.GetTimestamp() * 262144.0 / Stopwatch.Frequency) & 0xffffff; // 6.18 fixed point
            packet[o++] = (SdpText.AbsSendTimeExtension << 4) | 2;
            packet[o++] = (byte)(absSendTime >> 16);
            packet[o++] = (byte)(absSendTime >> 8);
            packet[o++] = (byte)absSendTime;
        }

        while ((o - start) % 4 != 0)
        {
            packet[o++] = 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet[(start + 2)..], (ushort)((o - start - 4) / 4));
        return o;
    }

    private static int WriteVp8Header(Span<byte> packet, int o, LayerState layer, PendingPacket p)
    {
        // RFC 7741 descriptor: X, S (first packet), PID 0; I, L, T; 15-bit picture id; TL0PICIDX; TID 0, Y, KEYIDX.
        packet[o++] = (byte)(0x80 | (p.FirstOfFrame ? 0x10 : 0));
        packet[o++] = 0xe0;
        packet[o++] = (byte)(0x80 | (layer.PictureId >> 8));
        packet[o++] = (byte)layer.PictureId;
        packet[o++] = (byte)layer.Tl0;
        packet[o++] = (byte)(0x20 | (layer.KeyIndex & 0x1f));
        if (p.FirstOfFrame)
        {
            // VP8 frame tag: key frame bit (0 = key), version 0, show_frame, first partition size 400.
            int tag = (p.Keyframe ? 0 : 1) | (1 << 4) | (400 << 5);
            packet[o++] = (byte)tag;
            packet[o++] = (byte)(tag >> 8);
            packet[o++] = (byte)(tag >> 16);
            if (p.Keyframe)
            {
                (_, _, int width, int height) = Layers[layer.Index];
                packet[o++] = 0x9d;
                packet[o++] = 0x01;
                packet[o++] = 0x2a;
                packet[o++] = (byte)width;
                packet[o++] = (byte)(width >> 8);
                packet[o++] = (byte)height;
                packet[o++] = (byte)(height >> 8);
            }
        }

        return o;
    }

    /// <summary>PLI / FIR from the SFU (RFC 4585 §6.3.1, RFC 5104 §4.3.1): a keyframe on that layer, at most every 500 ms.</summary>
    private void OnRtcp(ReadOnlySpan<byte> compound)
    {
        long nowMs = Environment.TickCount64;
        int o = 0;
        while (o + 12 <= compound.Length)
        {
            int fmt = compound[o] & 0x1f;
            int type = compound[o + 1];
            int length = (BinaryPrimitives.ReadUInt16BigEndian(compound[(o + 2)..]) + 1) * 4;
            if (type == 206 && (fmt == 1 || (fmt == 4 && o + 16 <= compound.Length)))
            {
                uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(compound[(o + (fmt == 1 ? 8 : 12))..]);
                Sent.Plis++;
                foreach (LayerState layer in _layers)
                {
                    if (layer.Ssrc == ssrc && nowMs - layer.LastKeyframeMs > 500)
                    {
                        layer.ForceKeyframe = true;
                    }
                }
            }

            o += length;
        }
    }

    private static byte[] CreateNoise()
    {
        byte[] noise = new byte[8192];
        Random.Shared.NextBytes(noise);
        return noise;
    }

    private readonly record struct PendingPacket(int Layer, ushort Sequence, uint Timestamp, bool Marker, int PayloadSize, bool FirstOfFrame, bool Keyframe);

    private sealed class LayerState(int index, uint ssrc)
    {
        public int Index { get; } = index;
        public uint Ssrc { get; } = ssrc;
        public ushort Sequence = (ushort)Random.Shared.Next();
        public uint Timestamp = (uint)Random.Shared.Next();
        public int PictureId = Random.Shared.Next(0x7fff);
        public int Tl0 = Random.Shared.Next(256);
        public int KeyIndex;
        public volatile bool ForceKeyframe = true;
        public long LastKeyframeMs = long.MinValue / 2;
    }
}

/// <summary>What the publishers sent during a window.</summary>
internal sealed class PublisherCounters
{
    public long Packets;
    public long Bytes;
    public long Keyframes;
    public long Plis;
    public long[] ByLayer { get; } = new long[4];
}
