#!/usr/bin/env bash
# HuiHui's one entry point.
#   ./huihui.sh run            the hub on http://127.0.0.1:5080 with the simulated market (the default verb)
#   ./huihui.sh test [ARGS]    the whole test suite against a real PostgreSQL; ARGS go to `dotnet test`
#   ./huihui.sh VERB [ARGS]    any CLI verb of the host (migrate, analyze, price, …); see `./huihui.sh help`
#   ./huihui.sh db start|stop|status   the project-local PostgreSQL
#   ./huihui.sh cluster up N|status|down   N nodes on ports 5081… with a local Redis (docs/operations.md, "Several nodes")
#
# PostgreSQL: ConnectionStrings__Postgres is used when set. Otherwise a project-local cluster lives under
# .data/postgres (git-ignored), listening on 127.0.0.1:${HUIHUI_PG_PORT:-55432}; Debian's postgresql is
# installed when missing and we run as root. `test` stops the cluster again if it started it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

PG_PORT="${HUIHUI_PG_PORT:-55432}"
PG_USER=huihui
PG_DATABASE=huihui
DATA_DIR="${HUIHUI_DATA_DIR:-$ROOT/.data}"
CONFIGURATION="${HUIHUI_CONFIGURATION:-Release}"
# The hub and the CLI run from a self-contained, composite ReadyToRun publish: the runtime, ASP.NET Core and HuiHui
# precompiled as one image, so the generic code shared between them (JSON metadata, async state machines, collections
# over HuiHui's types) is compiled ahead too, which per-assembly ReadyToRun leaves to the JIT — a one-shot verb or a
# fresh hub spends far less time in the JIT (docs/performance.md). HUIHUI_READY_TO_RUN=0, a Debug configuration or a
# machine without the crossgen and runtime packages falls back to the plain build.
READY_TO_RUN="${HUIHUI_READY_TO_RUN:-1}"
[ "$CONFIGURATION" = Release ] || READY_TO_RUN=0
case "$(uname -m)" in
  x86_64) RID=linux-x64 ;;
  aarch64 | arm64) RID=linux-arm64 ;;
  *) READY_TO_RUN=0 ;;
esac
BUILD_DLL="$ROOT/HuiHui.Host/bin/$CONFIGURATION/net10.0/HuiHui.Host.dll"
PUBLISH_DIR="$ROOT/HuiHui.Host/bin/$CONFIGURATION/ready-to-run"
if [ "$READY_TO_RUN" = 1 ]; then HOST_DLL="$PUBLISH_DIR/HuiHui.Host.dll"; else HOST_DLL="$BUILD_DLL"; fi
CHROMIUM=/usr/bin/chromium
# glibc gives each thread that allocates natively an arena of its own (up to 8 per core) and keeps what was freed in it;
# two arenas serve the hub's native allocations (ONNX Runtime, SQLite, the runtime's own) at no CPU cost measured, and
# bound what glibc keeps (the resident gain at 50 symbols / 1 s is within run-to-run spread: docs/performance.md, "Seventh pass").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

log() { echo "huihui: $*" >&2; }
die() {
  local code=$1
  shift
  echo "huihui: error: $*" >&2
  exit "$code"
}

is_root() { [ "$(id -u)" -eq 0 ]; }

