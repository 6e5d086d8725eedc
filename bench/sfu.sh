#!/usr/bin/env bash
# SFU benchmark, from a fresh machine: the embedded SFU (modules/Meetings/Suite.Meetings.Media, hosted by
# bench/Suite.Bench.Sfu) against Janus 1.1.2's VideoRoom (Debian package), same scenarios, same run, alternating.
# Default: floor (the harness alone), fanout 1 → 10/50/100/200, room of 6, ramp (max subscribers before loss > 0.5 % or
# p99 > 20 ms), 2 rounds, ≈ 20 min; `bench/sfu.sh --help` lists the modes and options.
# Installs janus and a C compiler (for the getifaddrs shim) from Debian (policy-rc.d set to `exit 101` so apt starts no
# daemon), `npm ci` in bench/sfu (werift, for --generator werift; node_modules is git-ignored), builds the host and the
# native load generator (bench/Suite.Bench.Sfu) in Release, then runs bench/sfu/run.mjs with the SFU under test pinned
# to CPU 0 and the load generator to CPU 1; arguments go to run.mjs. Results: artifacts/bench/sfu-results-<utc>.md/.json.
# See bench/README.md.
# Needs root (apt-get; negative nice). Not part of build/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then exec node bench/sfu/run.mjs --help; fi
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DEBIAN_FRONTEND=noninteractive

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(janus gcc libc6-dev iproute2 util-linux)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[sfu.sh] installing ${missing[*]}"
  # Keep apt from starting the packages' daemons (Janus especially): the harness starts its own, loopback only.
  if ! grep -qs '^exit 101' /usr/sbin/policy-rc.d; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null && as_root chmod 755 /usr/sbin/policy-rc.d
  fi
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d bench/sfu/node_modules/werift ] || [ bench/sfu/package-lock.json -nt bench/sfu/node_modules/.package-lock.json ]; then
  (cd bench/sfu && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build bench/Suite.Bench.Sfu/Suite.Bench.Sfu.csproj -c Release --nologo -v q

# Other work on this 2-CPU machine (builds, tests) would take turns with the SFU and the load generators on their
# pinned CPUs. The kernel shares CPU time between sessions (autogroups) first, so a plain `nice` does not help: run in a
# session of our own whose autogroup has priority (-15), plus nice -15 inside it. Both SFUs get the same treatment.
exec setsid bash -c 'echo -15 > /proc/self/autogroup 2>/dev/null || true; ulimit -n 65536 2>/dev/null || true;
  exec nice -n -15 taskset -c 1 node bench/sfu/run.mjs --sfu-cpus 0 --load-cpus 1 "$@"' sfu-bench "$@"
