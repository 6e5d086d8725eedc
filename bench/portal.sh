#!/usr/bin/env bash
# Publishes the portal (Release) to artifacts/bench/portal, builds the harness and runs it; arguments go to the harness (see bench/README.md, --help).
set -euo pipefail; cd "$(dirname "$0")/.."; ulimit -n 20000 2>/dev/null || true; dotnet publish src/Suite.Web/Suite.Web.csproj -c Release -o artifacts/bench/portal --nologo -v q && dotnet build bench/Suite.Bench.Portal/Suite.Bench.Portal.csproj -c Release --nologo -v q && exec dotnet bench/Suite.Bench.Portal/bin/Release/net10.0/Suite.Bench.Portal.dll "$@"