APT_UPDATED=""
apt_install() {
  is_root || die 3 "$* missing: install with 'sudo apt-get install -y $*' (huihui.sh installs it itself only when run as root)"
  command -v apt-get >/dev/null || die 3 "$* missing and this is not a Debian/Ubuntu machine: install it with your package manager"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
  log "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

require_dotnet() {
  command -v dotnet >/dev/null || die 3 "the .NET 10 SDK is required (dotnet not on PATH): see https://learn.microsoft.com/dotnet/core/install/linux"
  # The hub's chart and SignalR libraries come from npm when HuiHui.Host builds (HuiHui.Host/package.json).
  command -v npm >/dev/null || apt_install nodejs npm
}

# ---------------------------------------------------------------- PostgreSQL

pg_bin() { find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_pg() {
  # From / : the postgres user may not be allowed into the current directory.
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_home() {
  local dir="$DATA_DIR/postgres"
  if is_root; then
    mkdir -p "$dir"
    # The postgres user must reach the folder; a private checkout (mode 700 somewhere above) would stop it.
    if ! (cd / && runuser -u postgres -- test -x "$DATA_DIR"); then
      # Keyed by the data folder (not the checkout): two data folders must never share one cluster.
      dir="/var/tmp/huihui-$(printf '%s' "$(cd "$DATA_DIR" && pwd -P)" | md5sum | cut -c1-12)/postgres"
      mkdir -p "$dir"
      log "the postgres user cannot enter $DATA_DIR: its cluster lives in $dir"
    fi
    chown postgres: "$dir"
  else
    mkdir -p "$dir"
  fi
  echo "$dir"
}

PG_STARTED_HERE=""
ensure_postgres() {
  if [ -n "${ConnectionStrings__Postgres:-}" ]; then
    log "using ConnectionStrings__Postgres from the environment"
    return
  fi

  local bin
  bin="$(pg_bin)"
  if [ -z "$bin" ]; then
    apt_install postgresql
    bin="$(pg_bin)"
    [ -n "$bin" ] || die 3 "postgresql installed but no server binaries under /usr/lib/postgresql"
  fi

  local home pgdata
  home="$(pg_home)"
  pgdata="$home/data"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    log "creating the local PostgreSQL cluster in $pgdata"
    as_pg "$bin/initdb" -D "$pgdata" -A trust -U "$PG_USER" -E UTF8 --locale=C.UTF-8 >"$home/initdb.log" 2>&1 ||
      die 4 "initdb failed; see $home/initdb.log"
  fi

  if ! as_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      die 4 "another server already listens on 127.0.0.1:$PG_PORT; set HUIHUI_PG_PORT to a free port or ConnectionStrings__Postgres to use that server"
    fi
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$pgdata" -l "$home/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200 -c synchronous_commit=off" \
      start >/dev/null || die 4 "PostgreSQL did not start; see $home/postgres.log"
    PG_STARTED_HERE="$pgdata"
  fi

  if [ "$("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != "1" ]; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE"
  fi

  # The local cluster listens on loopback only, without TLS or Kerberos: asking for either first (Npgsql's default) costs
  # every new connection two refused round trips and a fresh process the load of the TLS and GSS libraries (~70 ms).
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DATABASE;SSL Mode=Disable;GSS Encryption Mode=Disable"
  LOCAL_PG_HOME="$home"
}

# The checkout's migrations, as a fingerprint: a database marked with another one has not seen all of them yet.
migrations_fingerprint() {
  (cd "$ROOT" && find HuiHui.Modules HuiHui.Host -path '*/Migrations/*.cs' -not -name '*.Designer.cs' \
    -not -path '*/bin/*' -not -path '*/obj/*' -printf '%f\n' | LC_ALL=C sort | md5sum | cut -c1-32)
}

# CLI verbs read the tables as this checkout's migrations define them. The local database (huihui.sh's own cluster) is
# migrated first when it has not seen them: a new installation's first `analyze`, or migrations pulled since. A database
# named by ConnectionStrings__Postgres is left as it is (`migrate` or `run` migrate it). `run` on the local database goes
# through here too, so the verbs after it do not migrate again.
LOCAL_PG_HOME=""
ensure_migrated() {
  [ -n "$LOCAL_PG_HOME" ] || return 0
  local mark="$LOCAL_PG_HOME/migrated" want
  want="$(migrations_fingerprint)"
  [ "$(cat "$mark" 2>/dev/null)" = "$want" ] && return 0
  log "applying the database migrations first (this database has not seen this version's)"
  dotnet "$HOST_DLL" migrate >/dev/null || die 4 "the migrations failed; ./huihui.sh migrate shows why"
  printf '%s\n' "$want" >"$mark"
}

stop_postgres() {
  local pgdata=$1
  [ -n "$pgdata" ] || return 0
  log "stopping the local PostgreSQL"
  as_pg "$(pg_bin)/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
}

db_verb() {
  case "${1:-status}" in
    start) ensure_postgres && echo "$ConnectionStrings__Postgres" ;;
    stop)
      local bin home
      bin="$(pg_bin)"
      home="$(pg_home)"
      [ -n "$bin" ] && [ -s "$home/data/PG_VERSION" ] || die 1 "no local PostgreSQL cluster"
      stop_postgres "$home/data"
      ;;
    status)
      local bin
      bin="$(pg_bin)"
      [ -n "$bin" ] || die 1 "PostgreSQL is not installed"
      as_pg "$bin/pg_ctl" -D "$(pg_home)/data" status
      ;;
    *) die 2 "usage: ./huihui.sh db start|stop|status" ;;
  esac
}

