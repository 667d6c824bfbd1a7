#!/usr/bin/env bash
# Download profile: the published portal (SQLite) under wrk load on the 4 KiB token download, with
# dotnet-counters (System.Runtime, and Microsoft.AspNetCore.Hosting's event counters for the request rate:
# CPU, allocations per request, GC, thread pool, lock contention) and a dotnet-trace stack sample summarised
# by bench/profile_summary.py as the top methods by on-CPU time. Same set-up as bench/run.sh. Needs wrk and
# curl (wrk is installed with apt-get when missing and run as root); installs dotnet-counters and dotnet-trace
# into PROFILE_TOOLS (default ~/.cache/portal-profile-tools). Takes about two minutes.
# PROFILE_KEEP=DIR keeps the raw counters, trace and speedscope files in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT="${BENCH_APP_PORT:-5393}"
CONNECTIONS="${PROFILE_CONNECTIONS:-64}"
TOOLS="${PROFILE_TOOLS:-$HOME/.cache/portal-profile-tools}"
TOOL_VERSION=10.0.750501
KEY="bench-api-key-0123456789abcdefghijklmnopqrstuv"
WORK="$(mktemp -d /tmp/portal-profile.XXXXXX)"
APP="http://127.0.0.1:${APP_PORT}"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; else
    echo "wrk is needed (apt-get install wrk)" >&2; exit 1; fi
fi
for tool in dotnet-counters dotnet-trace; do
  [ -x "$TOOLS/$tool" ] || dotnet tool install --tool-path "$TOOLS" "$tool" --version "$TOOL_VERSION" >/dev/null
done

cleanup() {
  [ -n "${WRK_PID:-}" ] && kill "$WRK_PID" 2>/dev/null || true
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  if [ -n "${PROFILE_KEEP:-}" ]; then mkdir -p "$PROFILE_KEEP" && cp "$WORK"/*.json "$WORK"/*.nettrace "$WORK"/*.txt "$WORK"/*.log "$PROFILE_KEEP"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== publishing the portal (Release)"
dotnet publish EntitlementPortal -c Release -o "$WORK/app" -v q --nologo >/dev/null

echo "== starting the portal on $APP"
( cd "$WORK/app" && ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Default="Data Source=$WORK/data/portal.db" \
  Bootstrap__AdminEmail=bench@example.com Bootstrap__AdminPassword='Bench-pass1!' Bootstrap__AdminApiKey="$KEY" \
  Logging__LogLevel__Default=Warning \
  exec dotnet EntitlementPortal.dll --urls "$APP" >"$WORK/app.log" 2>&1 ) &
APP_PID=$!
for _ in $(seq 1 60); do curl -fs "$APP/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

api() { curl -fsS -H "X-Api-Key: $KEY" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

mkdir -p "$WORK/files"
head -c 4096 /dev/urandom >"$WORK/files/small.bin"
api -H 'Content-Type: application/json' -d '{"slug":"bench","name":"Bench"}' "$APP/api/v1/repos" >/dev/null
api -F name=app -F version=1.0.0 -F "file=@$WORK/files/small.bin" "$APP/api/v1/repos/bench/packages" >/dev/null
TOKEN=$(api -H 'Content-Type: application/json' -d '{"name":"unlimited"}' "$APP/api/v1/repos/bench/entitlements" | json token)
URL="$APP/dl/$TOKEN/bench/app/1.0.0/small.bin"
got=$(curl -fsS -o /dev/null -w '%{size_download}' "$URL")
[ "$got" = "4096" ] || { echo "the portal did not serve the 4 KiB file (got $got bytes)" >&2; exit 1; }

load() { # seconds, output file: wrk in the background for that long
  wrk -t2 -c"$CONNECTIONS" -d"${1}s" --latency "$URL" >"$2" &
  WRK_PID=$!
}

echo "== warm-up: 10 s of load (JIT, pools, caches)"
load 10 "$WORK/wrk-warmup.txt"; wait "$WRK_PID"

echo "== counters: 15 s of load, sampled every 2 s"
load 17 "$WORK/wrk-counters.txt"
sleep 1
"$TOOLS/dotnet-counters" collect -p "$APP_PID" --refresh-interval 2 --duration 00:00:00:15 --format json \
  --counters 'System.Runtime,EventCounters\Microsoft.AspNetCore.Hosting,EntitlementPortal.Downloads' \
  -o "$WORK/counters.json" >"$WORK/counters.log" 2>&1
wait "$WRK_PID"

echo "== stack sample: 10 s of load"
load 14 "$WORK/wrk-trace.txt"
sleep 1
"$TOOLS/dotnet-trace" collect -p "$APP_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:10 \
  -o "$WORK/trace.nettrace" >"$WORK/trace.log" 2>&1
wait "$WRK_PID"
"$TOOLS/dotnet-trace" convert "$WORK/trace.nettrace" --format Speedscope -o "$WORK/trace" >/dev/null

echo
# Figures on a shared machine are only as good as its load: say what it was.
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee "$WORK/load.txt"
python3 bench/profile_summary.py "$WORK/wrk-counters.txt" "$WORK/counters.json" "$WORK/trace.speedscope.json" 25 \
  | tee "$WORK/summary.txt"
