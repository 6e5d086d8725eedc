// Starting and observing the two SFUs: ours (bench/Suite.Bench.Sfu) and Janus 1.1.2 from Debian, loopback only.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process in ms (USER_HZ = 100). */
export function processCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function processRssKiB(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : -1;
}

/** The aggregate "cpu" line of /proc/stat: { total, steal } in ticks. */
export function cpuTicks() {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: line.slice(0, 8).reduce((a, b) => a + b, 0), steal: line[7] };
}

/** tx/rx packets of every interface but lo, from /proc/net/dev. */
export function nonLoopbackPackets() {
  let rx = 0;
  let tx = 0;
  for (const line of fs.readFileSync("/proc/net/dev", "utf8").split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!rest || name.trim() === "lo") continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[1];
    tx += f[9];
  }
  return { rx, tx };
}

/** Local addresses of the UDP/TCP sockets a process holds (from `ss -uatnp`). */
export function socketAddresses(pid) {
  try {
    const out = execFileSync("ss", ["-uatnpH"], { encoding: "utf8" });
    return out
      .split("\n")
      .filter((l) => l.includes(`pid=${pid},`))
      .map((l) => l.trim().split(/\s+/)[4]);
  } catch {
    return [];
  }
}

function waitForLine(child, regex, ms, what) {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`${what}: not ready after ${ms} ms; output: ${buffer.slice(-2000)}`)), ms);
    child.stdout.on("data", (d) => {
      buffer += d;
      const m = regex.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}; output: ${buffer.slice(-2000)}`));
    });
  });
}

/** Keeps the last lines of a child's output for error reports. */
function tail(child, keep = 200) {
  const lines = [];
  const add = (d) => {
    for (const l of String(d).split("\n")) if (l) lines.push(l);
    while (lines.length > keep) lines.shift();
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return lines;
}

export class OursServer {
  constructor({ dll, cpus, httpPort = 8089 }) {
    this.dll = dll;
    this.cpus = cpus;
    this.httpPort = httpPort;
    this.base = `http://127.0.0.1:${httpPort}`;
    this.kind = "ours";
  }

  async start() {
    this.child = spawn("taskset", ["-c", this.cpus, "dotnet", this.dll, "--http-port", String(this.httpPort)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DOTNET_gcServer: "0", DOTNET_TieredPGO: "1" },
    });
    this.output = tail(this.child);
    const m = await waitForLine(this.child, /READY (\d+) (\d+)/, 30000, "Suite.Bench.Sfu");
    this.mediaPort = Number(m[2]);
    this.pid = this.child.pid;
  }

  async stats() {
    try {
      const r = await fetch(`${this.base}/stats`);
      return await r.json();
    } catch (error) {
      return { error: String(error) };
    }
  }

  async stop() {
    try {
      await fetch(`${this.base}/quit`, { method: "POST" });
    } catch {}
    await killAfter(this.child, 3000);
  }
}

export class JanusServer {
  constructor({ work, cpus, eventLoops = 0, httpPort = 8088, shim, debugLevel = Number(process.env.SFU_BENCH_JANUS_DEBUG ?? 3) }) {
    this.debugLevel = debugLevel;
    this.work = work;
    this.cpus = cpus;
    this.eventLoops = eventLoops;
    this.httpPort = httpPort;
    this.shim = shim;
    this.base = `http://127.0.0.1:${httpPort}/janus`;
    this.kind = eventLoops > 0 ? `janus-el${eventLoops}` : "janus";
  }

  /** A private config folder: only the HTTP transport and the VideoRoom plugin are loaded. */
  writeConfig() {
    const dir = fs.mkdtempSync(path.join(this.work, "janus-"));
    const lib = "/usr/lib/x86_64-linux-gnu/janus";
    for (const [sub, file] of [
      ["plugins", "libjanus_videoroom.so"],
      ["transports", "libjanus_http.so"],
    ]) {
      fs.mkdirSync(path.join(dir, sub));
      fs.symlinkSync(path.join(lib, sub, file), path.join(dir, sub, file));
    }
    fs.mkdirSync(path.join(dir, "events"));
    fs.mkdirSync(path.join(dir, "loggers"));
    fs.writeFileSync(
      path.join(dir, "janus.jcfg"),
      `general: {
	configs_folder = "${dir}"
	plugins_folder = "${dir}/plugins"
	transports_folder = "${dir}/transports"
	events_folder = "${dir}/events"
	loggers_folder = "${dir}/loggers"
	debug_level = ${this.debugLevel}
	admin_secret = "bench-${process.pid}"
	session_timeout = 0
	${this.eventLoops > 0 ? `event_loops = ${this.eventLoops}` : ""}
}
certificates: {
}
media: {
	rtp_port_range = "20000-40000"
	no_media_timer = 5
}
nat: {
	nice_debug = false
	ice_lite = true
	ice_tcp = false
	full_trickle = false
	ice_ignore_list = "vmnet"
}
plugins: {
}
transports: {
}
loggers: {
}
events: {
	broadcast = false
}
`,
    );
    fs.writeFileSync(
      path.join(dir, "janus.transport.http.jcfg"),
      `general: {
	json = "plain"
	base_path = "/janus"
	http = true
	port = ${this.httpPort}
	ip = "127.0.0.1"
	https = false
}
admin: {
	admin_base_path = "/admin"
	admin_http = false
	admin_https = false
}
cors: {
}
certificates: {
}
`,
    );
    fs.writeFileSync(path.join(dir, "janus.plugin.videoroom.jcfg"), "general: {\n}\n");
    return dir;
  }

  async start() {
    this.configDir = this.writeConfig();
    this.child = spawn("taskset", ["-c", this.cpus, "janus", "-F", this.configDir, "-C", path.join(this.configDir, "janus.jcfg")], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LD_PRELOAD: this.shim },
    });
    this.output = tail(this.child, 400);
    this.pid = this.child.pid;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}/info`);
        if (r.ok) return;
      } catch {}
      if (this.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`janus did not start: ${this.output.slice(-40).join("\n")}`);
  }

  async stats() {
    return {};
  }

  async stop() {
    await killAfter(this.child, 3000);
    fs.rmSync(this.configDir, { recursive: true, force: true });
  }
}

async function killAfter(child, ms) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  if (await Promise.race([exited.then(() => true), sleep(ms).then(() => false)])) return;
  child.kill("SIGKILL");
  await exited;
}

/** Builds the getifaddrs shim (only 127.0.0.1, not flagged as loopback so that Janus/libnice use it). */
export function buildShim(work, source) {
  const out = path.join(work, "getifaddrs-lo.so");
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(source).mtimeMs) {
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", out, source]);
  }
  return out;
}