# ---------------------------------------------------------------- Redis, PgBouncer

# The cluster's SignalR backplane and cache pub/sub (cluster up, and the tests) and the transaction-mode pooler (tests).
REDIS_SERVER=/usr/bin/redis-server
PGBOUNCER=/usr/sbin/pgbouncer
ensure_redis() { [ -x "$REDIS_SERVER" ] || apt_install redis-server; }
ensure_pgbouncer() { [ -x "$PGBOUNCER" ] || apt_install pgbouncer; }

# ---------------------------------------------------------------- cluster

CLUSTER_DIR="$DATA_DIR/cluster"
REDIS_PORT="${HUIHUI_REDIS_PORT:-56379}"

cluster_up() {
  local count="${1:-}"
  [[ "$count" =~ ^[1-9][0-9]?$ ]] || die 2 "usage: ./huihui.sh cluster up N   (N nodes, 1-99, on ports 5081…)"
  ensure_postgres
  ensure_redis
  build_host
  mkdir -p "$CLUSTER_DIR"
  if [ -f "$CLUSTER_DIR/redis.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/redis.pid")" 2>/dev/null; then
    log "Redis already runs on 127.0.0.1:$REDIS_PORT"
  else
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --dir "$CLUSTER_DIR" --pidfile "$CLUSTER_DIR/redis.pid" --logfile "$CLUSTER_DIR/redis.log" ||
      die 4 "Redis did not start; see $CLUSTER_DIR/redis.log"
  fi
  # Once, before the nodes: N nodes migrating together would only wait on each other.
  dotnet "$HOST_DLL" migrate >"$CLUSTER_DIR/migrate.log" 2>&1 || die 4 "migrations failed; see $CLUSTER_DIR/migrate.log"
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  local i
  for i in $(seq 1 "$count"); do
    # Up again after a node died: only the missing nodes start.
    if [ -f "$CLUSTER_DIR/node-$i.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/node-$i.pid")" 2>/dev/null; then
      log "node-$i already runs (pid $(cat "$CLUSTER_DIR/node-$i.pid"))"
    else
      cluster_start_node "$i"
    fi
  done
  log "the nodes share the watch-list's symbols within a few seconds: ./huihui.sh cluster status; stop them with ./huihui.sh cluster down"
}

cluster_start_node() {
  local i=$1
  local port=$((5080 + i)) node="node-$i" first=false
  mkdir -p "$CLUSTER_DIR/$node"
  # The first node does the one-off work of a new database (first admin, starter corpus, first-run fill).
  [ "$i" -eq 1 ] && first=true
  ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT" \
    HuiHui__Cluster__Enabled=true HuiHui__Cluster__NodeId="$node" HuiHui__Cluster__Url="http://127.0.0.1:$port" \
    Urls="http://127.0.0.1:$port" HuiHui__Database__MigrateOnStartup=false \
    HuiHui__Cache__DiskPath="$CLUSTER_DIR/$node/cache" HuiHui__Ingestion__SpoolPath="$CLUSTER_DIR/$node/spool/ingestion" \
    HuiHui__Experts__SpoolPath="$CLUSTER_DIR/$node/spool/experts" \
    HuiHui__Persistence__SpoolPath="$CLUSTER_DIR/$node/spool" \
    HuiHui__Learning__FillOnFirstStart="${HuiHui__Learning__FillOnFirstStart:-$first}" \
    HuiHui__Education__IngestOnFirstStart="${HuiHui__Education__IngestOnFirstStart:-$first}" \
    nohup dotnet "$HOST_DLL" run >>"$CLUSTER_DIR/$node.log" 2>&1 &
  echo $! >"$CLUSTER_DIR/$node.pid"
  log "$node on http://127.0.0.1:$port (log $CLUSTER_DIR/$node.log)"
}

