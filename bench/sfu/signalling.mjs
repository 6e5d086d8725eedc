// Signalling to the two SFUs, loopback HTTP only.
//  - ours: bench/Suite.Bench.Sfu (join, publish offer → answer, subscriber offer / answer).
//  - janus: Janus 1.1.2's REST API (session, videoroom handles, long-poll for asynchronous events).

async function http(method, url, body, type = "application/sdp") {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": type },
    body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

export class OursSignalling {
  constructor(base) {
    this.base = base; // http://127.0.0.1:8089
  }

  async join(room, id) {
    const r = await http("POST", `${this.base}/rooms/${room}/join/${id}`, "");
    if (r.status >= 300) throw new Error(`join ${id}: ${r.status} ${r.text}`);
  }

  async publish(room, id, offer) {
    const r = await http("POST", `${this.base}/rooms/${room}/publish/${id}`, offer);
    if (r.status !== 200) throw new Error(`publish ${id}: ${r.status} ${r.text}`);
    return r.text;
  }

  /** The SFU's subscriber offer, or null (204) when there is nothing new. */
  async subscriberOffer(room, id) {
    const r = await http("GET", `${this.base}/rooms/${room}/subscriber-offer/${id}`);
    if (r.status === 204) return null;
    if (r.status !== 200) throw new Error(`subscriber offer ${id}: ${r.status} ${r.text}`);
    return r.text;
  }

  async subscriberAnswer(room, id, answer) {
    const r = await http("POST", `${this.base}/rooms/${room}/subscriber-answer/${id}`, answer);
    if (r.status >= 300) throw new Error(`subscriber answer ${id}: ${r.status} ${r.text}`);
  }
}

export class JanusSignalling {
  constructor(base) {
    this.base = base; // http://127.0.0.1:8088/janus
    this.session = null;
    this.waiters = new Map(); // transaction → resolve
    this.polling = false;
    this.counter = 0;
  }

  tx() {
    return `t${process.pid}-${++this.counter}`;
  }

  async post(path, message) {
    const r = await http("POST", `${this.base}${path}`, JSON.stringify(message), "application/json");
    const json = JSON.parse(r.text);
    if (json.janus === "error") throw new Error(`janus ${message.janus}: ${JSON.stringify(json.error)}`);
    return json;
  }

  start() {
    // One session per process, created once even when many subscribers attach at the same time.
    this.starting ??= (async () => {
      const created = await this.post("", { janus: "create", transaction: this.tx() });
      this.session = created.data.id;
      this.polling = true;
      void this.poll();
    })();
    return this.starting;
  }

  async poll() {
    while (this.polling) {
      try {
        const r = await http("GET", `${this.base}/${this.session}?maxev=50&rid=${Date.now()}`);
        const parsed = JSON.parse(r.text);
        for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
          const waiter = event.transaction && this.waiters.get(event.transaction);
          if (waiter && event.janus !== "ack") {
            this.waiters.delete(event.transaction);
            waiter(event);
          }
        }
      } catch (error) {
        if (this.polling) await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async attach() {
    await this.start();
    const r = await this.post(`/${this.session}`, { janus: "attach", plugin: "janus.plugin.videoroom", transaction: this.tx() });
    return r.data.id;
  }

  /** A videoroom request; waits for its asynchronous event when the answer is an ack. */
  async request(handle, body, jsep) {
    const transaction = this.tx();
    const done = new Promise((resolve) => this.waiters.set(transaction, resolve));
    const message = { janus: "message", transaction, body };
    if (jsep) message.jsep = jsep;
    const r = await this.post(`/${this.session}/${handle}`, message);
    if (r.janus === "success") {
      this.waiters.delete(transaction);
      return r;
    }
    const event = await withTimeout(done, 20000, `janus ${body.request}`);
    const data = event.plugindata?.data;
    if (data?.error) throw new Error(`janus ${body.request}: ${data.error_code} ${data.error}`);
    return event;
  }

  async createRoom(room) {
    const handle = await this.attach();
    const r = await this.request(handle, {
      request: "create",
      room,
      publishers: 16,
      bitrate: 4000000,
      videocodec: "vp8",
      audiocodec: "opus",
      audiolevel_ext: true,
      audiolevel_event: false,
      transport_wide_cc_ext: true,
      notify_joining: false,
    });
    const data = r.plugindata?.data;
    if (data?.error_code && data.error_code !== 427) throw new Error(`janus create room: ${data.error}`);
  }

  /** Joins as a publisher and publishes the offer: { answer, feed }. */
  async publish(room, display, offer) {
    const handle = await this.attach();
    const joined = await this.request(handle, { request: "join", ptype: "publisher", room, display });
    const feed = joined.plugindata.data.id;
    const published = await this.request(handle, { request: "publish", audio: true, video: true }, { type: "offer", sdp: offer });
    if (!published.jsep) throw new Error(`janus publish: no answer ${JSON.stringify(published.plugindata)}`);
    return { answer: published.jsep.sdp, feed, handle };
  }

  /** Subscribes to the feeds on one connection: { offer, handle } then start(handle, answer). */
  async subscribe(room, feeds) {
    const handle = await this.attach();
    const attached = await this.request(handle, { request: "join", ptype: "subscriber", room, streams: feeds.map((feed) => ({ feed })) });
    if (!attached.jsep) throw new Error(`janus subscribe: no offer ${JSON.stringify(attached.plugindata)}`);
    return { offer: attached.jsep.sdp, handle, streams: attached.plugindata.data.streams ?? [] };
  }

  async startSubscription(handle, answer) {
    await this.request(handle, { request: "start" }, { type: "answer", sdp: answer });
  }

  async configureTopLayer(handle, streams) {
    const video = streams.filter((s) => s.type === "video").map((s) => ({ mid: s.mid, substream: 2, temporal: 2 }));
    if (video.length > 0) await this.request(handle, { request: "configure", streams: video });
  }

  stop() {
    this.polling = false;
  }
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}
