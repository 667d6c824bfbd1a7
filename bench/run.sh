#!/usr/bin/env bash
# Download benchmark: the published portal (SQLite) against nginx serving the same files, in one run, on
# loopback. Prints the figures docs/performance.md reports. Needs wrk, nginx and curl (installed with
# apt-get when missing and run as root). Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${BENCH_DURATION:-15s}"
APP_PORT="${BENCH_APP_PORT:-5391}"
NGINX_PORT="${BENCH_NGINX_PORT:-5392}"
KEY="bench-api-key-0123456789abcdefghijklmnopqrstuv"
WORK="$(mktemp -d /tmp/portal-bench.XXXXXX)"
APP="http://127.0.0.1:${APP_PORT}"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need wrk || ! need nginx; then
  if [ "$(id -u)" = "0" ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; else
    echo "wrk and nginx are needed (apt-get install wrk nginx-light)" >&2; exit 1; fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
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

mkdir -p "$WORK/files/bench/app/1.0.0"
head -c 4096 /dev/urandom >"$WORK/files/bench/app/1.0.0/small.bin"
head -c $((256 * 1024 * 1024)) /dev/urandom >"$WORK/files/bench/app/1.0.0/large.bin"
api -H 'Content-Type: application/json' -d '{"slug":"bench","name":"Bench"}' "$APP/api/v1/repos" >/dev/null
for f in small.bin large.bin; do
  api -F name=app -F version=1.0.0 -F "file=@$WORK/files/bench/app/1.0.0/$f" "$APP/api/v1/repos/bench/packages" >/dev/null
done
TOKEN=$(api -H 'Content-Type: application/json' -d '{"name":"unlimited"}' "$APP/api/v1/repos/bench/entitlements" | json token)
LIMITED=$(api -H 'Content-Type: application/json' -d '{"name":"fifty","limitDownloads":50}' "$APP/api/v1/repos/bench/entitlements" | json token)

echo "== starting nginx on 127.0.0.1:$NGINX_PORT serving the same files"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/files; }
}
NGINX
chmod 755 "$WORK"; chmod -R a+rX "$WORK/files"
"$NGINX" -c "$WORK/nginx.conf"
sleep 0.5
# Both servers must really serve the files, or the figures below mean nothing.
for base in "$APP/dl/$TOKEN" "http://127.0.0.1:$NGINX_PORT"; do
  got=$(curl -fsS -o /dev/null -w '%{size_download}' "$base/bench/app/1.0.0/small.bin")
  [ "$got" = "4096" ] || { echo "$base did not serve the 4 KiB file (got $got bytes)" >&2; exit 1; }
done

wrk_run() { # url -> "req/s p99"
  wrk -t2 -c64 -d"$DURATION" --latency "$1" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}'
}

echo "== 4 KiB file, 64 connections, $DURATION"
read -r APP_RPS APP_P99 <<<"$(wrk_run "$APP/dl/$TOKEN/bench/app/1.0.0/small.bin")"
read -r NGX_RPS NGX_P99 <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/bench/app/1.0.0/small.bin")"
echo "portal: ${APP_RPS} req/s, p99 ${APP_P99}"
echo "nginx:  ${NGX_RPS} req/s, p99 ${NGX_P99}"
python3 -c "print(f'ratio:  {float(\"$APP_RPS\")/float(\"$NGX_RPS\"):.3f} x nginx')"

parallel_mbps() { # url -> MB/s for 16 parallel downloads
  local start end
  start=$(date +%s.%N)
  seq 16 | xargs -P 16 -I{} curl -fsS -o /dev/null "$1"
  end=$(date +%s.%N)
  python3 -c "print(f'{16*256/($end-$start):.0f}')"
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status" 2>/dev/null || pgrep -f EntitlementPortal.dll | head -1 | xargs -I{} awk '/VmRSS/ {print $2}' /proc/{}/status; }

echo "== 256 MiB file, 16 parallel downloads"
APP_REAL_PID=$(pgrep -f "EntitlementPortal.dll --urls $APP" | head -1)
APP_PID_FOR_RSS=${APP_REAL_PID:-$APP_PID}
RSS_BEFORE=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID_FOR_RSS/status")
PEAK_FILE="$WORK/peak"; echo "$RSS_BEFORE" >"$PEAK_FILE"
( while kill -0 "$APP_PID_FOR_RSS" 2>/dev/null; do
    r=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID_FOR_RSS/status" 2>/dev/null || echo 0)
    [ "$r" -gt "$(cat "$PEAK_FILE")" ] && echo "$r" >"$PEAK_FILE"; sleep 0.1; done ) &
SAMPLER=$!
APP_MBPS=$(parallel_mbps "$APP/dl/$TOKEN/bench/app/1.0.0/large.bin")
kill "$SAMPLER" 2>/dev/null || true
NGX_MBPS=$(parallel_mbps "http://127.0.0.1:$NGINX_PORT/bench/app/1.0.0/large.bin")
echo "portal: ${APP_MBPS} MB/s; nginx: ${NGX_MBPS} MB/s"
python3 -c "print(f'ratio:  {$APP_MBPS/$NGX_MBPS:.3f} x nginx')"
echo "portal RSS: before $((RSS_BEFORE / 1024)) MiB, peak $(( $(cat "$PEAK_FILE") / 1024 )) MiB, growth $(( ($(cat "$PEAK_FILE") - RSS_BEFORE) / 1024 )) MiB"

echo "== 200 concurrent requests against limitDownloads = 50"
SERVED=$(seq 200 | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$APP/dl/$LIMITED/bench/app/1.0.0/small.bin" | grep -c '^200$' || true)
echo "served: $SERVED (expected exactly 50)"
