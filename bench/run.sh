#!/usr/bin/env bash
# Download benchmark: the published portal (SQLite, or PostgreSQL with BENCH_DATABASE=PostgreSql) against nginx serving the same files, in one run, on
# loopback. Prints the figures docs/performance.md reports and a summary table. Needs wrk, nginx and curl
# (installed with apt-get when missing and run as root). Takes about three minutes.
#
# Scenarios: a 4 KiB file with a token without limits and with a token whose limits lie far above the run
# (req/s, p99, ratio against nginx); a 256 MiB file, 16 parallel downloads (MB/s, ratio, RSS growth); 200
# concurrent requests against limitDownloads = 50 on one instance and on two app processes sharing the
# database, the package folder and the master key; the 256 MiB file through nginx running the shipped
# docs/nginx/entitlementportal.conf in front of a portal process with Downloads__Offload=XAccelRedirect (the portal
# decides and counts, nginx sends the file) against nginx serving the file directly. BENCH_SCENARIOS picks
# scenarios (default "small large limits offload"). Exits non-zero when a limit check does not serve exactly
# 50 or when the portal failed to serve a file it should have (the ratios are reported, not enforced).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${BENCH_DURATION:-15s}"
APP_PORT="${BENCH_APP_PORT:-5391}"
NGINX_PORT="${BENCH_NGINX_PORT:-5392}"
APP2_PORT="${BENCH_APP2_PORT:-5393}"
OFFLOAD_NGINX_PORT="${BENCH_OFFLOAD_NGINX_PORT:-5394}"
OFFLOAD_APP_PORT="${BENCH_OFFLOAD_APP_PORT:-5395}"
SCENARIOS="${BENCH_SCENARIOS:-small large limits offload}"
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
KEY="bench-api-key-0123456789abcdefghijklmnopqrstuv"
WORK="$(mktemp -d /tmp/portal-bench.XXXXXX)"
APP="http://127.0.0.1:${APP_PORT}"
APP2="http://127.0.0.1:${APP2_PORT}"
NGX="http://127.0.0.1:${NGINX_PORT}"
OFFLOAD_APP="http://127.0.0.1:${OFFLOAD_APP_PORT}"
OFFLOAD_NGX="http://127.0.0.1:${OFFLOAD_NGINX_PORT}"
SMALL=bench/app/1.0.0/small.bin
LARGE=bench/app/1.0.0/large.bin
LARGE_BYTES=$((256 * 1024 * 1024))

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need wrk || ! need nginx; then
  if [ "$(id -u)" = "0" ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; else
    echo "wrk and nginx are needed (apt-get install wrk nginx-light)" >&2; exit 1; fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

# Every process the bench starts is stopped (and waited for) however it ends.
stop() { [ -n "${1:-}" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  stop "${SAMPLER:-}"
  stop "${APP_PID:-}"
  stop "${APP2_PID:-}"
  stop "${OFFLOAD_PID:-}"
  if [ -f "$WORK/nginx.pid" ]; then
    NGINX_PID=$(cat "$WORK/nginx.pid"); kill "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "${PG_STARTED:-}" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
# A check that fails is reported and makes the run exit non-zero at the end (a subshell can call it too).
fail() { echo "$*" >&2; echo "$*" >>"$WORK/failures"; }

echo "== publishing the portal (Release)"
dotnet publish EntitlementPortal -c Release -o "$WORK/app" -v q --nologo >/dev/null

# Both app processes get the same database, package folder and master key, as two instances of one
# installation would. BENCH_DATABASE=PostgreSql puts that database on a throw-away PostgreSQL server
# (Debian's binaries; a cluster in the work folder on BENCH_PG_PORT, removed at the end) instead of SQLite.
mkdir -p "$WORK/data/packages"
PROVIDER="${BENCH_DATABASE:-Sqlite}"
CONNECTION="Data Source=$WORK/data/portal.db"
if [ "$PROVIDER" = "PostgreSql" ]; then
  PG_BIN="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)"
  [ -x "$PG_BIN/pg_ctl" ] || { echo "BENCH_DATABASE=PostgreSql needs Debian's postgresql package" >&2; exit 1; }
  PG_PORT="${BENCH_PG_PORT:-5396}"
  as_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  # A folder of its own: the work folder is private to this user, and the server runs as postgres under root.
  PG_DIR="$(mktemp -d /tmp/portal-bench-pg.XXXXXX)"; [ "$(id -u)" = "0" ] && chown postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  # Durable settings (fsync on): the bench measures the database as a deployment would run it.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/data -c max_connections=300" start >/dev/null
  PG_STARTED=1
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
  CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
fi
MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
start_app() { # url log [NAME=value...] -> runs the app in the background with those extra settings; $! is the dotnet process (exec)
  ( cd "$WORK/app" && ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider="$PROVIDER" ConnectionStrings__Default="$CONNECTION" \
    Storage__Root="$WORK/data/packages" Secrets__MasterKey="$MASTER_KEY" \
    Bootstrap__AdminEmail=bench@example.com Bootstrap__AdminPassword='Bench-pass1!' Bootstrap__AdminApiKey="$KEY" \
    Logging__LogLevel__Default=Warning \
    exec env "${@:3}" dotnet EntitlementPortal.dll --urls "$1" >"$2" 2>&1 ) &
}
wait_healthy() { # url pid
  for _ in $(seq 1 120); do
    curl -fs "$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  echo "the portal on $1 did not start:" >&2; tail -20 "$WORK"/app*.log >&2; exit 1
}

echo "== starting the portal on $APP"
start_app "$APP" "$WORK/app.log"; APP_PID=$!
wait_healthy "$APP" "$APP_PID"

api() { curl -fsS -H "X-Api-Key: $KEY" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
token() { api -H 'Content-Type: application/json' -d "$1" "$APP/api/v1/repos/bench/entitlements" | json token; }

mkdir -p "$WORK/files/bench/app/1.0.0"
head -c 4096 /dev/urandom >"$WORK/files/$SMALL"
head -c "$LARGE_BYTES" /dev/urandom >"$WORK/files/$LARGE"
api -H 'Content-Type: application/json' -d '{"slug":"bench","name":"Bench"}' "$APP/api/v1/repos" >/dev/null
for f in small.bin large.bin; do
  api -F name=app -F version=1.0.0 -F "file=@$WORK/files/bench/app/1.0.0/$f" "$APP/api/v1/repos/bench/packages" >/dev/null
done
TOKEN=$(token '{"name":"unlimited"}')
# Limits far above what the run uses: every request is counted against them, none is refused.
HIGH=$(token '{"name":"high limits","limitDownloads":1000000000,"limitClients":1000,"limitBandwidthBytes":1000000000000000}')
FIFTY_ONE=$(token '{"name":"fifty, one instance","limitDownloads":50}')
FIFTY_TWO=$(token '{"name":"fifty, two instances","limitDownloads":50}')

OFFLOAD_INCLUDE=
if want offload; then
  echo "== starting a portal process with Downloads__Offload=XAccelRedirect on $OFFLOAD_APP (same database and files)"
  start_app "$OFFLOAD_APP" "$WORK/app-offload.log" Downloads__Offload=XAccelRedirect ReverseProxy__TrustedProxies__0=127.0.0.1
  OFFLOAD_PID=$!
  wait_healthy "$OFFLOAD_APP" "$OFFLOAD_PID"
  # The shipped configuration with its example values replaced, as the tests run it.
  sed -e "s|10\.0\.0\.1[12]:8080|127.0.0.1:$OFFLOAD_APP_PORT|" -e "s|listen 443 ssl;|listen 127.0.0.1:$OFFLOAD_NGINX_PORT;|" \
    -e '/ssl_certificate/d' -e "s|alias /var/lib/entitlement-portal/packages/;|alias $WORK/data/packages/;|" \
    docs/nginx/entitlementportal.conf >"$WORK/entitlementportal.conf"
  OFFLOAD_INCLUDE="include $WORK/entitlementportal.conf;"
  chmod -R a+rX "$WORK/data/packages"
fi

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
  $OFFLOAD_INCLUDE
}
NGINX
chmod 755 "$WORK"; chmod -R a+rX "$WORK/files"
"$NGINX" -c "$WORK/nginx.conf"
sleep 0.5

# Every server and token must really serve the files, or the figures below mean nothing.
served_bytes() { curl -fsS -o /dev/null -w '%{size_download}' "$1" || echo "error"; }
must_serve() { # url bytes
  local got; got=$(served_bytes "$1")
  [ "$got" = "$2" ] || { echo "$1 did not serve the file (got $got bytes, expected $2)" >&2; exit 1; }
}
for base in "$APP/dl/$TOKEN" "$APP/dl/$HIGH" "$NGX"; do must_serve "$base/$SMALL" 4096; done
must_serve "$APP/dl/$TOKEN/$LARGE" "$LARGE_BYTES"
if want offload; then must_serve "$OFFLOAD_NGX/dl/$TOKEN/$LARGE" "$LARGE_BYTES"; fi

SUMMARY="$WORK/summary"; : >"$SUMMARY"
row() { printf '%s\n' "$*" >>"$SUMMARY"; } # scenario|portal|nginx|ratio|target|met
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.3f}' if b else 'n/a')" "$1" "$2"; }
at_least() { python3 -c "import sys; print('yes' if float(sys.argv[1]) >= float(sys.argv[2]) else 'no')" "$1" "$2"; }
below() { python3 -c "import sys; a=sys.argv[1]; print('yes' if a.replace('.', '', 1).isdigit() and float(a) < float(sys.argv[2]) else 'no')" "$1" "$2"; }

wrk_run() { # url -> "req/s p99-ms not-2xx timed-out" (wrk prints the p99 as 850.00us, 1.23ms or 1.60s, and
  # none when nothing completed; a request over wrk's 2 s is a timeout, left out of the latencies)
  wrk -t2 -c64 -d"$DURATION" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) ms=v/1000; else if (v ~ /ms$/) ms=v+0; else if (v ~ /s$/) ms=v*1000; else ms=v}
    /Non-2xx or 3xx responses/ {bad=$5}
    /Socket errors/ {gsub(",", ""); late=$NF}
    END {if (ms == "") ms="n/a"; else ms=sprintf("%.2f", ms); printf "%s %s %d %d\n", rps, ms, bad, late}'
}

