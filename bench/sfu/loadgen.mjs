// A load generator process (forked by run.mjs, driven over IPC): werift publishers that send the synthetic simulcast +
// Opus stream of stream.mjs, and werift subscribers that count what they receive and measure the added latency.
//
// Publisher: werift negotiates ICE/DTLS/SRTP for one sendonly audio + one sendonly video m-section; werift cannot send
// simulcast itself, so the offer is rewritten to announce a=rid q/h/f + a=simulcast:send q;h;f (its video a=ssrc lines
// removed, as a browser does for rid simulcast) and the packets of the three layers are written straight to werift's
// SRTP transport with their own SSRCs and the mid / rid / transport-cc / abs-send-time extensions (audio: mid +
// audio-level, talking: -30 dBov with the voice bit).
//
// Subscriber: a werift peer connection that answers the SFU's offer (recvonly); every RTP packet delivered by werift
// (after SRTP) is counted: packets, bytes (RTP header + payload), sequence gaps per SSRC (loss; a later arrival of an
// older sequence number — a retransmission — is subtracted), the layer it came from, and the added latency:
// arrival (process.hrtime.bigint() in the werift track callback) − stamp written by the publisher just before SRTP.
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
  RtpHeader,
  RtpPacket,
  createSelfSignedCertificate,
  useAbsSendTime,
  useNACK,
  usePLI,
  useREMB,
  useSdesMid,
  useSdesRTPStreamId,
  useTransportWideCC,
  useTWCC,
} from "werift";
import { FPS, LAYERS, Vp8Layer, opusPayload, readStamp, writeStamp } from "./stream.mjs";
import { JanusSignalling, OursSignalling, withTimeout } from "./signalling.mjs";

const DEBUG = process.env.SFU_BENCH_DEBUG === "1";
const debug = (...args) => DEBUG && console.error(`[loadgen ${process.pid} ${new Date().toISOString().slice(11, 23)}]`, ...args);
const AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

// One DTLS certificate per process (werift would make one per connection: a costly setup for 200 subscribers).
const dtlsKeys = await createSelfSignedCertificate({ hash: 4, signature: 3 }, 23); // sha256, ecdsa, secp256r1

function makePc() {
  return new RTCPeerConnection({
    dtls: { keys: dtlsKeys },
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 })],
      video: [
        new RTCRtpCodecParameters({
          mimeType: "video/VP8",
          clockRate: 90000,
          payloadType: 96,
          rtcpFeedback: [useNACK(), usePLI(), useREMB(), useTWCC()],
        }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), new RTCRtpHeaderExtensionParameters({ id: 10, uri: AUDIO_LEVEL_URI })],
      video: [useSdesMid(), useSdesRTPStreamId(), useTransportWideCC(), useAbsSendTime()],
    },
    iceInterfaceAddresses: { udp4: "127.0.0.1" },
    iceUseIpv6: false,
    iceUseTcp: false,
  });
}

async function gathered(pc) {
  for (let i = 0; i < 200 && pc.iceGatheringState !== "complete"; i++) await sleep(10);
}

async function connected(pc, what) {
  await withTimeout(
    new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === "connected") resolve();
        if (pc.connectionState === "failed") reject(new Error(`${what}: connection failed`));
      };
      pc.connectionStateChange.subscribe(check);
      check();
    }),
    20000,
    `${what}: connect`,
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Extmap ids of one m-section of an SDP: uri → id. */
function extmapIds(section) {
  const ids = {};
  for (const m of section.matchAll(/^a=extmap:(\d+)(?:\/\w+)? (\S+)/gm)) ids[m[2]] = Number(m[1]);
  return ids;
}

/** werift binds its sockets to 127.0.0.1 (iceInterfaceAddresses) but advertises the machine's other addresses: say 127.0.0.1. */
function loopbackCandidates(sdp) {
  return sdp.replace(/^(a=candidate:\S+ \d+ udp \d+ )(\S+)/gm, "$1127.0.0.1");
}

