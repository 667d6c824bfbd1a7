#!/usr/bin/env bash
# History benchmark: seeds a fresh SQLite database with 1,000,000 download events and 100,000 tokens through the
# portal's own seed-demo command, then times the services behind the Downloads page, the history API, the
# analytics panels, the dashboard and the token list (bench/HistoryBench), and the full CSV export.
# BENCH_WORK=DIR reuses a database seeded there before (seeding takes about 10 minutes on the shared 2-core VM).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="${BENCH_EVENTS:-1000000}"
TOKENS="${BENCH_TOKENS:-100000}"
RUNS="${BENCH_RUNS:-10}"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/history-bench.XXXXXX)}"
mkdir -p "$WORK"

echo "== building (Release)"
dotnet build bench/HistoryBench -c Release -v q --nologo >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 ConnectionStrings__Default="Data Source=$WORK/portal.db" Storage__Root="$WORK/packages"
if [ ! -f "$WORK/portal.db" ]; then
  echo "== seeding $EVENTS events and $TOKENS tokens into $WORK"
  /usr/bin/time -f "seed-demo: %e s wall, %P CPU, %M KB peak memory" \
    dotnet EntitlementPortal/bin/Release/net10.0/EntitlementPortal.dll seed-demo --events "$EVENTS" --tokens "$TOKENS" \
    | grep -v '^\(info\|warn\):\|^      ' || true
fi
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dotnet bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll --runs "$RUNS"
