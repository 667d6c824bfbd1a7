#!/usr/bin/env bash
# Runs every test (unit, component, integration, real browser) and prints "N passed, N failed, N skipped".
# Exits non-zero when anything failed or when no test ran.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null \
      || echo "warning: could not install chromium; browser tests will fail under CI=true and be skipped otherwise" >&2
  else
    echo "warning: /usr/bin/chromium is missing and this user cannot install it (run as root, or: sudo apt-get install chromium)" >&2
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's npm for the test tools..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq npm >/dev/null \
      || echo "warning: could not install npm; the accessibility checks will fail" >&2
  else
    echo "warning: npm is missing and this user cannot install it (run as root, or: sudo apt-get install npm)" >&2
  fi
fi

# The Python format's real-client tests publish with twine (Debian's package; pip and venv come with Python).
if ! command -v twine >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's twine for the Python client tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq twine >/dev/null \
      || echo "warning: could not install twine; the Python client tests fail under CI=true and are skipped otherwise" >&2
  else
    echo "warning: twine is missing and this user cannot install it (run as root, or: sudo apt-get install twine)" >&2
  fi
fi

# The download offload tests run real nginx in front of the app (Debian puts it in /usr/sbin, not on every PATH).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's nginx-light for the download offload tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq nginx-light >/dev/null \
      || echo "warning: could not install nginx-light; the download offload tests fail under CI=true and are skipped otherwise" >&2
  else
    echo "warning: nginx is missing and this user cannot install it (run as root, or: sudo apt-get install nginx-light)" >&2
  fi
fi

# pip installs into a fresh virtual environment in the Python client tests: venv needs ensurepip (python3-venv on Debian).
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's python3-venv for the Python client tests..."
    apt-get update -qq >/dev/null && apt-get install -y -qq python3-venv >/dev/null \
      || echo "warning: could not install python3-venv; the Python client tests fail under CI=true" >&2
  else
    echo "warning: python3 venv is missing and this user cannot install it (run as root, or: sudo apt-get install python3-venv)" >&2
  fi
fi

# The integration and download suites run a second time against a real PostgreSQL server, which the tests start
# themselves (a throw-away cluster in a temp folder on a free port): they need Debian's server binaries.
postgres_installed() { compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; }
if ! postgres_installed; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's postgresql for the PostgreSQL test run..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null \
      || echo "warning: could not install postgresql; the PostgreSQL tests fail under CI=true and are skipped otherwise" >&2
  else
    echo "warning: PostgreSQL is missing and this user cannot install it (run as root, or: sudo apt-get install postgresql)" >&2
  fi
fi

# npm packages the browser tests inject into pages (axe-core), exactly as pinned by EntitlementPortal.Tests/npm/package-lock.json.
npm ci --prefix EntitlementPortal.Tests/npm --prefer-offline --no-audit --no-fund --loglevel=error \
  || echo "warning: npm ci failed; the accessibility checks fail until axe-core is installed" >&2

results="$(pwd)/TestResults"
rm -rf "$results"

dotnet test EntitlementPortal.sln --configuration Release \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
test_exit=$?

# The suites that store and count, once more on PostgreSQL (EP_TEST_DATABASE picks the provider of every test host).
# Component tests of pages are left out: they reach the database through the same services as the suites here.
postgres_suites="FullyQualifiedName~EntitlementPortal.Tests.Downloads.|FullyQualifiedName~EntitlementPortal.Tests.Api.\
|FullyQualifiedName~EntitlementPortal.Tests.Webhooks.\
|FullyQualifiedName~EntitlementPortal.Tests.CustomerPage.|FullyQualifiedName~EntitlementPortal.Tests.Users.UserAdministration\
|FullyQualifiedName~EntitlementPortal.Tests.Tokens.Token"
if postgres_installed || [ "${CI:-}" = "true" ]; then
  echo "Running the integration and download suites on PostgreSQL..."
  EP_TEST_DATABASE=PostgreSql dotnet test EntitlementPortal.Tests --configuration Release --no-build \
    --filter "Database!=SqliteOnly&FullyQualifiedName!~PageTests&FullyQualifiedName!~PagesTests&FullyQualifiedName!~PickerTests&FullyQualifiedName!~ButtonTests&(${postgres_suites})" \
    --logger "trx;LogFilePrefix=postgresql" --logger "console;verbosity=minimal" --results-directory "$results/postgresql"
  postgres_exit=$?
  [ "$postgres_exit" -ne 0 ] && test_exit=$postgres_exit
else
  echo "PostgreSQL is not installed: the PostgreSQL run of the integration and download suites is skipped (./test.sh installs it when run as root)."
fi

passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx "$results"/postgresql/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

# A test process that was killed cannot stop the PostgreSQL server it started: nothing the tests started outlives the run.
for data in "${TMPDIR:-/tmp}"/ep-tests/postgres-*/data; do
  [ -f "$data/postmaster.pid" ] || continue
  pg_ctl=$(compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" | sort -V | tail -n 1)
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
  else
    "$pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
  fi
  echo "Stopped a PostgreSQL test server left running in $(dirname "$data")."
  rm -rf "$(dirname "$data")"
done

# The CLI as a vendor gets it: packed as a .NET tool, installed from the local folder only (no feed needed),
# then run. Counted as one result.
cli_tool_check() {
  local work="$1"
  cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="artifacts" value="$(pwd)/artifacts" />
  </packageSources>
</configuration>
EOF
  rm -rf artifacts
  dotnet pack EntitlementPortal.Cli --configuration Release --output artifacts -v q --nologo >"$work/pack.log" 2>&1 \
    || { cat "$work/pack.log" >&2; echo "cli tool: dotnet pack failed" >&2; return 1; }
  # A package cache of its own: a cached copy of the same version must not stand in for the one just packed.
  NUGET_PACKAGES="$work/packages" dotnet tool install --tool-path "$work/tools" --configfile "$work/nuget.config" \
    EntitlementPortal.Cli >"$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; echo "cli tool: dotnet tool install failed" >&2; return 1; }
  "$work/tools/ep" --version >/dev/null || { echo "cli tool: ep --version failed" >&2; return 1; }
  "$work/tools/ep" tokens create --help | grep -q -- "--limit-bandwidth" \
    || { echo "cli tool: ep tokens create --help lacks its options" >&2; return 1; }
  # A portal that is not there is exit code 3, one line, no stack trace.
  local code=0 message
  message=$(EP_URL=http://127.0.0.1:9 EP_API_KEY=unused EP_CONFIG="$work/config.json" "$work/tools/ep" repos list 2>&1 >/dev/null) || code=$?
  [ "$code" -eq 3 ] && [ "$(printf '%s\n' "$message" | wc -l)" -eq 1 ] \
    || { echo "cli tool: an unreachable portal gave exit $code: $message" >&2; return 1; }
  echo "cli tool: packed, installed and ran ep"
}
cli_work=$(mktemp -d)
if cli_tool_check "$cli_work"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
rm -rf "$cli_work"

echo "${passed} passed, ${failed} failed, ${skipped} skipped"

if [ "${#trx_files[@]}" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
if [ "$failed" -ne 0 ] || [ "$test_exit" -ne 0 ]; then
  exit 1
fi
exit 0