cluster_pids() {
  local f
  for f in "$CLUSTER_DIR"/node-*.pid; do
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
  done
  return 0
}

cluster_down() {
  local pids
  pids="$(cluster_pids)"
  if [ -n "$pids" ]; then
    log "stopping the nodes (each hands its symbols back)"
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    local waited=0
    while [ -n "$(cluster_pids)" ] && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    pids="$(cluster_pids)"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || { log "killing nodes that did not stop in 30 s: $pids"; kill -9 $pids 2>/dev/null || true; }
  fi
  rm -f "$CLUSTER_DIR"/node-*.pid
  if [ -f "$CLUSTER_DIR/redis.pid" ]; then
    log "stopping Redis"
    kill "$(cat "$CLUSTER_DIR/redis.pid")" 2>/dev/null || true
    rm -f "$CLUSTER_DIR/redis.pid"
  fi
}

cluster_verb() {
  local sub="${1:-status}"
  [ $# -gt 0 ] && shift
  case "$sub" in
    up) cluster_up "$@" ;;
    down) cluster_down ;;
    status)
      ensure_postgres
      build_host
      export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
      dotnet "$HOST_DLL" cluster status "$@"
      ;;
    *) die 2 "usage: ./huihui.sh cluster up N|status [--json]|down" ;;
  esac
}

# ---------------------------------------------------------------- build and test

build_host() {
  require_dotnet
  local stale=""
  if [ ! -f "$HOST_DLL" ]; then
    stale=1
  else
    stale="$(find HuiHui.Host HuiHui.Modules appsettings.json Directory.Build.props Directory.Packages.props huihui.sh \
      -newer "$HOST_DLL" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)"
  fi
  if [ -z "$stale" ]; then
    return 0
  fi
  if [ "$READY_TO_RUN" = 1 ]; then
    log "building HuiHui.Host ($CONFIGURATION, composite ReadyToRun: a few minutes)"
    rm -rf "$PUBLISH_DIR" # an earlier publish of another kind must not leave its files among these
    if dotnet publish HuiHui.Host -c "$CONFIGURATION" -r "$RID" --self-contained true -p:PublishReadyToRun=true \
      -p:PublishReadyToRunComposite=true -o "$PUBLISH_DIR" --nologo -v quiet -clp:ErrorsOnly >&2; then
      touch "$HOST_DLL" # publish keeps an unchanged host assembly's old time: the next check would build again
      return 0
    fi
    log "the ReadyToRun publish failed; running the plain build instead"
    HOST_DLL="$BUILD_DLL"
  fi
  log "building HuiHui.Host ($CONFIGURATION)"
  dotnet build HuiHui.Host -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly >&2 || die 1 "build failed"
  touch "$HOST_DLL"
}

ensure_chromium() {
  [ -x "$CHROMIUM" ] || apt_install chromium
}