function splitSections(sdp) {
  const parts = sdp.split(/\r\n(?=m=)/);
  return { session: parts[0], media: parts.slice(1) };
}

/** One id per extension URI across the BUNDLE, as browsers do (werift numbers each m-section on its own, and an SFU
 * that keeps one id per transport — Janus — then cannot read the video's mid/rid). */
const EXTENSION_IDS = {
  "urn:ietf:params:rtp-hdrext:sdes:mid": 1,
  "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id": 2,
  "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01": 3,
  "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time": 4,
  [AUDIO_LEVEL_URI]: 5,
};

/** The publisher's offer as a browser sends it for rid simulcast. */
function simulcastOffer(sdp, highFirst) {
  const { session, media } = splitSections(sdp);
  const rewritten = media.map((section) => {
    section = section.replace(/^a=extmap:(\d+)(\/\w+)? (\S+)/gm, (line, id, dir, uri) => (EXTENSION_IDS[uri] ? `a=extmap:${EXTENSION_IDS[uri]}${dir ?? ""} ${uri}` : line));
    if (!section.startsWith("m=video")) return section;
    const lines = section.split("\r\n").filter((l) => l.length > 0 && !l.startsWith("a=ssrc:") && !l.startsWith("a=ssrc-group:"));
    // Browsers list the encodings in the order the page gave them: low → high (q;h;f) for ours, high → low for Janus,
    // as its own janus.js does (Janus 1.1.2 takes the first rid as the highest substream).
    const order = highFirst ? [...LAYERS].reverse() : LAYERS;
    for (const layer of order) lines.push(`a=rid:${layer.rid} send`);
    lines.push(`a=simulcast:send ${order.map((l) => l.rid).join(";")}`);
    return lines.join("\r\n");
  });
  return [session, ...rewritten].join("\r\n") + "\r\n";
}

const publishers = [];
const subscribers = [];
const oursCache = new Map();
const janusCache = new Map();
const signallingFor = (sfu, base) => {
  const cache = sfu === "janus" ? janusCache : oursCache;
  if (!cache.has(base)) cache.set(base, sfu === "janus" ? new JanusSignalling(base) : new OursSignalling(base));
  return cache.get(base);
};

class Publisher {
  constructor(id) {
    this.id = id;
    this.sent = { packets: 0, bytes: 0, byLayer: [0, 0, 0, 0], keyframes: 0, plis: 0, lateTicks: 0 };
  }

  async start({ sfu, base, room }) {
    const pc = (this.pc = makePc());
    const audio = pc.addTransceiver("audio", { direction: "sendonly" });
    const video = pc.addTransceiver("video", { direction: "sendonly" });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const offer = loopbackCandidates(simulcastOffer(pc.localDescription.sdp, sfu === "janus"));
    debug(`publisher ${this.id} offer`, offer);
    const signalling = signallingFor(sfu, base);
    let answer;
    if (sfu === "janus") {
      const published = await signalling.publish(room, this.id, offer);
      answer = published.answer;
      this.feed = published.feed;
    } else {
      await signalling.join(room, this.id);
      answer = await signalling.publish(room, this.id, offer);
    }
    debug(`publisher ${this.id} answer`, answer);
    await pc.setRemoteDescription({ type: "answer", sdp: answer });
    await connected(pc, `publisher ${this.id}`);
    debug(`publisher ${this.id} connected`);

    const sections = splitSections(offer).media;
    this.audioExt = extmapIds(sections.find((s) => s.startsWith("m=audio")));
    this.videoExt = extmapIds(sections.find((s) => s.startsWith("m=video")));
    this.audioMid = Buffer.from(audio.mid);
    this.videoMid = Buffer.from(video.mid);
    this.dtls = video.sender.dtlsTransport;
    this.audioSsrc = audio.sender.ssrc;
    this.layers = LAYERS.map((_, i) => new Vp8Layer(i));
    this.layerState = this.layers.map((l) => ({
      ssrc: (Math.random() * 0xfffffff0) >>> 0 || 1,
      seq: (Math.random() * 0xffff) | 0,
      ts: (Math.random() * 0xffffffff) >>> 0,
      rid: Buffer.from(l.spec.rid),
    }));
    this.audioState = { seq: (Math.random() * 0xffff) | 0, ts: (Math.random() * 0xffffffff) >>> 0 };
    this.twcc = 0;
    this.dtls.onRtcp.subscribe((packet) => this.onRtcp(packet));
    this.startSending();
    return { feed: this.feed };
  }

