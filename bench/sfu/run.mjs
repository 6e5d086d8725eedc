// SFU benchmark orchestrator (bench/sfu.sh runs it pinned to the load generators' CPU): for each scenario it starts a
// fresh SFU — ours (bench/Suite.Bench.Sfu) or Janus 1.1.2 — pinned to --sfu-cpus, forks the werift load generators,
// waits until every subscriber receives audio and video, warms up, then measures a window: the SFU's CPU time
// (/proc/<pid>/stat), its RSS, /proc/stat steal, and what the subscribers received. SFUs alternate within the run.
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "./stream.mjs";
import {
  JanusServer,
  OursServer,
  buildShim,
  cpuTicks,
  nonLoopbackPackets,
  processCpuMs,
  processRssKiB,
  socketAddresses,
} from "./servers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DEBUG = process.env.SFU_BENCH_DEBUG === "1";
const debug = (...args) => DEBUG && console.error(`[run ${new Date().toISOString().slice(11, 23)}]`, ...args);

const HELP = `node bench/sfu/run.mjs [options]   (bench/sfu.sh runs it pinned, with these defaults)
  --sfus ours,janus,janus-el1   SFUs to compare (janus-el1: Janus with event_loops = 1)
  --scenarios floor,fanout,room,ramp
                                floor: the harness alone, publisher straight to N receivers (no SFU: its own latency
                                       floor and CPU); fanout: 1 publisher → N subscribers; room: --room participants
                                       who all publish and subscribe to the others; ramp: subscribers added --ramp-step
                                       at a time until loss > 0.5 % or p99 > 20 ms (max subscriber streams per core)
  --subs 10,50,100,200          subscriber counts of the fan-out
  --floor 100,200               receiver counts of the floor
  --room 6                      participants of the "everyone talks" room (0: skip)
  --ramp-step 50 --ramp-max 1000 --ramp-measure 6 --ramp-settle 5   (the first step also waits --warmup: JIT, layer ramp-up)
  --rounds 2                    repetitions of the whole plan (medians are reported)
  --warmup 6 --measure 12       seconds
  --generator native            native: the .NET load generator (Suite.Bench.Sfu loadgen: real ICE, DTLS client, SRTP,
                                one process, one receive thread per 64 sockets); werift: the Node generators (loadgen.mjs)
  --receiver-reports 1          native: subscribers send an RTCP receiver report per second, as browsers do (0: none)
  --sfu-cpus 0 --load-cpus 1    the SFU's CPU and the load generators' (this process should already run on the latter)
  --subs-per-process 100        werift only: subscribers per load generator process
  --subscriber light            werift only. light: count SRTP headers, decrypt 1 packet in 8 for the latency; full:
                                werift's whole receive path (RTCP reports, NACK, transport-cc) — ≈ 70–120 µs of JS per packet
  --ours-dll bench/Suite.Bench.Sfu/bin/Release/net10.0/Suite.Bench.Sfu.dll
  --out artifacts/bench`;

function parseArgs(argv) {
  const o = {
    sfus: ["ours", "janus", "janus-el1"],
    subs: [10, 50, 100, 200],
    room: 6,
    scenarios: ["floor", "fanout", "room", "ramp"],
    floor: [100, 200],
    rampStep: 50,
    rampMax: 1000,
    rampMeasure: 6,
    rampSettle: 5,
    generator: "native",
    receiverReports: true,
    rounds: 2,
    warmup: 6,
    measure: 12,
    sfuCpus: "0",
    loadCpus: "1",
    subsPerProcess: 100,
    subscriber: "light",
    oursDll: path.join(root, "bench/Suite.Bench.Sfu/bin/Release/net10.0/Suite.Bench.Sfu.dll"),
    out: path.join(root, "artifacts/bench"),
  };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case "--sfus": o.sfus = next().split(","); break;
      case "--subs": o.subs = next().split(",").map(Number); break;
      case "--floor": o.floor = next().split(",").map(Number); break;
      case "--ramp-step": o.rampStep = Number(next()); break;
      case "--ramp-max": o.rampMax = Number(next()); break;
      case "--ramp-measure": o.rampMeasure = Number(next()); break;
      case "--ramp-settle": o.rampSettle = Number(next()); break;
      case "--generator": o.generator = next(); break;
      case "--receiver-reports": o.receiverReports = next() !== "0"; break;
      case "--room": o.room = Number(next()); break;
      case "--scenarios": o.scenarios = next().split(","); break;
      case "--rounds": o.rounds = Number(next()); break;
      case "--warmup": o.warmup = Number(next()); break;
      case "--measure": o.measure = Number(next()); break;
      case "--sfu-cpus": o.sfuCpus = next(); break;
      case "--load-cpus": o.loadCpus = next(); break;
      case "--subs-per-process": o.subsPerProcess = Number(next()); break;
      case "--subscriber": o.subscriber = next(); break;
      case "--ours-dll": o.oursDll = path.resolve(next()); break;
      case "--out": o.out = path.resolve(next()); break;
      case "--help": console.log(HELP); process.exit(0);
      default: console.error(`unknown option ${argv[i]}\n${HELP}`); process.exit(2);
    }
  }
  return o;
}

