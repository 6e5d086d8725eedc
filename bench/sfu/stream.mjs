// Synthetic media of realistic size and rate, and the stamp each packet carries for the latency measure.
//
// Video: VP8, 3 simulcast layers sent as rid q/h/f (low → high), 30 frames/s, frame sizes drawn around the layer's
// bitrate (±25 %), packetized at ≤ 1,100 payload bytes with a real VP8 payload descriptor (RFC 7741: X, I with a 15-bit
// picture id, L TL0PICIDX, T/K) and, on the first packet of a frame, a real VP8 frame tag (a keyframe carries the
// 9d 01 2a start code and a 1280x720 / 640x360 / 320x180 size), so that an SFU's keyframe detection and picture-id
// rewriting see what they see from a browser. A keyframe (6 × the mean frame size) every 3 s and on PLI/FIR.
// Audio: Opus, 20 ms frames, 80–120 bytes (≈ 40 kbps), audio-level extension at -30 dBov with voice activity.
//
// The stamp (12 bytes, right after the VP8 descriptor/frame header, or at the start of an Opus payload):
// "SB" | layer (0-2, 3 = audio) | 0 | send time, process.hrtime.bigint() in ns (CLOCK_MONOTONIC: comparable between
// the load generator processes of one machine). Taken just before the packet is SRTP-protected and handed to the socket.

export const LAYERS = [
  { rid: "q", kbps: 150, width: 320, height: 180 },
  { rid: "h", kbps: 500, width: 640, height: 360 },
  { rid: "f", kbps: 1500, width: 1280, height: 720 },
];
export const FPS = 30;
export const KEYFRAME_INTERVAL_MS = 3000;
export const MAX_PAYLOAD = 1100;
const STAMP_SIZE = 12;
const MAGIC0 = 0x53; // 'S'
const MAGIC1 = 0x42; // 'B'

/** Writes the stamp at offset; returns offset + 12. */
export function writeStamp(buf, offset, layer) {
  buf[offset] = MAGIC0;
  buf[offset + 1] = MAGIC1;
  buf[offset + 2] = layer;
  buf[offset + 3] = 0;
  buf.writeBigUInt64BE(process.hrtime.bigint(), offset + 4);
  return offset + STAMP_SIZE;
}

/** Finds the stamp in the first bytes of a payload: { layer, sentNs } or null. */
export function readStamp(payload) {
  const limit = Math.min(payload.length - STAMP_SIZE, 40);
  for (let i = 0; i <= limit; i++) {
    if (payload[i] === MAGIC0 && payload[i + 1] === MAGIC1 && payload[i + 3] === 0 && payload[i + 2] <= 3) {
      return { layer: payload[i + 2], sentNs: payload.readBigUInt64BE(i + 4) };
    }
  }
  return null;
}

/** One simulcast layer's VP8 packetizer state. */
export class Vp8Layer {
  constructor(index) {
    this.index = index;
    this.spec = LAYERS[index];
    this.pictureId = Math.floor(Math.random() * 0x7fff);
    this.tl0 = Math.floor(Math.random() * 256);
    this.keyIdx = 0;
    this.forceKeyframe = true;
    this.lastKeyframeMs = 0;
    this.meanFrameBytes = (this.spec.kbps * 1000) / 8 / FPS;
  }

  requestKeyframe(nowMs) {
    if (nowMs - this.lastKeyframeMs > 500) {
      this.forceKeyframe = true;
    }
  }

  /** The payloads (each with a fresh-stamp callback) of the next frame: [{ payload, marker }]. */
  nextFrame(nowMs) {
    const keyframe = this.forceKeyframe || nowMs - this.lastKeyframeMs >= KEYFRAME_INTERVAL_MS;
    if (keyframe) {
      this.forceKeyframe = false;
      this.lastKeyframeMs = nowMs;
      this.keyIdx = (this.keyIdx + 1) & 0x1f;
    }
    // Keyframes 6× the mean; delta frames scaled so that the mean stays at the layer's bitrate (one keyframe per 90 frames).
    const base = keyframe ? this.meanFrameBytes * 6 : (this.meanFrameBytes * 90 - this.meanFrameBytes * 6) / 89;
    const frameBytes = Math.max(60, Math.round(base * (0.75 + Math.random() * 0.5)));
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    this.tl0 = (this.tl0 + 1) & 0xff;
    const packets = [];
    const count = Math.ceil(frameBytes / MAX_PAYLOAD);
    let left = frameBytes;
    for (let i = 0; i < count; i++) {
      const size = Math.ceil(left / (count - i));
      left -= size;
      packets.push(this.packet(i === 0, keyframe, size, i === count - 1));
    }
    return packets;
  }

  packet(first, keyframe, size, last) {
    const header = [];
    header.push(0x80 | (first ? 0x10 : 0)); // X, S, PID 0
    header.push(0xe0); // I, L, T
    header.push(0x80 | (this.pictureId >> 8), this.pictureId & 0xff);
    header.push(this.tl0);
    header.push(0x20 | (this.keyIdx & 0x1f)); // TID 0, Y 1, KEYIDX
    if (first) {
      // VP8 frame tag: bit 0 = 0 for a key frame, version 0, show_frame 1, first partition size (arbitrary but plausible).
      const partition = 400;
      const tag = (keyframe ? 0 : 1) | (0 << 1) | (1 << 4) | (partition << 5);
      header.push(tag & 0xff, (tag >> 8) & 0xff, (tag >> 16) & 0xff);
      if (keyframe) {
        header.push(0x9d, 0x01, 0x2a);
        header.push(this.spec.width & 0xff, this.spec.width >> 8, this.spec.height & 0xff, this.spec.height >> 8);
      }
    }
    const payload = Buffer.alloc(Math.max(size, header.length + STAMP_SIZE));
    Buffer.from(header).copy(payload, 0);
    const stampOffset = header.length;
    fillNoise(payload, stampOffset + STAMP_SIZE);
    return { payload, stampOffset, marker: last, keyframe };
  }
}

let noise = null;
function fillNoise(buf, from) {
  // Payloads are at most MAX_PAYLOAD + a few bytes: a window of a fixed random buffer is enough.
  if (!noise) {
    noise = Buffer.alloc(8192);
    for (let i = 0; i < noise.length; i++) noise[i] = (Math.random() * 256) | 0;
  }
  const start = (Math.random() * 4096) | 0;
  noise.copy(buf, from, start, start + (buf.length - from));
}

/** An Opus frame of 80–120 bytes with the stamp at offset 0. */
export function opusPayload() {
  const payload = Buffer.alloc(80 + ((Math.random() * 41) | 0));
  fillNoise(payload, STAMP_SIZE);
  return { payload, stampOffset: 0 };
}

/** Percentiles from a histogram of 10 µs buckets (Map bucket → count). */
export function percentile(histogram, total, q) {
  if (total === 0) return null;
  const keys = [...histogram.keys()].sort((a, b) => a - b);
  const target = Math.ceil(total * q);
  let seen = 0;
  for (const k of keys) {
    seen += histogram.get(k);
    if (seen >= target) return (k + 0.5) * 10; // µs, bucket middle
  }
  return (keys[keys.length - 1] + 0.5) * 10;
}