  onRtcp(packet) {
    if (packet.type !== 206) return; // PSFB: PLI / FIR
    this.sent.plis++;
    const now = performance.now();
    const ssrc = packet.feedback?.mediaSsrc;
    const layer = this.layerState.findIndex((s) => s.ssrc === ssrc);
    if (layer >= 0) this.layers[layer].requestKeyframe(now);
    else for (const l of this.layers) l.requestKeyframe(now);
  }

  startSending() {
    const framePeriod = 1000 / FPS;
    let nextVideo = performance.now();
    let nextAudio = nextVideo;
    this.timer = setInterval(() => {
      const now = performance.now();
      if (now - nextVideo > 250) {
        // The process was starved: do not burst what was missed.
        this.sent.lateTicks++;
        nextVideo = now;
        nextAudio = now;
      }
      while (nextAudio <= now) {
        this.sendAudio();
        nextAudio += 20;
      }
      while (nextVideo <= now) {
        for (let i = 0; i < this.layers.length; i++) this.sendFrame(i, now);
        nextVideo += framePeriod;
      }
    }, 5);
  }

  sendFrame(index, now) {
    const state = this.layerState[index];
    const packets = this.layers[index].nextFrame(now);
    if (packets[0].keyframe) this.sent.keyframes++;
    state.ts = (state.ts + 90000 / FPS) >>> 0;
    for (const p of packets) {
      state.seq = (state.seq + 1) & 0xffff;
      this.twcc = (this.twcc + 1) & 0xffff;
      const extensions = [];
      if (this.videoExt["urn:ietf:params:rtp-hdrext:sdes:mid"]) extensions.push({ id: this.videoExt["urn:ietf:params:rtp-hdrext:sdes:mid"], payload: this.videoMid });
      const ridId = this.videoExt["urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"];
      if (ridId) extensions.push({ id: ridId, payload: state.rid });
      const twccId = this.videoExt["http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"];
      if (twccId) {
        const b = Buffer.alloc(2);
        b.writeUInt16BE(this.twcc);
        extensions.push({ id: twccId, payload: b });
      }
      const astId = this.videoExt["http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"];
      if (astId) {
        const t = Math.round((performance.timeOrigin + performance.now()) / 1000 * 262144) & 0xffffff; // 6.18 fixed point
        extensions.push({ id: astId, payload: Buffer.from([(t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff]) });
      }
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: state.seq, timestamp: state.ts, ssrc: state.ssrc, marker: p.marker, extensions });
      writeStamp(p.payload, p.stampOffset, index);
      void this.dtls.sendRtp(p.payload, header);
      this.sent.packets++;
      this.sent.bytes += p.payload.length;
      this.sent.byLayer[index]++;
    }
  }

  sendAudio() {
    const s = this.audioState;
    s.seq = (s.seq + 1) & 0xffff;
    s.ts = (s.ts + 960) >>> 0;
    const extensions = [];
    if (this.audioExt["urn:ietf:params:rtp-hdrext:sdes:mid"]) extensions.push({ id: this.audioExt["urn:ietf:params:rtp-hdrext:sdes:mid"], payload: this.audioMid });
    if (this.audioExt[AUDIO_LEVEL_URI]) extensions.push({ id: this.audioExt[AUDIO_LEVEL_URI], payload: Buffer.from([0x80 | 30]) });
    const { payload, stampOffset } = opusPayload();
    const header = new RtpHeader({ payloadType: 111, sequenceNumber: s.seq, timestamp: s.ts, ssrc: this.audioSsrc, marker: false, extensions });
    writeStamp(payload, stampOffset, 3);
    void this.dtls.sendRtp(payload, header);
    this.sent.packets++;
    this.sent.bytes += payload.length;
    this.sent.byLayer[3]++;
  }

  async close() {
    clearInterval(this.timer);
    await this.pc?.close().catch(() => {});
  }
}

