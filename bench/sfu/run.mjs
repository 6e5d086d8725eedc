// SFU benchmark orchestrator (bench/sfu.sh runs it pinned to the load generators' CPU): for each scenario it starts a
// fresh SFU — ours (bench/Suite.Bench.Sfu) or Janus 1.1.2 — pinned to --sfu-cpus, forks the werift load generators,
// waits until every subscriber receives audio and video, warms up, then measures a window: the SFU's CPU time
// (/proc/<pid>/stat), its RSS, /proc/stat steal, and what the subscribers received. SFUs alternate within the run.
import { fork } from "node:child_process";
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

const HELP = `node bench/sfu/run.mjs [options]
  --sfus ours,janus,janus-el1   SFUs to compare (janus-el1: Janus with event_loops = 1)
  --subs 10,50,100,200          subscriber counts for 1 publisher → N subscribers
  --room 6                      participants of the "everyone talks" room (0: skip)
  --scenarios fanout,room       which scenarios
  --rounds 1                    repetitions of the whole ladder (medians are reported)
  --warmup 8 --measure 20       seconds
  --sfu-cpus 0 --load-cpus 1    the SFU's CPU and the load generators' (this process should already run on the latter)
  --subs-per-process 100        werift subscribers per load generator process
  --subscriber light            light: count SRTP headers, decrypt 1 packet in 8 for the latency; full: werift's whole
                                receive path (RTCP reports, NACK, transport-cc) — ≈ 70–120 µs of JS per packet
  --ours-dll bench/Suite.Bench.Sfu/bin/Release/net10.0/Suite.Bench.Sfu.dll
  --out artifacts/bench`;