small_scenario() { # title url nginx-rps target-ratio
  local rps p99 bad late r
  read -r rps p99 bad late <<<"$(wrk_run "$2")"
  r=$(ratio "$rps" "$3")
  echo "portal: ${rps} req/s, p99 ${p99} ms, ${bad} responses that were not 2xx, ${late} requests timed out"
  echo "ratio:  ${r} x nginx (target >= $4 x), p99 target < 10 ms"
  [ "$bad" = "0" ] || fail "$1: the portal refused or failed $bad requests, so the figures are not of served files"
  row "$1: req/s|$rps|$3|$r|>= $4 x|$(at_least "$r" "$4")$([ "$bad" = 0 ] || echo " ($bad not served)")"
  row "$1: p99 ms|$p99$([ "$late" = 0 ] || echo " ($late timed out)")|$NGX_P99||< 10 ms|$([ "$late" = 0 ] && below "$p99" 10 || echo no)"
}

if want small; then
echo "== nginx: 4 KiB file, 64 connections, $DURATION"
read -r NGX_RPS NGX_P99 _ _ <<<"$(wrk_run "$NGX/$SMALL")"
echo "nginx:  ${NGX_RPS} req/s, p99 ${NGX_P99} ms"

# .NET compiles hot methods again after their first calls (tiered JIT): a first measured run would include that.
echo "== warm-up of the portal: 4 KiB, 64 connections, 5 s (not measured)"
wrk -t2 -c64 -d5s "$APP/dl/$TOKEN/$SMALL" >/dev/null
wrk -t2 -c64 -d5s "$APP/dl/$HIGH/$SMALL" >/dev/null