/** Receive counters shared by the subscribers of this process (reset at the start of a measure window). */
const recv = {
  recording: false,
  reset() {
    this.packets = 0;
    this.bytes = 0;
    this.gaps = 0;
    this.late = 0;
    this.duplicates = 0;
    this.byLayer = [0, 0, 0, 0];
    this.bytesByLayer = [0, 0, 0, 0];
    this.latency = new Map(); // 10 µs bucket → count
    this.latencyCount = 0;
    this.maxLatencyUs = 0;
    this.decryptErrors = 0;
  },
};
recv.reset();

/**
 * "light" subscribers (the default): werift does ICE, DTLS and the SRTP key setup, then its RTP pipeline is bypassed —
 * each SRTP datagram is counted from its clear header (sequence number, SSRC, payload type, size) and one packet in
 * SAMPLE_EVERY is decrypted (werift's SRTP, authenticated) to read the stamp for the latency. werift's full receive
 * path costs ≈ 70–120 µs of JS per packet, so 200 full subscribers (≈ 48,000 packets/s) would need several cores of load
 * generator; light ones need a fraction of one. They send no RTCP receiver reports, NACKs or transport-cc feedback.
 */
const SAMPLE_EVERY = 8;

function lighten(dtls, subscriber) {
  if (!dtls || dtls.benchLight) return;
  dtls.benchLight = true;
  dtls.startSrtp = function startSrtpLight() {
    if (this.srtpStarted) return;
    this.srtpStarted = true;
    this.updateSrtpSession();
    this.iceTransport.connection.onData.subscribe((data) => {
      if (data.length < 12 || data[0] < 128 || data[0] > 191) return; // not RTP/RTCP (RFC 7983)
      if (data[1] >= 192 && data[1] <= 223) return; // RTCP (RFC 5761): not needed here
      subscriber.onSrtp(data, this);
    });
  };
}

class Subscriber {
  constructor(id) {
    this.id = id;
    this.seq = new Map(); // ssrc → highest sequence number seen
    this.packets = 0;
    this.videoPackets = 0;
    this.audioPackets = 0;
    this.tracks = new WeakSet();
  }

  async start({ sfu, base, room, feeds, joined, mode }) {
    this.light = mode !== "full";
    const pc = (this.pc = makePc());
    pc.onTrack.subscribe((track) => {
      if (this.tracks.has(track)) return;
      this.tracks.add(track);
      track.onReceiveRtp.subscribe((rtp) => this.onRtp(rtp));
    });
    const signalling = signallingFor(sfu, base);
    if (sfu === "janus") {
      const { offer, handle, streams } = await signalling.subscribe(room, feeds);
      debug(`subscriber ${this.id} offer`, offer);
      await this.accept(offer);
      await signalling.startSubscription(handle, loopbackCandidates(pc.localDescription.sdp));
      await signalling.configureTopLayer(handle, streams);
    } else {
      if (!joined) await signalling.join(room, this.id);
      // Answer offers until the SFU has nothing new (the first one, then any renegotiation it queued meanwhile).
      for (let round = 0; round < 6; round++) {
        let offer = null;
        for (let i = 0; i < 50 && offer === null; i++) {
          offer = await signalling.subscriberOffer(room, this.id);
          if (offer === null && (round > 0 || i > 20)) break;
          if (offer === null) await sleep(100);
        }
        if (offer === null) break;
        debug(`subscriber ${this.id} offer`, offer);
        await this.accept(offer);
        await signalling.subscriberAnswer(room, this.id, loopbackCandidates(pc.localDescription.sdp));
      }
    }
    debug(`subscriber ${this.id} answer`, pc.localDescription.sdp);
    await connected(pc, `subscriber ${this.id}`);
    debug(`subscriber ${this.id} connected`);
    if (this.light) this.fastPath();
  }

