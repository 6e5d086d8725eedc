using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>
/// One WebRTC transport of the load generator: its own UDP socket on 127.0.0.1, ICE as the controlling agent towards an
/// ICE-lite SFU (binding requests with the SFU's ufrag/pwd, USE-CANDIDATE, then one every 2 s as consent), the DTLS
/// client handshake, and the SRTP contexts. Its datagrams are read by a <see cref="ReceiveGroup"/> thread, which calls
/// <see cref="OnDatagram"/>; the receive-side state below is only touched by that thread.
/// </summary>
internal sealed class Peer : IDisposable
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly byte[] _rtcpBuffer = new byte[1500];
    private volatile StreamState[] _reportedStreams = [];
    private readonly TaskCompletionSource _iceSucceeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _stunBuffer = new byte[512];
    private readonly object _sendGate = new();
    private QueuedDatagramTransport? _dtls;
    private StunIntegrityKey? _remoteKey;
    private StunIntegrityKey? _localKey;
    private string? _stunUsername;

    public Peer(string name, DtlsCertificate certificate)
    {
        Name = name;
        Certificate = certificate;
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Socket.ReceiveBufferSize = 4 << 20;
        Socket.SetRawSocketOption(ReceiveGroup.SolSocket, ReceiveGroup.SoTimestampNs, BitConverter.GetBytes(1));
        Socket.Blocking = false;
        Local = new LocalTransport(
            RandomNumberGenerator.GetString(IceChars, 8),
            RandomNumberGenerator.GetString(IceChars, 24),
            certificate.Fingerprint.ToSdpValue(),
            (IPEndPoint)Socket.LocalEndPoint!);
    }

    public string Name { get; }

    public DtlsCertificate Certificate { get; }

    public Socket Socket { get; }

    public LocalTransport Local { get; }

    public RemoteDescription? Remote { get; private set; }

    /// <summary>Protects what this peer sends (publishers only; used by the pacing thread alone).</summary>
    public SrtpContext? Outbound { get; private set; }

    /// <summary>Unprotects what the SFU sends (used by the receive thread alone).</summary>
    public SrtpContext? Inbound { get; private set; }

    /// <summary>RTP payload types that carry audio (the others are video).</summary>
    public HashSet<int> AudioPayloadTypes { get; } = [SdpText.AudioPayloadType];

    /// <summary>Called on the receive thread with each decrypted RTCP compound packet (publishers: PLI/FIR).</summary>
    public Action<ReadOnlySpan<byte>>? OnRtcp { get; set; }

    public long AudioPackets;
    public long VideoPackets;

    public bool Connected => Inbound is not null;

    /// <summary>ICE then DTLS with the SFU of <paramref name="remote"/>; returns once SRTP keys are set.</summary>
    public async Task ConnectAsync(RemoteDescription remote, CancellationToken cancellation)
    {
        Remote = remote;
        _remoteKey = StunIntegrityKey.FromPassword(remote.Pwd);
        _localKey = StunIntegrityKey.FromPassword(Local.Pwd);
        _stunUsername = $"{remote.Ufrag}:{Local.Ufrag}";
        Socket.Connect(remote.Candidate);
        _dtls = new QueuedDatagramTransport(SendDatagram);

        var deadline = Stopwatch.StartNew();
        while (!_iceSucceeded.Task.IsCompleted)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"{Name}: no STUN binding response from {remote.Candidate}");
            }

            SendBindingRequest(useCandidate: true);
            await Task.WhenAny(_iceSucceeded.Task, Task.Delay(deadline.Elapsed < TimeSpan.FromSeconds(1) ? 50 : 250, cancellation));
        }

        if (!DtlsFingerprint.TryParse(remote.Fingerprint, out DtlsFingerprint? fingerprint))
        {
            throw new FormatException($"{Name}: bad fingerprint {remote.Fingerprint}");
        }

        var client = new DtlsSrtpClient(Certificate, fingerprint);
        QueuedDatagramTransport transport = _dtls;
        transport.SetDeadline(TimeSpan.FromSeconds(20));
        // BouncyCastle's handshake blocks: a thread of its own, not the thread pool's async workers.
        await Task.Factory.StartNew(
            () => new DtlsClientProtocol(new SecureRandom()).Connect(client, transport),
            cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        transport.ClearDeadline();
        DtlsHandshakeResult result = client.Result ?? throw new InvalidOperationException($"{Name}: handshake ended without keys");
        result.CreateSrtpContexts(out SrtpContext outbound, out SrtpContext inbound);
        Outbound = outbound;
        Inbound = inbound;
    }

    /// <summary>For the harness floor: no ICE or DTLS, both directions keyed with <paramref name="key"/>.</summary>
    public void UsePresharedKeys(SrtpMasterKey key, IPEndPoint? peer)
    {
        if (peer is not null)
        {
            Socket.Connect(peer);
        }

        Outbound = key.CreateContext();
        Inbound = key.CreateContext();
    }

    /// <summary>A binding request towards the SFU (RFC 8445 §7.2.4): the nomination first, consent afterwards (RFC 7675).</summary>
    public void SendBindingRequest(bool useCandidate)
    {
        if (_remoteKey is null || _stunUsername is null)
        {
            return;
        }

        Span<byte> transaction = stackalloc byte[StunConstants.TransactionIdLength];
        RandomNumberGenerator.Fill(transaction);
        lock (_sendGate)
        {
            var writer = new StunMessageWriter(_stunBuffer, StunMessageType.BindingRequest, transaction);
            writer.AddUsername(Encoding.UTF8.GetBytes(_stunUsername));
            writer.AddPriority(1853824767);
            writer.AddIceControlling(0x0123456789abcdef);
            if (useCandidate)
            {
                writer.AddUseCandidate();
            }

            writer.AddMessageIntegrity(_remoteKey);
            writer.AddFingerprint();
            if (writer.TryComplete(out int length))
            {
                SendDatagram(_stunBuffer.AsSpan(0, length));
            }
        }
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            Socket.Send(datagram);
        }
        catch (SocketException)
        {
            // The SFU went away (end of a scenario); nothing to do.
        }
    }

    private void SendDatagram(ReadOnlySpan<byte> datagram) => Send(datagram);

    /// <summary>Demultiplexes one datagram (RFC 7983) on the receive thread; arrivals are CLOCK_REALTIME ns (kernel, handler).</summary>
    public void OnDatagram(Span<byte> data, long kernelArrival, long handlerArrival, ReceiveStats stats)
    {
        byte first = data[0];
        if (first < 4)
        {
            OnStun(data);
        }
        else if (first is >= 20 and < 64)
        {
            _dtls?.TryEnqueue(data);
        }
        else if (first is >= 128 and < 192 && data.Length >= 12)
        {
            if (data[1] is >= 192 and <= 223)
            {
                OnSrtcp(data);
            }
            else
            {
                OnSrtp(data, kernelArrival, handlerArrival, stats);
            }
        }
    }

    private void OnStun(Span<byte> data)
    {
        if (!StunMessage.TryParse(data, out StunMessage message, out _))
        {
            return;
        }

        if (message.MessageType == StunMessageType.BindingSuccessResponse)
        {
            _iceSucceeded.TrySetResult();
        }
        else if (message.IsBindingRequest && _localKey is not null && message.VerifyMessageIntegrity(_localKey))
        {
            // An SFU doing full ICE (or consent) checks us: answer as a browser does.
            IPEndPoint from = (IPEndPoint)Socket.RemoteEndPoint!;
            lock (_sendGate)
            {
                var writer = new StunMessageWriter(_stunBuffer, StunMessageType.BindingSuccessResponse, message.TransactionId);
                writer.AddXorMappedAddress(from.Address, (ushort)from.Port);
                writer.AddMessageIntegrity(_localKey);
                writer.AddFingerprint();
                if (writer.TryComplete(out int length))
                {
                    Send(_stunBuffer.AsSpan(0, length));
                }
            }
        }
    }

    private void OnSrtcp(Span<byte> data)
    {
        if (OnRtcp is null || Inbound is null)
        {
            return;
        }

        if (Inbound.UnprotectRtcp(data, out int plainLength) == SrtpError.None)
        {
            OnRtcp(data[..plainLength]);
        }
    }

    private void OnSrtp(Span<byte> data, long kernelArrival, long handlerArrival, ReceiveStats stats)
    {
        if (Inbound is null)
        {
            return;
        }

        int payloadType = data[1] & 0x7f;
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        bool audio = AudioPayloadTypes.Contains(payloadType);
        if (audio)
        {
            AudioPackets++;
        }
        else
        {
            VideoPackets++;
        }

        if (!_streams.TryGetValue(ssrc, out StreamState? stream))
        {
            stream = new StreamState { Ssrc = ssrc, HighestSequence = sequence, LastLayer = -1 };
            _streams[ssrc] = stream;
            _reportedStreams = [.. _reportedStreams, stream];
        }

        int gap = 0;
        bool late = false, duplicate = false;
        if (stream.Seen)
        {
            int delta = (ushort)(sequence - stream.HighestSequence);
            if (delta == 0)
            {
                duplicate = true;
            }
            else if (delta < 0x8000)
            {
                gap = delta - 1;
                if (sequence < stream.HighestSequence)
                {
                    stream.Cycles++;
                }

                stream.HighestSequence = sequence;
                stream.Lost += gap;
            }
            else
            {
                late = true;
                stream.Lost--;
            }
        }

        stream.Seen = true;
        stream.Received++;
        bool recording = stats.Recording;
        int srtpLength = data.Length;
        if (recording)
        {
            stats.Packets++;
            stats.Bytes += srtpLength - Inbound.RtpOverhead;
            stats.Gaps += gap;
            stats.Late += late ? 1 : 0;
            stats.Duplicates += duplicate ? 1 : 0;
        }

        if (Inbound.UnprotectRtp(data, out int plainLength) != SrtpError.None)
        {
            if (recording && !duplicate && !late)
            {
                stats.DecryptErrors++;
            }

            return;
        }

        if (!Stamp.TryRead(data[..plainLength], out int layer, out long sentTimestamp))
        {
            return;
        }

        if (!audio && layer != stream.LastLayer)
        {
            if (stream.LastLayer >= 0 && recording)
            {
                stats.LayerSwitches++;
            }

            stream.LastLayer = layer;
        }

        if (recording)
        {
            stats.Record(layer, plainLength, kernelArrival - sentTimestamp, handlerArrival - sentTimestamp);
        }
    }

    /// <summary>
    /// A receiver report (RFC 3550 §6.4.2) with a block per received SSRC, as a browser sends about every second:
    /// the SFUs' loss-based estimates grow from clean reports. Called from the generator's timer thread only, which is
    /// then the only user of a subscriber's outbound SRTCP context.
    /// </summary>
    public void SendReceiverReport(uint senderSsrc)
    {
        SrtpContext? srtp = Outbound;
        StreamState[] streams = _reportedStreams;
        if (srtp is null || streams.Length == 0)
        {
            return;
        }

        var blocks = new RtcpReportBlock[Math.Min(streams.Length, 31)];
        for (int i = 0; i < blocks.Length; i++)
        {
            StreamState s = streams[i];
            long received = Volatile.Read(ref s.Received);
            long lost = Math.Max(0, Volatile.Read(ref s.Lost));
            long expectedInterval = (received - s.ReportedReceived) + (lost - s.ReportedLost);
            long lostInterval = lost - s.ReportedLost;
            byte fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
            s.ReportedReceived = received;
            s.ReportedLost = lost;
            uint extendedHighest = ((uint)s.Cycles << 16) | s.HighestSequence;
            blocks[i] = new RtcpReportBlock(s.Ssrc, fraction, (int)Math.Min(lost, RtcpReportBlock.MaxCumulativeLost), extendedHighest, 0, 0, 0);
        }

        int length = RtcpWriter.WriteReceiverReport(_rtcpBuffer, senderSsrc, blocks);
        if (length > 0 && srtp.ProtectRtcp(_rtcpBuffer, length, out int protectedLength) == SrtpError.None)
        {
            Send(_rtcpBuffer.AsSpan(0, protectedLength));
        }
    }

    public void Dispose()
    {
        _dtls?.Close();
        Socket.Dispose();
        Outbound?.Dispose();
        Inbound?.Dispose();
        _remoteKey?.Dispose();
        _localKey?.Dispose();
    }

    private sealed class StreamState
    {
        public uint Ssrc;
        public long Received;
        public long Lost;
        public int Cycles;
        public long ReportedReceived;
        public long ReportedLost;
        public bool Seen;
        public ushort HighestSequence;
        public int LastLayer;
    }
}
