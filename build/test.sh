#!/usr/bin/env bash
# The project's single test command: installs the Debian packages the tests need (PostgreSQL, Chromium, fonts),
# runs every test of the solution and closes with one line "N passed, N failed, N skipped".
# SUITE_TEST_TARGET picks what `dotnet test` runs (default Suite.sln).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TARGET="${SUITE_TEST_TARGET:-Suite.sln}"
RESULTS="$ROOT/artifacts/test-results"
PACKAGES=(postgresql chromium fonts-dejavu-core fonts-noto-color-emoji postfix dovecot-imapd dovecot-lmtpd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DEBIAN_FRONTEND=noninteractive

phase_start=$(date +%s%N)
phase() { # phase NAME: prints how long the phase that just ended took
  local now; now=$(date +%s%N)
  printf '[test.sh] %-8s %6.1f s\n' "$1" "$(awk "BEGIN{print ($now-$phase_start)/1e9}")"
  phase_start=$now
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_retry() { # apt_retry ARGS...: apt-get with up to 3 tries; a failed install refreshes the lists first
  local try
  for try in 1 2 3; do
    as_root apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 "$@" && return 0
    echo "[test.sh] apt-get $1 failed (try $try)" >&2
    sleep $((try * 5))
    [ "$1" = install ] && as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  done
  return 1
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "[test.sh] installing ${missing[*]}"
  # Keep apt from starting the packages' daemons (no init system here; tests start their own servers).
  if ! grep -qs '^exit 101' /usr/sbin/policy-rc.d; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null && as_root chmod 755 /usr/sbin/policy-rc.d
  fi
  apt_retry update -qq || return 1
  apt_retry install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

install_packages || { echo "[test.sh] could not install ${PACKAGES[*]}" >&2; exit 1; }
export SUITE_TEST_CHROMIUM="${SUITE_TEST_CHROMIUM:-/usr/bin/chromium}"
if [ -z "${SUITE_TEST_PG_BIN:-}" ]; then
  SUITE_TEST_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
export SUITE_TEST_PG_BIN
echo "[test.sh] SUITE_TEST_CHROMIUM=$SUITE_TEST_CHROMIUM SUITE_TEST_PG_BIN=$SUITE_TEST_PG_BIN"
phase install

rm -rf "$RESULTS"
dotnet build "$TARGET" -c Release
status=$?
phase build
if [ $status -eq 0 ]; then
  dotnet test "$TARGET" -c Release --no-build --logger trx --results-directory "$RESULTS"
  status=$?
  phase test
fi

# Sum the counters of every TRX file (one per test assembly).
shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
awk '
  function attr(line, name) { return match(line, name "=\"[0-9]+\"") ? substr(line, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  FNR == 1 { dll = FILENAME }
  dll == FILENAME && match($0, /storage="[^"]*"/) { n = split(substr($0, RSTART + 9, RLENGTH - 10), parts, "/"); dll = parts[n] }
  /<Counters / {
    p = attr($0, "passed"); f = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
    s = attr($0, "notExecuted") + attr($0, "inconclusive")
    printf "[test.sh] %-40s passed=%d failed=%d skipped=%d\n", dll, p, f, s
    P += p; F += f; S += s
  }
  END { printf "%d passed, %d failed, %d skipped\n", P, F, S; exit (F > 0) }
' "${trx_files[@]}" /dev/null
counted=$?
[ ${#trx_files[@]} -eq 0 ] && echo "[test.sh] no TRX file in $RESULTS: no test ran" >&2
[ $status -ne 0 ] && echo "[test.sh] dotnet test exited with $status" >&2
[ $status -eq 0 ] && [ $counted -eq 0 ]