/** A forked load generator with request/response over IPC. */
class LoadGen {
  constructor(name) {
    this.name = name;
    this.child = fork(path.join(here, "loadgen.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.pending = new Map();
    this.next = 0;
    this.child.on("message", (m) => {
      const p = this.pending.get(m.rpc);
      if (!p) return;
      this.pending.delete(m.rpc);
      m.ok ? p.resolve(m.result) : p.reject(new Error(`${this.name}: ${m.error}`));
    });
    this.child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} exited (${code})`));
      this.pending.clear();
    });
  }

  call(op, args = {}, ms = 180000) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} ${op}: timed out`));
      }, ms);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ ...args, rpc: id, op });
    });
  }

  async close() {
    try {
      await this.call("close", {}, 10000);
    } catch {}
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** The native load generator (Suite.Bench.Sfu loadgen): one .NET process for the publishers and all subscribers,
 * same operations as loadgen.mjs, one JSON line per request/response over stdin/stdout. */
class NativeGen {
  constructor(name, dll) {
    this.name = name;
    this.child = spawn("dotnet", [dll, "loadgen"], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, DOTNET_gcServer: "0", DOTNET_TieredPGO: "1" },
    });
    this.pid = this.child.pid;
    this.pending = new Map();
    this.next = 0;
    let buffer = "";
    this.child.stdout.on("data", (d) => {
      buffer += d;
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (!line.trim()) continue;
        const m = JSON.parse(line);
        const p = this.pending.get(m.rpc);
        if (!p) continue;
        this.pending.delete(m.rpc);
        m.ok ? p.resolve(m.result) : p.reject(new Error(`${this.name}: ${m.error}`));
      }
    });
    this.child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} exited (${code})`));
      this.pending.clear();
    });
  }

  call(op, args = {}, ms = 180000) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} ${op}: timed out`));
      }, ms);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin.write(JSON.stringify({ ...args, rpc: id, op }) + "\n");
    });
  }

  async close() {
    try {
      await this.call("close", {}, 10000);
    } catch {}
    await new Promise((r) => (this.child.exitCode !== null ? r() : (this.child.once("exit", r), setTimeout(r, 3000))));
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

function makeGen(name, o) {
  if (o.generator !== "native") return new LoadGen(name);
  const gen = new NativeGen(name, o.oursDll);
  void gen.call("options", { receiverReports: o.receiverReports }).catch(() => {});
  return gen;
}

function makeServer(kind, o, shim) {
  if (kind === "ours") return new OursServer({ dll: o.oursDll, cpus: o.sfuCpus });
  const m = /^janus(?:-el(\d+))?$/.exec(kind);
  if (!m) throw new Error(`unknown SFU ${kind}`);
  return new JanusServer({ work: o.work, cpus: o.sfuCpus, eventLoops: Number(m[1] ?? 0), shim });
}

async function waitFlowing(gens, expected, ms) {
  const deadline = Date.now() + ms;
  let last = null;
  while (Date.now() < deadline) {
    const states = await Promise.all(gens.map((g) => g.call("flowing")));
    last = states.reduce((a, s) => ({ flowing: a.flowing + s.flowing, withVideo: a.withVideo + s.withVideo, withAudio: a.withAudio + s.withAudio }), { flowing: 0, withVideo: 0, withAudio: 0 });
    if (last.flowing >= expected) return last;
    await sleep(500);
  }
  return last;
}

/** Measures one window: the SFU's CPU (/proc/<pid>/stat), steal, load average, and what the generators sent/received. */
async function measureWindow(server, gens, seconds, scenario, n) {
  const result = {};
  const stats0 = server ? await server.stats() : null;
  await Promise.all(gens.map((g) => g.call("startRecording")));
  const cpu0 = server ? processCpuMs(server.pid) : 0;
  const ticks0 = cpuTicks();
  result.loadavgBefore = fs.readFileSync("/proc/loadavg", "utf8").trim();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const cpu1 = server ? processCpuMs(server.pid) : 0;
  const ticks1 = cpuTicks();
  result.loadavgAfter = fs.readFileSync("/proc/loadavg", "utf8").trim();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const parts = await Promise.all(gens.map((g) => g.call("stopRecording")));
  if (server?.kind === "ours") result.sfuStats = { before: stats0, after: await server.stats() };
  result.wallMs = wallMs;
  result.sfuCpuMs = cpu1 - cpu0;
  result.stealPct = (100 * (ticks1.steal - ticks0.steal)) / Math.max(1, ticks1.total - ticks0.total);
  result.loadgenCpuMs = parts.reduce((a, p) => a + p.cpuMs, 0);
  result.generator = parts.map((p) => p.generator).filter(Boolean);
  const sent = { packets: 0, bytes: 0, byLayer: [0, 0, 0, 0], keyframes: 0, plis: 0, lateTicks: 0 };
  for (const p of parts) {
    for (const k of Object.keys(sent)) if (k !== "byLayer") sent[k] += p.sent?.[k] ?? 0;
    p.sent?.byLayer.forEach((v, i) => (sent.byLayer[i] += v));
  }
  result.sent = sent;
  const recv = { packets: 0, bytes: 0, gaps: 0, late: 0, duplicates: 0, byLayer: [0, 0, 0, 0], bytesByLayer: [0, 0, 0, 0], latencyCount: 0, maxLatencyUs: 0, decryptErrors: 0, layerSwitches: 0 };
  const hist = new Map();
  const handlerHist = new Map();
  for (const p of parts) {
    const r = p.received;
    for (const k of ["packets", "bytes", "gaps", "late", "duplicates", "latencyCount", "decryptErrors", "layerSwitches"]) recv[k] += r[k] ?? 0;
    r.byLayer.forEach((v, i) => (recv.byLayer[i] += v));
    r.bytesByLayer.forEach((v, i) => (recv.bytesByLayer[i] += v));
    recv.maxLatencyUs = Math.max(recv.maxLatencyUs, r.maxLatencyUs);
    for (const [k, v] of r.latency) hist.set(k, (hist.get(k) ?? 0) + v);
    for (const [k, v] of r.handlerLatency ?? []) handlerHist.set(k, (handlerHist.get(k) ?? 0) + v);
  }
  result.received = recv;
  result.handlerP50Us = handlerHist.size ? percentile(handlerHist, recv.latencyCount, 0.5) : null;
  result.handlerP99Us = handlerHist.size ? percentile(handlerHist, recv.latencyCount, 0.99) : null;
  result.p50Us = percentile(hist, recv.latencyCount, 0.5);
  result.p99Us = percentile(hist, recv.latencyCount, 0.99);
  const lost = Math.max(0, recv.gaps - recv.late);
  result.loss = lost / Math.max(1, recv.packets + lost);
  const mbit = (recv.bytes * 8) / 1e6;
  result.forwardedMbps = mbit / (wallMs / 1000);
  result.forwardedPps = recv.packets / (wallMs / 1000);
  result.cpuMsPerMbit = server ? result.sfuCpuMs / mbit : null;
  result.usPerPacket = server ? (result.sfuCpuMs * 1000) / Math.max(1, recv.packets) : null;
  result.sfuCpuShare = result.sfuCpuMs / wallMs;
  result.ppsPerCore = server ? recv.packets / (result.sfuCpuMs / 1000) : null;
  result.streams = scenario === "room" ? n * (n - 1) * 2 : n * 2; // forwarded tracks (audio + video) to subscribers
  const videoStreams = scenario === "room" ? n * (n - 1) : n;
  // Only the native generator reads the layer of every packet.
  result.layerSwitchesPerStreamMinute = parts.some((p) => p.generator) ? recv.layerSwitches / videoStreams / (wallMs / 60000) : null;
  result.loadgenCpuShare = result.loadgenCpuMs / wallMs;
  return result;
}

const oursOrJanus = (kind) => (kind === "ours" ? "ours" : "janus");

/** A fresh SFU with its publishers (1, or the room's participants) on a fresh generator. */
async function setUp(kind, scenario, n, o, shim, result) {
  const server = makeServer(kind, o, shim);
  const gens = [];
  await server.start();
  result.sfuPid = server.pid;
  const room = scenario === "room" ? 2000 + n : scenario === "ramp" ? 3000 : 1000 + n;
  const pubGen = makeGen("publisher", o);
  gens.push(pubGen);
  const rssEmpty = processRssKiB(server.pid);
  const feeds = [];
  const participants = scenario === "room" ? Array.from({ length: n }, (_, i) => `p${i + 1}`) : ["pub"];
  if (kind !== "ours") await pubGen.call("createJanusRoom", { base: server.base, room });
  for (const id of participants) {
    const r = await pubGen.call("publish", { sfu: oursOrJanus(kind), base: server.base, room, id });
    feeds.push(r.feed);
  }
  debug("published", feeds);
  await sleep(2000);
  return { server, gens, pubGen, room, rssEmpty, rssPublished: processRssKiB(server.pid), feeds, participants };
}

/** Adds subscribers s<from+1>…s<to> (fan-out); returns the generators that hold them. */
async function addFanoutSubscribers(setup, kind, from, to, o) {
  const ids = Array.from({ length: to - from }, (_, i) => `s${from + i + 1}`);
  if (o.generator === "native") {
    const r = await setup.pubGen.call("subscribe", { sfu: oursOrJanus(kind), base: setup.server.base, room: setup.room, ids, feeds: setup.feeds, batch: 16 }, 60000 + 1000 * ids.length);
    return { gens: [setup.pubGen], errors: r.errors };
  }
  const chunks = [];
  for (let i = 0; i < ids.length; i += o.subsPerProcess) chunks.push(ids.slice(i, i + o.subsPerProcess));
  const gens = chunks.map((_, i) => makeGen(`subscribers-${from + i + 1}`, o));
  setup.gens.push(...gens);
  const rs = await Promise.all(
    chunks.map((chunk, i) => gens[i].call("subscribe", { sfu: oursOrJanus(kind), base: setup.server.base, room: setup.room, ids: chunk, feeds: setup.feeds, batch: 16, mode: o.subscriber }, 60000 + 3000 * chunk.length)),
  );
  return { gens, errors: rs.flatMap((r) => r.errors) };
}

async function tearDown(setup, kind, result, net0) {
  if (setup) {
    await Promise.all(setup.gens.map((g) => g.close()));
    await setup.server.stop().catch(() => {});
  }
  const net1 = nonLoopbackPackets();
  result.nonLoopbackPackets = { rx: net1.rx - net0.rx, tx: net1.tx - net0.tx };
  if (result.sockets) result.socketsOffLoopback = result.sockets.filter((a) => !a.startsWith("127.0.0.1:") && !a.startsWith("[::ffff:127.0.0.1]:"));
}

/** One scenario against one SFU: a fresh SFU process, fresh load generators. */
async function runOne(kind, scenario, n, o, shim) {
  if (kind === "none") return runFloor(scenario, n, o);
  const result = { sfu: kind, scenario, n, generator: o.generator, startedAt: new Date().toISOString() };
  const net0 = nonLoopbackPackets();
  let setup = null;
  try {
    result.setup = "starting";
    setup = await setUp(kind, scenario, n, o, shim, result);
    const { server } = setup;
    delete result.setup;
    debug("subscribing");
    let subGens;
    const tSub = process.hrtime.bigint();
    if (scenario === "room") {
      const g = o.generator === "native" ? setup.pubGen : makeGen("subscribers-1", o);
      if (g !== setup.pubGen) setup.gens.push(g);
      subGens = [g];
      const feedsById = {};
      setup.participants.forEach((id, i) => (feedsById[id] = setup.feeds.filter((_, j) => j !== i)));
      const r = await g.call("subscribe", { sfu: oursOrJanus(kind), base: server.base, room: setup.room, ids: setup.participants, joined: true, feedsById, mode: o.subscriber });
      result.subscribeErrors = r.errors;
    } else {
      const added = await addFanoutSubscribers(setup, kind, 0, n, o);
      subGens = added.gens;
      result.subscribeErrors = added.errors;
    }
    result.subscribeSeconds = Number(process.hrtime.bigint() - tSub) / 1e9;
    result.flowingAtStart = await waitFlowing(subGens, n, 30000);
    await sleep(o.warmup * 1000);
    result.rssBeforeKiB = processRssKiB(server.pid);
    result.rssEmptyKiB = setup.rssEmpty;
    result.rssPublishedKiB = setup.rssPublished;
    Object.assign(result, await measureWindow(server, setup.gens, o.measure, scenario, n));
    result.rssAfterKiB = processRssKiB(server.pid);
    result.sockets = socketAddresses(server.pid);
    result.flowingAtEnd = await waitFlowing(subGens, n, 1);
    result.sfuOutputTail = server.output?.slice(-30);
    result.rssPerSubscriberKiB = (result.rssAfterKiB - (scenario === "room" ? setup.rssEmpty : setup.rssPublished)) / n;
  } catch (error) {
    result.error = String(error?.stack ?? error);
    result.sfuOutputTail = setup?.server.output?.slice(-60);
    if (kind === "ours" && setup) result.sfuStats = await setup.server.stats();
  } finally {
    await tearDown(setup, kind, result, net0);
  }
  return result;
}

/** The harness's own floor: the native publisher sends its top layer and audio straight to N native receivers. */
async function runFloor(scenario, n, o) {
  const result = { sfu: "none", scenario, n, generator: "native", startedAt: new Date().toISOString() };
  const gen = new NativeGen("floor", o.oursDll);
  try {
    await gen.call("floor", { n });
    result.flowingAtStart = await waitFlowing([gen], n, 15000);
    await sleep(o.warmup * 1000);
    Object.assign(result, await measureWindow(null, [gen], o.measure, "fanout", n));
  } catch (error) {
    result.error = String(error?.stack ?? error);
  } finally {
    await gen.close();
  }
  return result;
}

/**
 * Capacity: one SFU process, one publisher, subscribers added --ramp-step at a time; after each step a short settle and
 * a --ramp-measure window; stops at the first step with loss > 0.5 % or p99 > 20 ms (the SFU's limit), or when the
 * generator itself is near saturation (its limit, reported as such), or at --ramp-max.
 */
async function runRamp(kind, o, shim) {
  const result = { sfu: kind, scenario: "ramp", n: 0, generator: o.generator, startedAt: new Date().toISOString(), steps: [] };
  const net0 = nonLoopbackPackets();
  let setup = null;
  try {
    setup = await setUp(kind, "ramp", 0, o, shim, result);
    let gens = [];
    for (let n = o.rampStep; n <= o.rampMax; n += o.rampStep) {
      const added = await addFanoutSubscribers(setup, kind, n - o.rampStep, n, o);
      for (const g of added.gens) if (!gens.includes(g)) gens.push(g);
      const flowing = await waitFlowing(gens, n, 15000);
      await sleep((o.rampSettle + (n === o.rampStep ? o.warmup : 0)) * 1000);
      const w = await measureWindow(setup.server, setup.gens, o.rampMeasure, "fanout", n);
      const step = {
        n,
        streams: 2 * n,
        flowing: flowing?.flowing,
        subscribeErrors: added.errors.length,
        sfuCpuShare: w.sfuCpuShare,
        loadgenCpuShare: w.loadgenCpuShare,
        forwardedPps: w.forwardedPps,
        ppsPerCore: w.ppsPerCore,
        usPerPacket: w.usPerPacket,
        p50Us: w.p50Us,
        p99Us: w.p99Us,
        handlerP50Us: w.handlerP50Us,
        handlerP99Us: w.handlerP99Us,
        loss: w.loss,
        stealPct: w.stealPct,
        loadavg: w.loadavgAfter,
        byLayer: w.received.byLayer,
      };
      step.limit =
        (flowing?.flowing ?? 0) < n ? "not all flowing" : w.loss > 0.005 ? "loss > 0.5 %" : w.p99Us > 20000 ? "p99 > 20 ms" : w.loadgenCpuShare > 0.9 ? "generator ≥ 90 % CPU" : null;
      result.steps.push(step);
      console.log(`    ramp ${kind} n=${n}: SFU CPU ${fmt(100 * w.sfuCpuShare)} %, loadgen ${fmt(100 * w.loadgenCpuShare)} %, p50 ${fmt(w.p50Us / 1000, 2)} ms, p99 ${fmt(w.p99Us / 1000, 2)} ms (handler ${fmt(ms(w.handlerP50Us), 2)} / ${fmt(ms(w.handlerP99Us), 2)}), loss ${fmt(100 * w.loss, 3)} %, flowing ${flowing?.flowing}/${n}${step.limit ? ` → limit: ${step.limit}` : ""}`);
      if (step.limit) break;
    }
    const passed = result.steps.filter((s) => !s.limit);
    result.maxSubscribers = passed.length ? passed[passed.length - 1].n : 0;
    result.stoppedBy = result.steps.at(-1)?.limit ?? "ramp-max";
    // Per core: the subscribers the SFU held at its last passing step, scaled to a full core by its CPU share there.
    const last = passed.at(-1);
    result.maxSubscribersPerCore = last ? last.n / Math.max(last.sfuCpuShare, 1e-9) : 0;
    result.n = result.maxSubscribers;
    result.sockets = socketAddresses(setup.server.pid);
  } catch (error) {
    result.error = String(error?.stack ?? error);
    result.sfuOutputTail = setup?.server.output?.slice(-60);
  } finally {
    await tearDown(setup, kind, result, net0);
  }
  return result;
}

const ms = (us) => (us === null || us === undefined ? null : us / 1000);
const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toFixed(d));
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(results, sfus) {
  const rows = [];
  rows.push("| scenario | SFU | subs | streams | fwd Mbit/s | fwd pkt/s | SFU CPU % | CPU-ms / Mbit | µs / pkt | pkt/s per core | p50 ms | p99 ms | handler p50 / p99 ms | loss % | RSS / sub KiB | layers recv (q/h/f) | layer switches / stream·min | steal % | loadgen CPU % |");
  rows.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const groups = new Map();
  for (const r of results.filter((r) => r.scenario !== "ramp")) {
    const key = `${r.scenario}|${r.n}|${r.sfu}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const [key, rs] of groups) {
    const [scenario, n, sfu] = key.split("|");
    const ok = rs.filter((r) => !r.error);
    if (ok.length === 0) {
      rows.push(`| ${scenario} | ${sfu} | ${n} | | **failed**: ${rs[0].error.split("\n")[0].slice(0, 160)} | | | | | | | | | | | | | |`);
      continue;
    }
    const m = (f) => median(ok.map(f));
    const layers = m((r) => r.received.byLayer[0]) + m((r) => r.received.byLayer[1]) + m((r) => r.received.byLayer[2]);
    const mix = [0, 1, 2].map((i) => fmt((100 * m((r) => r.received.byLayer[i])) / Math.max(1, layers), 0)).join("/");
    rows.push(
      `| ${scenario} | ${sfu} | ${n} | ${ok[0].streams} | ${fmt(m((r) => r.forwardedMbps))} | ${fmt(m((r) => r.forwardedPps), 0)} | ${fmt(100 * m((r) => r.sfuCpuShare))} | ${fmt(m((r) => r.cpuMsPerMbit), 2)} | ${fmt(m((r) => r.usPerPacket), 1)} | ${fmt(m((r) => r.ppsPerCore), 0)} | ${fmt(m((r) => r.p50Us) / 1000, 2)} | ${fmt(m((r) => r.p99Us) / 1000, 2)} | ${fmt(ms(m((r) => r.handlerP50Us)), 2)} / ${fmt(ms(m((r) => r.handlerP99Us)), 2)} | ${fmt(100 * m((r) => r.loss), 3)} | ${fmt(m((r) => r.rssPerSubscriberKiB), 0)} | ${mix} | ${fmt(m((r) => r.layerSwitchesPerStreamMinute), 2)} | ${fmt(m((r) => r.stealPct))} | ${fmt(100 * m((r) => r.loadgenCpuShare))} |`,
    );
  }
  const ramps = results.filter((r) => r.scenario === "ramp");
  if (ramps.length) {
    rows.push("", "| ramp | SFU | max subs before limit | streams | stopped by | SFU CPU % at max | subs per core (extrapolated) | pkt/s per core at max | p50 / p99 ms at max | p99 ms at the failing step | loss % at the failing step | loadgen CPU % at max |", "|---|---|---|---|---|---|---|---|---|---|---|---|");
    const bySfu = new Map();
    for (const r of ramps) bySfu.set(r.sfu, [...(bySfu.get(r.sfu) ?? []), r]);
    for (const [sfu, rs] of bySfu) {
      const ok = rs.filter((r) => !r.error);
      if (ok.length === 0) {
        rows.push(`| ramp | ${sfu} | **failed**: ${rs[0].error.split("\n")[0].slice(0, 160)} | | | | | | | | | |`);
        continue;
      }
      const m = (f) => median(ok.map(f));
      const atMax = (r) => r.steps.filter((s) => !s.limit).at(-1) ?? {};
      const failing = (r) => r.steps.find((s) => s.limit) ?? {};
      rows.push(
        `| ramp | ${sfu} | ${fmt(m((r) => r.maxSubscribers), 0)} | ${fmt(2 * m((r) => r.maxSubscribers), 0)} | ${ok.map((r) => r.stoppedBy).join(", ")} | ${fmt(100 * m((r) => atMax(r).sfuCpuShare))} | ${fmt(m((r) => r.maxSubscribersPerCore), 0)} | ${fmt(m((r) => atMax(r).ppsPerCore), 0)} | ${fmt(m((r) => atMax(r).p50Us) / 1000, 2)} / ${fmt(m((r) => atMax(r).p99Us) / 1000, 2)} | ${fmt(m((r) => failing(r).p99Us) / 1000, 2)} | ${fmt(100 * m((r) => failing(r).loss), 3)} | ${fmt(100 * m((r) => atMax(r).loadgenCpuShare))} |`,
      );
    }
  }
  // Ratios ours / each Janus.
  const ratio = [];
  if (sfus.includes("ours")) {
    ratio.push("", "| scenario | subs | vs | CPU-ms/Mbit ours ÷ theirs | µs/pkt ours ÷ theirs | p50 ours ÷ theirs | p99 ours ÷ theirs | RSS/sub ours ÷ theirs |", "|---|---|---|---|---|---|---|---|");
    for (const [key, rs] of groups) {
      const [scenario, n, sfu] = key.split("|");
      if (sfu === "ours" || sfu === "none") continue;
      const ours = groups.get(`${scenario}|${n}|ours`)?.filter((r) => !r.error) ?? [];
      const theirs = rs.filter((r) => !r.error);
      if (ours.length === 0 || theirs.length === 0) continue;
      const q = (f) => median(ours.map(f)) / median(theirs.map(f));
      ratio.push(`| ${scenario} | ${n} | ${sfu} | ${fmt(q((r) => r.cpuMsPerMbit), 2)} | ${fmt(q((r) => r.usPerPacket), 2)} | ${fmt(q((r) => r.p50Us), 2)} | ${fmt(q((r) => r.p99Us), 2)} | ${fmt(q((r) => r.rssPerSubscriberKiB), 2)} |`);
    }
  }
  return rows.concat(ratio).join("\n");
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  o.work = path.join(o.out, "sfu-work");
  fs.mkdirSync(o.work, { recursive: true });
  const shim = o.sfus.some((s) => s.startsWith("janus")) ? buildShim(o.work, path.join(here, "getifaddrs-lo.c")) : null;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const machine = {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    kernel: os.release(),
    node: process.version,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    affinity: o.loadCpus,
  };
  console.log(`# SFU bench ${new Date().toISOString()} — ${machine.nproc} CPUs (${machine.cpu}), node ${machine.node}; SFU on CPU ${o.sfuCpus}, load on CPU ${o.loadCpus}`);
  const startedMs = Date.now();
  const plan = [];
  for (let round = 0; round < o.rounds; round++) {
    let flip = round % 2;
    const ladder = [];
    if (o.scenarios.includes("floor")) for (const n of o.floor) plan.push({ sfu: "none", scenario: "floor", n, round });
    if (o.scenarios.includes("fanout")) for (const n of o.subs) ladder.push(["fanout", n]);
    if (o.scenarios.includes("room") && o.room > 1) ladder.push(["room", o.room]);
    if (o.scenarios.includes("ramp")) ladder.push(["ramp", 0]);
    for (const [scenario, n] of ladder) {
      const order = flip ? [...o.sfus].reverse() : [...o.sfus];
      flip ^= 1;
      for (const sfu of order) plan.push({ sfu, scenario, n, round });
    }
  }
  const results = [];
  for (const step of plan) {
    const t = Date.now();
    process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${step.scenario} n=${step.n} ${step.sfu} (round ${step.round + 1}) … `);
    const r = step.scenario === "ramp" ? await runRamp(step.sfu, o, shim) : await runOne(step.sfu, step.scenario, step.n, o, shim);
    r.round = step.round;
    results.push(r);
    if (step.scenario === "ramp" && !r.error) console.log(`${((Date.now() - t) / 1000).toFixed(0)} s: max ${r.maxSubscribers} subscribers (${2 * r.maxSubscribers} streams) (stopped by: ${r.stoppedBy}), ≈ ${fmt(r.maxSubscribersPerCore, 0)} per core`);
    else if (r.error) console.log(`FAILED (${((Date.now() - t) / 1000).toFixed(0)} s): ${r.error.split("\n")[0]}`);
    else
      console.log(
        `${((Date.now() - t) / 1000).toFixed(0)} s: ${fmt(r.forwardedMbps)} Mbit/s, ${fmt(r.forwardedPps, 0)} pkt/s, SFU CPU ${fmt(100 * r.sfuCpuShare)} %, ${fmt(r.cpuMsPerMbit, 2)} ms/Mbit, ${fmt(r.usPerPacket)} µs/pkt, p50 ${fmt(r.p50Us / 1000, 2)} ms, p99 ${fmt(r.p99Us / 1000, 2)} ms (handler ${fmt(ms(r.handlerP50Us), 2)} / ${fmt(ms(r.handlerP99Us), 2)}), loss ${fmt(100 * r.loss, 3)} %, steal ${fmt(r.stealPct)} %, loadavg ${r.loadavgAfter?.split(" ")[0]}, loadgen ${fmt(100 * r.loadgenCpuShare)} %, switches/stream·min ${fmt(r.layerSwitchesPerStreamMinute, 2)}, decrypt errors ${r.received?.decryptErrors}, flowing ${r.flowingAtStart?.flowing}/${step.n} (set up in ${fmt(r.subscribeSeconds, 0)} s), off-lo sockets ${r.socketsOffLoopback?.length ?? "?"}, non-lo packets tx ${r.nonLoopbackPackets?.tx}`,
      );
    fs.writeFileSync(path.join(o.out, `sfu-results-${stamp}.json`), JSON.stringify({ machine, options: o, results }, null, 2));
  }
  const durationMin = (Date.now() - startedMs) / 60000;
  const loads = results.map((r) => Number((r.loadavgAfter ?? r.steps?.at(-1)?.loadavg ?? "").split(" ")[0])).filter((x) => !Number.isNaN(x) && x > 0);
  const md = `# SFU bench ${stamp} UTC\n\nmachine: ${JSON.stringify(machine)}\n\ncommand: node bench/sfu/run.mjs ${process.argv.slice(2).join(" ")}\n\nduration: ${durationMin.toFixed(1)} min; 1-min load average during the windows: median ${fmt(median(loads), 2)}, max ${fmt(Math.max(...loads), 2)}\n\n${table(results, o.sfus)}\n`;
  fs.writeFileSync(path.join(o.out, `sfu-results-${stamp}.md`), md);
  console.log(`\n${md}\nresults: ${path.join(o.out, `sfu-results-${stamp}.json`)} and .md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