# One line from the Cobertura report of the run: "coverage: lines NN.N %, branches NN.N %".
print_coverage() {
  local report
  report="$(find "$1" -name '*.cobertura.xml' 2>/dev/null | head -n 1)"
  [ -n "$report" ] || return 0
  local head lines branches
  head="$(grep -o '<coverage [^>]*>' "$report" | head -n 1)"
  lines="$(sed -E 's/.* line-rate="([0-9.]+)".*/\1/' <<<"$head")"
  branches="$(sed -E 's/.* branch-rate="([0-9.]+)".*/\1/' <<<"$head")"
  awk -v l="$lines" -v b="$branches" 'BEGIN { printf "coverage: lines %.1f %%, branches %.1f %%\n", l * 100, b * 100 }'
  # The floor (HUIHUI_COVERAGE_MIN, percent of lines; 90 by default): a whole run below it fails.
  if ! awk -v l="$lines" -v m="${HUIHUI_COVERAGE_MIN:-90}" 'BEGIN { exit !(l * 100 >= m) }'; then
    log "line coverage is below ${HUIHUI_COVERAGE_MIN:-90} %: cover the new code with tests that assert its behaviour"
    return 1
  fi
}

run_tests() {
  require_dotnet
  ensure_postgres
  trap 'stop_postgres "$PG_STARTED_HERE"' EXIT
  ensure_chromium
  ensure_redis
  ensure_pgbouncer

  local results="$ROOT/HuiHui.Tests/TestResults"
  rm -f "$results/huihui.trx"
  find "$results" -name '*.cobertura.xml' -delete 2>/dev/null || true
  # A whole run (no extra arguments, as CI runs it) measures line and branch coverage of the product (coverage.runsettings).
  local coverage=()
  if [ $# -eq 0 ] && [ "${HUIHUI_COVERAGE:-1}" != "0" ]; then
    coverage=(--collect "Code Coverage" --settings "$ROOT/coverage.runsettings")
  fi
  local code=0
  dotnet test HuiHui.Tests --nologo --logger "trx;LogFileName=huihui.trx" --results-directory "$results" "${coverage[@]}" "$@" || code=$?

  # One plain summary line, whatever the runner printed above it.
  local counters
  counters="$(grep -o '<Counters [^>]*>' "$results/huihui.trx" 2>/dev/null || true)"
  if [ -n "$counters" ]; then
    local total executed passed failed
    total="$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")"
    executed="$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")"
    passed="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
    failed="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
    echo "tests: $passed passed, $failed failed, $((total - executed)) skipped"
    print_coverage "$results" || code=1
    if [ "$executed" -eq 0 ] && [ "$code" -eq 0 ]; then
      log "no test was executed"
      code=1
    fi
  fi
  return "$code"
}

# ---------------------------------------------------------------- verbs

verb="${1:-run}"
[ $# -gt 0 ] && shift

case "$verb" in
  test)
    run_tests "$@"
    ;;
  db)
    db_verb "$@"
    ;;
  cluster)
    cluster_verb "$@"
    ;;
  run)
    ensure_postgres
    build_host
    ensure_migrated # once per version of the migrations, so a later CLI verb knows this database is up to date
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
    log "hub on http://127.0.0.1:5080 (Ctrl-C stops it; the local PostgreSQL keeps running: ./huihui.sh db stop)"
    exec dotnet "$HOST_DLL" run "$@"
    ;;
  help | --help | -h)
    build_host
    exec dotnet "$HOST_DLL" --help
    ;;
  *)
    # Any other word is a host CLI verb; the host itself rejects unknown ones (exit code 2).
    case "$verb" in
      migrate | analyze | ideas | replay | backtest | backfill | ingest-docs | search | train | sentiment | bench) ensure_postgres ;;
    esac
    build_host
    export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
    case "$verb" in
      analyze | ideas | replay | backtest | backfill | ingest-docs | search | train | sentiment | bench) ensure_migrated ;;
    esac
    # A backtest is a long CPU-bound batch: optimised code from the first snapshot beats tiered compilation's warm-up,
    # whose background recompiles compete for the same two cores (docs/performance.md, "Backtest").
    if [ "$verb" = backtest ]; then export DOTNET_TieredCompilation="${DOTNET_TieredCompilation:-0}"; fi
    exec dotnet "$HOST_DLL" "$verb" "$@"
    ;;
esac