  async accept(offer) {
    const pc = this.pc;
    this.audioPts = new Set();
    for (const m of offer.matchAll(/^m=audio \S+ \S+ ([\d ]+)/gm)) for (const pt of m[1].split(" ")) this.audioPts.add(Number(pt));
    await pc.setRemoteDescription({ type: "offer", sdp: offer });
    if (this.light) for (const t of pc.getTransceivers()) lighten(t.dtlsTransport, this);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
  }

  /** Once connected, SRTP datagrams are taken straight from the UDP transport of the nominated ICE pair, before
   * werift's STUN/ICE/DTLS demultiplexing; everything else (STUN consent checks, RTCP, DTLS) still goes to werift. */
  fastPath() {
    const dtls = this.pc.getTransceivers()[0]?.dtlsTransport;
    const transport = dtls?.iceTransport?.connection?.nominated?.protocol?.transport;
    if (!transport || transport.benchFast) return;
    transport.benchFast = true;
    const original = transport.onData;
    transport.onData = (data, addr) => {
      if (data.length >= 12 && data[0] >= 128 && data[0] <= 191 && !(data[1] >= 192 && data[1] <= 223)) this.onSrtp(data, dtls);
      else original(data, addr);
    };
  }

  /** Light path: one SRTP datagram, its RTP header in clear. */
  onSrtp(data, dtls) {
    const now = process.hrtime.bigint();
    const seq = data.readUInt16BE(2);
    const ssrc = data.readUInt32BE(8);
    this.packets++;
    if (this.audioPts.has(data[1] & 0x7f)) this.audioPackets++;
    else this.videoPackets++;
    const { gap, late, duplicate } = this.sequence(ssrc, seq);
    if (!recv.recording) return;
    recv.packets++;
    recv.bytes += data.length - 10; // RTP size: the SRTP datagram less its 80-bit authentication tag
    recv.gaps += gap;
    if (late) recv.late++;
    if (duplicate) recv.duplicates++;
    if ((seq & (SAMPLE_EVERY - 1)) !== 0) return;
    let payload;
    try {
      const rtp = RtpPacket.deSerialize(dtls.srtp.decrypt(data));
      payload = rtp.payload;
    } catch {
      recv.decryptErrors++;
      return;
    }
    const stamp = readStamp(payload);
    if (stamp) this.record(stamp, now, data.length - 10, SAMPLE_EVERY);
  }

  sequence(ssrc, seq) {
    const highest = this.seq.get(ssrc);
    if (highest === undefined) {
      this.seq.set(ssrc, seq);
      return { gap: 0, late: false, duplicate: false };
    }
    const d = (seq - highest) & 0xffff;
    if (d === 0) return { gap: 0, late: false, duplicate: true };
    if (d < 0x8000) {
      this.seq.set(ssrc, seq);
      return { gap: d - 1, late: false, duplicate: false };
    }
    return { gap: 0, late: true, duplicate: false };
  }

  record(stamp, now, bytes, weight) {
    recv.byLayer[stamp.layer] += weight;
    recv.bytesByLayer[stamp.layer] += bytes * weight;
    const us = Number(now - stamp.sentNs) / 1000;
    const bucket = Math.floor(us / 10);
    recv.latency.set(bucket, (recv.latency.get(bucket) ?? 0) + 1);
    recv.latencyCount++;
    if (us > recv.maxLatencyUs) recv.maxLatencyUs = us;
  }

