#!/usr/bin/env bash
# Issue 20's live load (docs/performance.md, "Live speed, second pass"): one hub, 50 simulated symbols every 1 s, on its
# own data folder and PostgreSQL; resident memory, CPU and the spools' size every 60 s, then per-minute cycles and `total`
# p50/p99 from usage_stats.orchestrator_stats and the CPU per symbol-cycle over the second half of the run.
#   HuiHui.Benchmarks/live-load.sh [SECONDS]     (600 by default; the hub and its PostgreSQL are stopped at the end)
# Environment variables pass through to the hub (e.g. DOTNET_GCConserveMemory=7 to try a runtime setting).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-600}"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 120 ] || { echo "live-load: SECONDS must be a whole number, at least 120" >&2; exit 2; }
export HUIHUI_DATA_DIR="${HUIHUI_DATA_DIR:-/tmp/huihui-live-load}"
export HUIHUI_PG_PORT="${HUIHUI_PG_PORT:-55442}"
export HuiHui__Ingestion__Interval=00:00:01 HuiHui__Learning__FillOnFirstStart=false
# The cache file and the spools in the run's own folder (the checkout's .data is left alone; the spool size is measured).
export HuiHui__Cache__DiskPath="$HUIHUI_DATA_DIR/cache" HuiHui__Ingestion__SpoolPath="$HUIHUI_DATA_DIR/spool/ingestion" \
  HuiHui__Experts__SpoolPath="$HUIHUI_DATA_DIR/spool/experts" HuiHui__Persistence__SpoolPath="$HUIHUI_DATA_DIR/spool"
i=0
for s in SPY QQQ IWM DIA AAPL MSFT NVDA AMZN META GOOG TSLA AMD NFLX JPM BAC XOM CVX KO PEP WMT COST HD LOW NKE SBUX MCD \
  DIS T VZ INTC CSCO ORCL CRM ADBE PYPL UBER LYFT SHOP SQ COIN PLTR SNOW ZM ROKU F GM BA CAT DE TGT; do
  export "HuiHui__Ingestion__WatchList__$i=$s"
  i=$((i + 1))
done
rm -rf "$HUIHUI_DATA_DIR"
mkdir -p "$HUIHUI_DATA_DIR"
PSQL="$(find /usr/lib/postgresql -maxdepth 3 -name psql -type f | sort -V | tail -n 1)"
sql() { "$PSQL" -h 127.0.0.1 -p "$HUIHUI_PG_PORT" -U huihui -d huihui -tAc "$1"; }

./huihui.sh run >"$HUIHUI_DATA_DIR/hub.log" 2>&1 &
launcher=$!
pid=""
for _ in $(seq 1 900); do # huihui.sh builds if it must (the composite publish: minutes), then execs the hub in its own process
  if tr '\0' ' ' <"/proc/$launcher/cmdline" 2>/dev/null | grep -q 'HuiHui.Host.dll run'; then
    pid=$launcher
    break
  fi
  kill -0 "$launcher" 2>/dev/null || break
  sleep 1
done
[ -n "$pid" ] || { echo "live-load: the hub did not start; see $HUIHUI_DATA_DIR/hub.log" >&2; exit 1; }
trap 'kill "$pid" 2>/dev/null || true; sleep 5; ./huihui.sh db stop >/dev/null 2>&1 || true' EXIT

cpu_seconds() { ps -o times= -p "$pid" | tr -d ' '; }
half=$((seconds / 2 / 60 * 60))
cpu_half=""
spool_kb() { du -sk "$HUIHUI_DATA_DIR/spool" 2>/dev/null | cut -f1; }
echo "elapsed_s rss_kb cpu_s spool_kb"
for t in $(seq 60 60 "$seconds"); do
  sleep 60
  echo "$t $(ps -o rss= -p "$pid" | tr -d ' ') $(cpu_seconds) $(spool_kb)"
  [ "$t" -eq "$half" ] && cpu_half="$(cpu_seconds)"
done
cpu_end="$(cpu_seconds)"
kill "$pid"
sleep 5

echo "minute cycles total_p50_ms total_p99_ms"
sql "SELECT to_char(date_trunc('minute', occurred_at), 'HH24:MI'), count(*),
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::numeric, 1),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::numeric, 1)
     FROM usage_stats.orchestrator_stats WHERE stage = 'total' GROUP BY 1 ORDER BY 1" | tr '|' ' '
if [ -n "$cpu_half" ]; then
  cycles="$(sql "SELECT count(*) FROM usage_stats.orchestrator_stats WHERE stage = 'total'
                 AND occurred_at >= (SELECT max(occurred_at) FROM usage_stats.orchestrator_stats) - interval '$((seconds - half)) seconds'")"
  awk -v a="$cpu_half" -v b="$cpu_end" -v n="$cycles" 'BEGIN { if (n > 0) printf "cpu per symbol-cycle (second half): %.1f ms over %d cycles\n", (b - a) * 1000 / n, n }'
fi
