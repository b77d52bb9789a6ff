#!/usr/bin/env bash
# Issue 21's load run (docs/performance.md, "Several nodes"): 3 nodes on this machine, 150 simulated symbols every 5 s;
# node-2 killed with SIGKILL 2 minutes in and started again 2 minutes later; 3 more minutes; then the figures:
# per-symbol gap, duplicates, p99 cycle latency, memory per node. Runs in its own data folder and PostgreSQL.
#   HuiHui.Benchmarks/cluster-load.sh            (about 9 minutes; the cluster is stopped at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export HUIHUI_DATA_DIR="${HUIHUI_DATA_DIR:-/tmp/huihui-cluster-load}"
export HUIHUI_PG_PORT="${HUIHUI_PG_PORT:-55441}"
export HUIHUI_REDIS_PORT="${HUIHUI_REDIS_PORT:-56380}"
export HuiHui__Ingestion__Interval=00:00:05
export HuiHui__Learning__FillOnFirstStart=false HuiHui__Education__IngestOnFirstStart=false
for i in $(seq 0 149); do export "HuiHui__Ingestion__WatchList__$i=$(printf 'L%03d' "$i")"; done
OUT="$HUIHUI_DATA_DIR/load"
mkdir -p "$OUT"
PSQL="$(find /usr/lib/postgresql -maxdepth 3 -name psql -type f | sort -V | tail -n 1)"
sql() { "$PSQL" -h 127.0.0.1 -p "$HUIHUI_PG_PORT" -U huihui -d huihui -tAc "$1"; }
pid_of() { cat "$HUIHUI_DATA_DIR/cluster/node-$1.pid"; }
sample() {
  while true; do
    for n in 1 2 3; do
      local pid
      pid="$(pid_of "$n" 2>/dev/null || true)"
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "$(date -u +%H:%M:%S) node-$n $(ps -o rss= -p "$pid") $(ps -o times= -p "$pid")"
      fi
    done >>"$OUT/memory.txt"
    sleep 10
  done
}

./huihui.sh cluster up 3
until [ "$(./huihui.sh cluster status --json 2>/dev/null | grep -c '"live": true')" = 3 ] &&
  [ "$(sql "SELECT count(*) FROM cluster.leases")" = 150 ]; do sleep 2; done
start="$(sql "SELECT now()")"
echo "all 150 symbols leased at $start" | tee "$OUT/timeline.txt"
sample & sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

sleep 120
killed="$(sql "SELECT now()")"
kill -9 "$(pid_of 2)"
echo "node-2 killed at $killed" | tee -a "$OUT/timeline.txt"
sleep 120
restarted="$(sql "SELECT now()")"
./huihui.sh cluster up 3
echo "node-2 started again at $restarted" | tee -a "$OUT/timeline.txt"
sleep 180
ended="$(sql "SELECT now()")"
./huihui.sh cluster status | tee "$OUT/status.txt"
sleep 5 # the last responses flushed

{
  echo "window: $start .. $ended"
  echo "analyses per node-minute (meta responses): $(sql "SELECT count(*) FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended'")"
  echo "duplicates (symbol, as_of, expert): $(sql "SELECT count(*) FROM (SELECT 1 FROM moe_analysis.expert_responses GROUP BY symbol, as_of, expert_id HAVING count(*) > 1) d")"
  echo "per-symbol gap between analyses, seconds (p50 / p99 / max over all symbols):"
  sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY g)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY g)::numeric, 2), round(max(g)::numeric, 2)
       FROM (SELECT extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY symbol ORDER BY created_at)) AS g
             FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended') x WHERE g IS NOT NULL"
  echo "largest gaps (symbol, gap s, gap ended at):"
  sql "SELECT symbol, round(g::numeric, 1), at FROM (SELECT symbol, created_at AS at, extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY symbol ORDER BY created_at)) AS g
       FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended') x WHERE g IS NOT NULL ORDER BY g DESC LIMIT 5"
  echo "symbols analysed more than once per interval (excess analyses over the window, max per symbol):"
  sql "SELECT round(max(n - (extract(epoch FROM last - first) / 5 + 1))::numeric, 2) FROM (SELECT symbol, count(*) n, min(created_at) first, max(created_at) last
       FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN '$start' AND '$ended' GROUP BY symbol) s"
  echo "cycle latency ms, stage total / queued (p50 / p99):"
  sql "SELECT stage, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::numeric, 1)
       FROM usage_stats.orchestrator_stats WHERE stage IN ('total', 'queued') AND occurred_at BETWEEN '$start' AND '$ended' GROUP BY stage"
  echo "resident memory per node, MB (min / max over the run, last):"
  for n in 1 2 3; do
    awk -v n="node-$n" '$2 == n { mb = $3 / 1024; if (min == "" || mb < min) min = mb; if (mb > max) max = mb; last = mb } END { printf "%s %.0f / %.0f, last %.0f\n", n, min, max, last }' "$OUT/memory.txt"
  done
  echo "Redis: $(redis-cli -p "$HUIHUI_REDIS_PORT" info stats 2>/dev/null | grep -E 'total_net_input_bytes|total_net_output_bytes' | tr '\r\n' '  ' || true)"
} | tee "$OUT/figures.txt"

kill $sampler 2>/dev/null || true
./huihui.sh cluster down
./huihui.sh db stop