echo "== 4 KiB file, token without limits, 64 connections, $DURATION"
small_scenario "4 KiB, token without limits" "$APP/dl/$TOKEN/$SMALL" "$NGX_RPS" 0.5

echo "== 4 KiB file, token with limits far above the run, 64 connections, $DURATION"
small_scenario "4 KiB, limits far above the run" "$APP/dl/$HIGH/$SMALL" "$NGX_RPS" 0.3
fi

parallel_mbps() { # url -> MB/s for 16 parallel downloads, each checked to be the whole file
  local start end sizes
  start=$(date +%s.%N)
  sizes=$(seq 16 | xargs -P 16 -I{} curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' "$1")
  end=$(date +%s.%N)
  if [ "$(grep -c "^200 $LARGE_BYTES\$" <<<"$sizes")" != 16 ]; then
    fail "$1 did not serve all 16 downloads whole: $(sort <<<"$sizes" | uniq -c | tr '\n' ';')"
  fi
  python3 -c "import sys; print(f'{16*256/(float(sys.argv[2])-float(sys.argv[1])):.0f}')" "$start" "$end"
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

NGX_MBPS=
if want large; then
echo "== 256 MiB file, 16 parallel downloads"
RSS_BEFORE=$(rss_kib "$APP_PID")
PEAK_FILE="$WORK/peak"; echo "$RSS_BEFORE" >"$PEAK_FILE"
( while kill -0 "$APP_PID" 2>/dev/null; do
    r=$(rss_kib "$APP_PID")
    [ "$r" -gt "$(cat "$PEAK_FILE")" ] && echo "$r" >"$PEAK_FILE"; sleep 0.1; done ) &
SAMPLER=$!
APP_MBPS=$(parallel_mbps "$APP/dl/$TOKEN/$LARGE")
stop "$SAMPLER"; SAMPLER=
NGX_MBPS=$(parallel_mbps "$NGX/$LARGE")
LARGE_RATIO=$(ratio "$APP_MBPS" "$NGX_MBPS")
GROWTH=$(( ($(cat "$PEAK_FILE") - RSS_BEFORE) / 1024 ))
echo "portal: ${APP_MBPS} MB/s; nginx: ${NGX_MBPS} MB/s"
echo "ratio:  ${LARGE_RATIO} x nginx"
echo "portal RSS: before $((RSS_BEFORE / 1024)) MiB, peak $(( $(cat "$PEAK_FILE") / 1024 )) MiB, growth ${GROWTH} MiB"
row "256 MiB x16 parallel: MB/s|$APP_MBPS|$NGX_MBPS|$LARGE_RATIO|>= 0.9 x|$(at_least "$LARGE_RATIO" 0.9)"
row "same: portal RSS growth MiB|$GROWTH ($((RSS_BEFORE / 1024)) -> $(( $(cat "$PEAK_FILE") / 1024 )))|||< 50 MiB|$(below "$GROWTH" 50)"
fi

if want offload; then
echo "== 256 MiB file, 16 parallel downloads through nginx: the portal decides and counts, nginx sends (X-Accel-Redirect)"
# Three rounds, alternating which goes first; the ratio is the median of the rounds' ratios (each pair runs back
# to back, so a load that changes between rounds moves both of a pair): on a shared machine one pair of runs
# differs by more than the 5 % the target allows.
median() { python3 -c "import statistics, sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
OFFLOAD_RSS_BEFORE=$(rss_kib "$OFFLOAD_PID")
OFFLOADED=(); DIRECT=(); RATIOS=()
for round in 1 2 3; do
  if [ $((round % 2)) = 1 ]; then
    OFFLOADED+=("$(parallel_mbps "$OFFLOAD_NGX/dl/$TOKEN/$LARGE")"); DIRECT+=("$(parallel_mbps "$NGX/$LARGE")")
  else
    DIRECT+=("$(parallel_mbps "$NGX/$LARGE")"); OFFLOADED+=("$(parallel_mbps "$OFFLOAD_NGX/dl/$TOKEN/$LARGE")")
  fi
  RATIOS+=("$(ratio "${OFFLOADED[-1]}" "${DIRECT[-1]}")")
  echo "round $round: offloaded ${OFFLOADED[-1]} MB/s, nginx directly ${DIRECT[-1]} MB/s, ratio ${RATIOS[-1]}"
done
OFFLOAD_RSS_AFTER=$(rss_kib "$OFFLOAD_PID")
OFFLOAD_MBPS=$(median "${OFFLOADED[@]}")
NGX_MBPS=$(median "${DIRECT[@]}")
OFFLOAD_RATIO=$(python3 -c "import statistics, sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.3f}')" "${RATIOS[@]}")
echo "median: offloaded ${OFFLOAD_MBPS} MB/s; nginx directly: ${NGX_MBPS} MB/s; median ratio ${OFFLOAD_RATIO}"
echo "ratio:  ${OFFLOAD_RATIO} x nginx (target >= 0.95 x)"
echo "portal RSS: before $((OFFLOAD_RSS_BEFORE / 1024)) MiB, after $((OFFLOAD_RSS_AFTER / 1024)) MiB"
row "256 MiB x16 parallel, offloaded to nginx (median of 3): MB/s|$OFFLOAD_MBPS|$NGX_MBPS|$OFFLOAD_RATIO|>= 0.95 x|$(at_least "$OFFLOAD_RATIO" 0.95)"
fi

limit_check() { # title token url... -> 200 concurrent requests spread over the urls; exactly 50 must be served
  local title="$1" token="$2" served; shift 2
  local bases=("$@")
  served=$(for i in $(seq 0 199); do echo "${bases[$((i % ${#bases[@]}))]}/dl/$token/$SMALL"; done \
    | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code} %{size_download}\n' {} | grep -c '^200 4096$' || true)
  echo "served: $served (expected exactly 50)"
  [ "$served" = 50 ] || fail "$title: served $served, not 50"
  row "$title|$served served|||exactly 50|$([ "$served" = 50 ] && echo yes || echo no)"
}

if want limits; then
echo "== 200 concurrent requests against limitDownloads = 50, one instance"
limit_check "200 requests vs limitDownloads = 50, one instance" "$FIFTY_ONE" "$APP"

echo "== starting a second portal process on $APP2 (same database, package folder and master key)"
start_app "$APP2" "$WORK/app2.log"; APP2_PID=$!
wait_healthy "$APP2" "$APP2_PID"
must_serve "$APP2/dl/$TOKEN/$SMALL" 4096

echo "== 200 concurrent requests against limitDownloads = 50, split over two instances"
limit_check "200 requests vs limitDownloads = 50, two instances" "$FIFTY_TWO" "$APP" "$APP2"
fi

echo
echo "== summary ($PROVIDER, $DURATION per wrk run, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$SUMMARY" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1]) if line.strip()]
head = ["scenario", "portal", "nginx", "ratio", "target", "met?"]
rows = [r + [""] * (len(head) - len(r)) for r in rows]
widths = [max(len(x) for x in col) for col in zip(head, *rows)]
for r in [head, ["-" * w for w in widths]] + rows:
    print("| " + " | ".join(x.ljust(w) for x, w in zip(r, widths)) + " |")
PY
if [ -s "$WORK/failures" ]; then echo "FAILED:" >&2; sed 's/^/  /' "$WORK/failures" >&2; exit 1; fi
