-- Seeds a HuiHui database with months-of-data volumes for the history and health benchmarks (issue 22):
-- 10 million expert responses (50 symbols x 4 experts, one cycle every ~10 s per symbol over 14 days) and
-- 10 million stage-latency rows over the same days. Run after `huihui migrate`, against a database you can spare:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f HuiHui.Benchmarks/Load/seed-history.sql
-- Day partitions are created first, so the rows land where live writes would.
\timing on
DO $$
DECLARE d date;
BEGIN
    FOR d IN SELECT generate_series(date '2026-11-15', date '2026-11-28', interval '1 day')::date LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS moe_analysis.%I PARTITION OF moe_analysis.expert_responses FOR VALUES FROM (%L) TO (%L)',
            'expert_responses_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
        EXECUTE format('CREATE TABLE IF NOT EXISTS usage_stats.%I PARTITION OF usage_stats.orchestrator_stats FOR VALUES FROM (%L) TO (%L)',
            'orchestrator_stats_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
    END LOOP;
END $$;

-- 50,000 cycles per symbol-set step: cycle c of symbol s at 2026-11-15 + c * 24.192 s (14 days / 50,000).
INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call)
SELECT gen_random_uuid(), md5(s::text || ':' || c)::uuid, e, 'S' || lpad(s::text, 3, '0'),
       jsonb_build_object('bias', CASE (c + s) % 3 WHEN 0 THEN 'Bullish' WHEN 1 THEN 'Bearish' ELSE 'Neutral' END, 'score', ((c * 7 + s) % 200 - 100) / 100.0),
       ((c + s) % 100) / 100.0,
       timestamptz '2026-11-15 00:00+00' + make_interval(secs => c * 24.192),
       timestamptz '2026-11-15 00:00+00' + make_interval(secs => c * 24.192),
       e || ' · ' || CASE (c + s) % 3 WHEN 0 THEN 'Bullish' WHEN 1 THEN 'Bearish' ELSE 'Neutral' END
FROM generate_series(0, 49999) c, generate_series(1, 50) s, unnest(ARRAY['regime', 'flow', 'sentiment', 'meta']) e;

INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
SELECT md5(s::text || ':' || c)::uuid, 'S' || lpad(s::text, 3, '0'), st, 1 + ((c * 13 + s) % 400) / 10.0, 0,
       timestamptz '2026-11-15 00:00+00' + make_interval(secs => c * 24.192)
FROM generate_series(0, 49999) c, generate_series(1, 50) s, unnest(ARRAY['metrics', 'experts', 'meta', 'total']) st;

ANALYZE moe_analysis.expert_responses;
ANALYZE usage_stats.orchestrator_stats;