function parseArgs(argv) {
  const o = {
    sfus: ["ours", "janus", "janus-el1"],
    subs: [10, 50, 100, 200],
    room: 6,
    scenarios: ["fanout", "room"],
    rounds: 1,
    warmup: 8,
    measure: 20,
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

/** One scenario against one SFU: a fresh SFU process, fresh load generators. */
async function runOne(kind, scenario, n, o, shim) {
  const result = { sfu: kind, scenario, n, startedAt: new Date().toISOString() };
  const server = makeServer(kind, o, shim);
  const gens = [];
  const net0 = nonLoopbackPackets();
  try {
    await server.start();
    result.sfuPid = server.pid;
    const room = scenario === "room" ? 2000 + n : 1000 + n;
    const pubGen = new LoadGen("publisher");
    gens.push(pubGen);
    const rssEmpty = processRssKiB(server.pid);
    let feeds = [];
    const participants = scenario === "room" ? Array.from({ length: n }, (_, i) => `p${i + 1}`) : ["pub"];
    if (kind !== "ours") await pubGen.call("createJanusRoom", { base: server.base, room });
    for (const id of participants) {
      const r = await pubGen.call("publish", { sfu: kind === "ours" ? "ours" : "janus", base: server.base, room, id });
      feeds.push(r.feed);
    }
    debug("published", feeds);
    await sleep(2000);
    debug("subscribing");
    const rssPublished = processRssKiB(server.pid);

    const subGens = [];
    if (scenario === "room") {
      const g = new LoadGen("subscribers-1");
      gens.push(g);
      subGens.push(g);
      const feedsById = {};
      participants.forEach((id, i) => (feedsById[id] = feeds.filter((_, j) => j !== i)));
      const tSub = process.hrtime.bigint();
      const r = await g.call("subscribe", { sfu: kind === "ours" ? "ours" : "janus", base: server.base, room, ids: participants, joined: true, feedsById, mode: o.subscriber });
      result.subscribeErrors = r.errors;
      result.subscribeSeconds = Number(process.hrtime.bigint() - tSub) / 1e9;
    } else {
      const ids = Array.from({ length: n }, (_, i) => `s${i + 1}`);
      const tSub = process.hrtime.bigint();
      const chunks = [];
      for (let i = 0; i < ids.length; i += o.subsPerProcess) chunks.push(ids.slice(i, i + o.subsPerProcess));
      const rs = await Promise.all(
        chunks.map((chunk, i) => {
          const g = new LoadGen(`subscribers-${i + 1}`);
          gens.push(g);
          subGens.push(g);
          return g.call("subscribe", { sfu: kind === "ours" ? "ours" : "janus", base: server.base, room, ids: chunk, feeds, batch: 16, mode: o.subscriber }, 60000 + 3000 * chunk.length);
        }),
      );
      result.subscribeErrors = rs.flatMap((r) => r.errors);
      result.subscribeSeconds = Number(process.hrtime.bigint() - tSub) / 1e9;
    }
    const expected = scenario === "room" ? n : n;
    result.flowingAtStart = await waitFlowing(subGens, expected, 30000);
    await sleep(o.warmup * 1000);
    result.rssBeforeKiB = processRssKiB(server.pid);
    result.rssEmptyKiB = rssEmpty;
    result.rssPublishedKiB = rssPublished;

    // Measure window.
    const stats0 = await server.stats();
    await Promise.all(gens.map((g) => g.call("startRecording")));
    const cpu0 = processCpuMs(server.pid);
    const ticks0 = cpuTicks();
    result.loadavgBefore = fs.readFileSync("/proc/loadavg", "utf8").trim();
    const t0 = process.hrtime.bigint();
    await sleep(o.measure * 1000);
    const cpu1 = processCpuMs(server.pid);
    const ticks1 = cpuTicks();
    result.loadavgAfter = fs.readFileSync("/proc/loadavg", "utf8").trim();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const parts = await Promise.all(gens.map((g) => g.call("stopRecording")));
    const stats1 = await server.stats();
    result.rssAfterKiB = processRssKiB(server.pid);
    result.sockets = socketAddresses(server.pid);
    result.flowingAtEnd = await waitFlowing(subGens, expected, 1);

    result.wallMs = wallMs;
    result.sfuCpuMs = cpu1 - cpu0;
    result.stealPct = (100 * (ticks1.steal - ticks0.steal)) / Math.max(1, ticks1.total - ticks0.total);
    result.loadgenCpuMs = parts.reduce((a, p) => a + p.cpuMs, 0);
    result.sent = parts[0].sent;
    const recv = { packets: 0, bytes: 0, gaps: 0, late: 0, duplicates: 0, byLayer: [0, 0, 0, 0], bytesByLayer: [0, 0, 0, 0], latencyCount: 0, maxLatencyUs: 0 };
    const hist = new Map();
    for (const p of parts.slice(1)) {
      const r = p.received;
      for (const k of ["packets", "bytes", "gaps", "late", "duplicates", "latencyCount"]) recv[k] += r[k];
      r.byLayer.forEach((v, i) => (recv.byLayer[i] += v));
      r.bytesByLayer.forEach((v, i) => (recv.bytesByLayer[i] += v));
      recv.maxLatencyUs = Math.max(recv.maxLatencyUs, r.maxLatencyUs);
      for (const [k, v] of r.latency) hist.set(k, (hist.get(k) ?? 0) + v);
    }
    result.received = recv;
    result.p50Us = percentile(hist, recv.latencyCount, 0.5);
    result.p99Us = percentile(hist, recv.latencyCount, 0.99);
    const lost = Math.max(0, recv.gaps - recv.late);
    result.loss = lost / Math.max(1, recv.packets + lost);
    const mbit = (recv.bytes * 8) / 1e6;
    result.forwardedMbps = mbit / (wallMs / 1000);
    result.forwardedPps = recv.packets / (wallMs / 1000);
    result.cpuMsPerMbit = result.sfuCpuMs / mbit;
    result.usPerPacket = (result.sfuCpuMs * 1000) / Math.max(1, recv.packets);
    result.sfuCpuShare = result.sfuCpuMs / wallMs;
    result.ppsPerCore = recv.packets / (result.sfuCpuMs / 1000);
    const subscriberCount = scenario === "room" ? n : n;
    result.streams = scenario === "room" ? n * (n - 1) * 2 : n * 2; // forwarded tracks (audio + video) to subscribers
    result.rssPerSubscriberKiB = (result.rssAfterKiB - (scenario === "room" ? rssEmpty : rssPublished)) / subscriberCount;
    result.loadgenCpuShare = result.loadgenCpuMs / wallMs;
    if (kind === "ours") result.sfuStats = { before: stats0, after: stats1 };
  } catch (error) {
    result.error = String(error?.stack ?? error);
    result.sfuOutputTail = server.output?.slice(-60);
    if (kind === "ours") result.sfuStats = await server.stats();
  } finally {
    await Promise.all(gens.map((g) => g.close()));
    await server.stop().catch(() => {});
    const net1 = nonLoopbackPackets();
    result.nonLoopbackPackets = { rx: net1.rx - net0.rx, tx: net1.tx - net0.tx };
    if (result.sockets) result.socketsOffLoopback = result.sockets.filter((a) => !a.startsWith("127.0.0.1:") && !a.startsWith("[::ffff:127.0.0.1]:"));
  }
  return result;
}

const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toFixed(d));
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(results, sfus) {
  const rows = [];
  rows.push("| scenario | SFU | subs | streams | fwd Mbit/s | fwd pkt/s | SFU CPU % | CPU-ms / Mbit | µs / pkt | pkt/s per core | p50 ms | p99 ms | loss % | RSS / sub KiB | layers recv (q/h/f) | steal % | loadgen CPU % |");
  rows.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const groups = new Map();
  for (const r of results) {
    const key = `${r.scenario}|${r.n}|${r.sfu}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const [key, rs] of groups) {
    const [scenario, n, sfu] = key.split("|");
    const ok = rs.filter((r) => !r.error);
    if (ok.length === 0) {
      rows.push(`| ${scenario} | ${sfu} | ${n} | | **failed**: ${rs[0].error.split("\n")[0].slice(0, 160)} | | | | | | | | | | | | |`);
      continue;
    }
    const m = (f) => median(ok.map(f));
    const layers = m((r) => r.received.byLayer[0]) + m((r) => r.received.byLayer[1]) + m((r) => r.received.byLayer[2]);
    const mix = [0, 1, 2].map((i) => fmt((100 * m((r) => r.received.byLayer[i])) / Math.max(1, layers), 0)).join("/");
    rows.push(
      `| ${scenario} | ${sfu} | ${n} | ${ok[0].streams} | ${fmt(m((r) => r.forwardedMbps))} | ${fmt(m((r) => r.forwardedPps), 0)} | ${fmt(100 * m((r) => r.sfuCpuShare))} | ${fmt(m((r) => r.cpuMsPerMbit), 2)} | ${fmt(m((r) => r.usPerPacket), 1)} | ${fmt(m((r) => r.ppsPerCore), 0)} | ${fmt(m((r) => r.p50Us) / 1000, 2)} | ${fmt(m((r) => r.p99Us) / 1000, 2)} | ${fmt(100 * m((r) => r.loss), 3)} | ${fmt(m((r) => r.rssPerSubscriberKiB), 0)} | ${mix} | ${fmt(m((r) => r.stealPct))} | ${fmt(100 * m((r) => r.loadgenCpuShare))} |`,
    );
  }
  // Ratios ours / each Janus.
  const ratio = [];
  if (sfus.includes("ours")) {
    ratio.push("", "| scenario | subs | vs | CPU-ms/Mbit ours ÷ theirs | µs/pkt ours ÷ theirs | p99 ours ÷ theirs | RSS/sub ours ÷ theirs |", "|---|---|---|---|---|---|---|");
    for (const [key, rs] of groups) {
      const [scenario, n, sfu] = key.split("|");
      if (sfu === "ours") continue;
      const ours = groups.get(`${scenario}|${n}|ours`)?.filter((r) => !r.error) ?? [];
      const theirs = rs.filter((r) => !r.error);
      if (ours.length === 0 || theirs.length === 0) continue;
      const q = (f) => median(ours.map(f)) / median(theirs.map(f));
      ratio.push(`| ${scenario} | ${n} | ${sfu} | ${fmt(q((r) => r.cpuMsPerMbit), 2)} | ${fmt(q((r) => r.usPerPacket), 2)} | ${fmt(q((r) => r.p99Us), 2)} | ${fmt(q((r) => r.rssPerSubscriberKiB), 2)} |`);
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
  const plan = [];
  for (let round = 0; round < o.rounds; round++) {
    let flip = round % 2;
    const ladder = [];
    if (o.scenarios.includes("fanout")) for (const n of o.subs) ladder.push(["fanout", n]);
    if (o.scenarios.includes("room") && o.room > 1) ladder.push(["room", o.room]);
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
    const r = await runOne(step.sfu, step.scenario, step.n, o, shim);
    r.round = step.round;
    results.push(r);
    if (r.error) console.log(`FAILED (${((Date.now() - t) / 1000).toFixed(0)} s): ${r.error.split("\n")[0]}`);
    else
      console.log(
        `${((Date.now() - t) / 1000).toFixed(0)} s: ${fmt(r.forwardedMbps)} Mbit/s, ${fmt(r.forwardedPps, 0)} pkt/s, SFU CPU ${fmt(100 * r.sfuCpuShare)} %, ${fmt(r.cpuMsPerMbit, 2)} ms/Mbit, ${fmt(r.usPerPacket)} µs/pkt, p50 ${fmt(r.p50Us / 1000, 2)} ms, p99 ${fmt(r.p99Us / 1000, 2)} ms, loss ${fmt(100 * r.loss, 3)} %, steal ${fmt(r.stealPct)} %, loadavg ${r.loadavgAfter?.split(" ")[0]}, loadgen ${fmt(100 * r.loadgenCpuShare)} %, flowing ${r.flowingAtStart?.flowing}/${step.n} (set up in ${fmt(r.subscribeSeconds, 0)} s), off-lo sockets ${r.socketsOffLoopback?.length ?? "?"}, non-lo packets tx ${r.nonLoopbackPackets.tx}`,
      );
    fs.writeFileSync(path.join(o.out, `sfu-results-${stamp}.json`), JSON.stringify({ machine, options: o, results }, null, 2));
  }
  const md = `# SFU bench ${stamp} UTC\n\nmachine: ${JSON.stringify(machine)}\n\ncommand: node bench/sfu/run.mjs ${process.argv.slice(2).join(" ")}\n\n${table(results, o.sfus)}\n`;
  fs.writeFileSync(path.join(o.out, `sfu-results-${stamp}.md`), md);
  console.log(`\n${table(results, o.sfus)}\n\nresults: ${path.join(o.out, `sfu-results-${stamp}.json`)} and .md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