  onRtp(rtp) {
    const now = process.hrtime.bigint();
    const header = rtp.header;
    this.packets++;
    const stamp = readStamp(rtp.payload);
    if (stamp && stamp.layer === 3) this.audioPackets++;
    else this.videoPackets++;
    const { gap, late, duplicate } = this.sequence(header.ssrc, header.sequenceNumber);
    if (!recv.recording) return;
    recv.packets++;
    recv.bytes += rtp.payload.length + header.payloadOffset;
    recv.gaps += gap;
    if (late) recv.late++;
    if (duplicate) recv.duplicates++;
    if (stamp) this.record(stamp, now, rtp.payload.length + header.payloadOffset, 1);
  }

  async close() {
    await this.pc?.close().catch(() => {});
  }
}

async function inBatches(items, size, fn) {
  const results = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return results;
}

const handlers = {
  async createJanusRoom({ base, room }) {
    await signallingFor("janus", base).createRoom(room);
    return {};
  },
  async publish(msg) {
    const p = new Publisher(msg.id);
    publishers.push(p);
    return p.start(msg);
  },
  async subscribe(msg) {
    const created = msg.ids.map((id) => new Subscriber(id));
    subscribers.push(...created);
    const errors = [];
    await inBatches(created, msg.batch ?? 8, async (s, i) => {
      try {
        await s.start({ ...msg, feeds: msg.feedsById ? msg.feedsById[s.id] : msg.feeds });
      } catch (error) {
        errors.push(`${s.id}: ${error.message}`);
      }
    });
    return { errors };
  },
  /** How many subscribers receive both audio and video. */
  async flowing() {
    return {
      subscribers: subscribers.length,
      flowing: subscribers.filter((s) => s.audioPackets > 0 && s.videoPackets > 0).length,
      withVideo: subscribers.filter((s) => s.videoPackets > 0).length,
      withAudio: subscribers.filter((s) => s.audioPackets > 0).length,
    };
  },
  async startRecording() {
    recv.reset();
    for (const p of publishers) p.sent = { packets: 0, bytes: 0, byLayer: [0, 0, 0, 0], keyframes: 0, plis: 0, lateTicks: 0 };
    recv.recording = true;
    this.cpu = process.cpuUsage();
    this.startedNs = process.hrtime.bigint();
    return {};
  },
  async stopRecording() {
    recv.recording = false;
    const cpu = process.cpuUsage(this.cpu);
    const wallMs = Number(process.hrtime.bigint() - this.startedNs) / 1e6;
    const sent = { packets: 0, bytes: 0, byLayer: [0, 0, 0, 0], keyframes: 0, plis: 0, lateTicks: 0 };
    for (const p of publishers) {
      for (const k of ["packets", "bytes", "keyframes", "plis", "lateTicks"]) sent[k] += p.sent[k];
      p.sent.byLayer.forEach((v, i) => (sent.byLayer[i] += v));
    }
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      sent,
      received: {
        packets: recv.packets,
        bytes: recv.bytes,
        gaps: recv.gaps,
        late: recv.late,
        duplicates: recv.duplicates,
        byLayer: recv.byLayer,
        bytesByLayer: recv.bytesByLayer,
        latency: [...recv.latency.entries()],
        latencyCount: recv.latencyCount,
        maxLatencyUs: recv.maxLatencyUs,
        decryptErrors: recv.decryptErrors,
      },
    };
  },
  async close() {
    await Promise.all([...subscribers, ...publishers].map((x) => x.close()));
    for (const s of janusCache.values()) s.stop();
    setTimeout(() => process.exit(0), 200);
    return {};
  },
};

process.on("message", async (msg) => {
  debug("op", msg.op);
  try {
    const result = await handlers[msg.op](msg);
    debug("op done", msg.op);
    process.send({ rpc: msg.rpc, ok: true, result });
  } catch (error) {
    process.send({ rpc: msg.rpc, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on("unhandledRejection", (error) => console.error(`[loadgen ${process.pid}] unhandled`, error));
