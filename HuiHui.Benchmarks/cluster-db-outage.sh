#!/usr/bin/env bash
# Issue 21's fault run (docs/performance.md, "Several nodes"): 3 nodes, 30 simulated symbols every 2 s; PostgreSQL stopped
# for 60 s one minute in, then started again; two more minutes; then every symbol's largest gap between analyses (by the
# time each was made) and the responses stored per symbol — nothing may be lost while the database is away.
#   HuiHui.Benchmarks/cluster-db-outage.sh       (about 5 minutes; the cluster is stopped at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export HUIHUI_DATA_DIR="${HUIHUI_DATA_DIR:-/tmp/huihui-cluster-outage}"
export HUIHUI_PG_PORT="${HUIHUI_PG_PORT:-55442}"
export HUIHUI_REDIS_PORT="${HUIHUI_REDIS_PORT:-56381}"
export HuiHui__Ingestion__Interval=00:00:02
export HuiHui__Learning__FillOnFirstStart=false HuiHui__Education__IngestOnFirstStart=false
for i in $(seq 0 29); do export "HuiHui__Ingestion__WatchList__$i=$(printf 'D%03d' "$i")"; done
OUT="$HUIHUI_DATA_DIR/outage"
mkdir -p "$OUT"
BIN="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)"
sql() { "$BIN/psql" -h 127.0.0.1 -p "$HUIHUI_PG_PORT" -U huihui -d huihui -tAc "$1"; }

./huihui.sh cluster up 3
until [ "$(sql "SELECT count(*) FROM cluster.leases")" = 30 ]; do sleep 2; done
start="$(sql "SELECT now()")"
sleep 60
echo "stopping PostgreSQL for 60 s at $(date -u +%T)" | tee "$OUT/timeline.txt"
./huihui.sh db stop
sleep 60
./huihui.sh db start >/dev/null
echo "PostgreSQL back at $(date -u +%T)" | tee -a "$OUT/timeline.txt"
sleep 120
ended="$(sql "SELECT now()")"
./huihui.sh cluster status | tee "$OUT/status.txt"
{
  echo "window: $start .. $ended"
  echo "meta responses stored: $(sql "SELECT count(*) FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended'")"
  echo "duplicates (symbol, as_of, expert): $(sql "SELECT count(*) FROM (SELECT 1 FROM moe_analysis.expert_responses GROUP BY symbol, as_of, expert_id HAVING count(*) > 1) d")"
  echo "per-symbol gap between analyses, seconds (p50 / p99 / max):"
  sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY g)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY g)::numeric, 2), round(max(g)::numeric, 2)
       FROM (SELECT extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY symbol ORDER BY created_at)) AS g
             FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended') x WHERE g IS NOT NULL"
  echo "alerts raised: $(sql "SELECT string_agg(source || '/' || code, ', ') FROM system_health.alerts WHERE first_seen > '$start'")"
} | tee "$OUT/figures.txt"
./huihui.sh cluster down
./huihui.sh db stop
