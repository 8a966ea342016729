#!/usr/bin/env python3
"""DuckDB anchors for `caliper-bench anchor` (benchmarks may use Python; tests may not).

    pip install duckdb
    python3 duckdb_anchor.py scorecard DATA_FOLDER   # the work of Caliper's scorecard pass
    python3 duckdb_anchor.py validate DATA_FOLDER    # the work of `caliper validate`

Prints one line, `rows N`, after fetching every result row, so the work cannot be skipped.

scorecard: one SQL statement over the contract's CSV files, doing what Caliper's decisions pass
does for the four example packs: it reads decisions.csv once, with typed columns, and joins each
decision with its QA audits (grouped by decision into lists of QA labels, all and internal, then
counted against the decision's label: of the forms tried, a join of audits with a second read of
decisions, or a materialized decisions table, this was DuckDB's fastest),
its golden item (golden.csv, by item id) and its queue (queues.csv, for the SLA), and computes,
for four groupings at once (GROUPING SETS: site x ISO week, vendor x ISO week, moderator x ISO
week, market x month of decided_at), the decision count, QA and internal-QA accuracy, golden
accuracy, the within-SLA rate, the AI agreement rate over decisions with a suggestion, and the
handle-time mean and 90th percentile. The definitions are the contract's (docs/data-contract.md,
"Shared definitions"): correct is label = qa_label (or gold_label), within SLA is
decided_at - enqueued_at <= sla_seconds.

validate: loads every contract file present into a typed table (CREATE TABLE ... AS SELECT *
FROM read_csv(...) with the contract's column types), then runs the integrity checks `caliper
validate` runs across files: duplicate decision ids, audits of unknown decisions, decisions
by unknown moderators or in unknown queues, and decisions decided before they were enqueued.
"""
import os
import sys

import duckdb

TIMESTAMP = "TIMESTAMP"
COLUMNS = {
    "decisions.csv": {
        "decision_id": "VARCHAR", "item_id": "VARCHAR", "queue": "VARCHAR", "market": "VARCHAR",
        "vendor": "VARCHAR", "site": "VARCHAR", "moderator_id": "VARCHAR", "enqueued_at": TIMESTAMP,
        "decided_at": TIMESTAMP, "handle_seconds": "DOUBLE", "label": "VARCHAR", "ai_label": "VARCHAR",
        "ai_confidence": "DOUBLE", "ai_assisted": "BOOLEAN", "model_version": "VARCHAR",
    },
    "qa_audits.csv": {
        "audit_id": "VARCHAR", "decision_id": "VARCHAR", "auditor_id": "VARCHAR", "auditor_org": "VARCHAR",
        "audited_at": TIMESTAMP, "qa_label": "VARCHAR", "disputed": "BOOLEAN", "dispute_outcome": "VARCHAR",
    },
    "golden.csv": {"item_id": "VARCHAR", "gold_label": "VARCHAR", "policy_version": "VARCHAR"},
    "queues.csv": {
        "queue": "VARCHAR", "market": "VARCHAR", "lob": "VARCHAR", "sla_seconds": "BIGINT",
        "forecast_daily_volume": "BIGINT", "go_live": "DATE",
    },
    "moderators.csv": {
        "moderator_id": "VARCHAR", "vendor": "VARCHAR", "site": "VARCHAR", "market": "VARCHAR",
        "queue": "VARCHAR", "hired_on": "DATE", "status": "VARCHAR",
    },
    "policies.csv": {
        "label": "VARCHAR", "severity": "VARCHAR", "policy_version": "VARCHAR", "effective_from": "DATE",
    },
}


def read_csv(folder, name):
    """A typed read_csv(...) call for one contract file (strict: a bad value is an error)."""
    path = os.path.join(folder, name).replace("'", "''")
    columns = ", ".join(f"'{column}': '{kind}'" for column, kind in COLUMNS[name].items())
    return f"read_csv('{path}', header = true, columns = {{{columns}}}, timestampformat = '%Y-%m-%dT%H:%M:%SZ')"


def scorecard(folder):
    return f"""
    WITH decisions AS (SELECT * FROM {read_csv(folder, "decisions.csv")}),
    audits AS (SELECT decision_id, qa_label, auditor_org FROM {read_csv(folder, "qa_audits.csv")}),
    golden AS (SELECT item_id, gold_label FROM {read_csv(folder, "golden.csv")}),
    queues AS (SELECT queue, sla_seconds FROM {read_csv(folder, "queues.csv")}),
    audit_lists AS (
      SELECT decision_id, list(qa_label) AS qa, list(qa_label) FILTER (WHERE auditor_org = 'internal') AS internal
      FROM audits GROUP BY decision_id),
    facts AS (
      SELECT d.site, d.vendor, d.moderator_id, d.market,
        strftime(d.decided_at, '%G-W%V') AS week, strftime(d.decided_at, '%Y-%m') AS month,
        d.handle_seconds,
        (epoch(d.decided_at) - epoch(d.enqueued_at)) <= q.sla_seconds AS within_sla,
        d.ai_label IS NOT NULL AS suggested, d.ai_label = d.label AS agrees,
        g.gold_label IS NOT NULL AS golden, g.gold_label = d.label AS golden_correct,
        coalesce(len(c.qa), 0) AS audits, coalesce(len(list_filter(c.qa, lambda x: x = d.label)), 0) AS correct,
        coalesce(len(c.internal), 0) AS internal_audits,
        coalesce(len(list_filter(c.internal, lambda x: x = d.label)), 0) AS internal_correct
      FROM decisions d
      JOIN queues q USING (queue)
      LEFT JOIN golden g USING (item_id)
      LEFT JOIN audit_lists c USING (decision_id))
    SELECT site, vendor, moderator_id, market, week, month,
      count(*) AS decisions,
      sum(correct) / nullif(sum(audits), 0) AS qa_accuracy,
      sum(internal_correct) / nullif(sum(internal_audits), 0) AS internal_accuracy,
      count(*) FILTER (WHERE golden_correct) / nullif(count(*) FILTER (WHERE golden), 0) AS golden_accuracy,
      avg(within_sla::INTEGER) AS within_sla_rate,
      count(*) FILTER (WHERE agrees) / nullif(count(*) FILTER (WHERE suggested), 0) AS ai_agreement,
      avg(handle_seconds) AS handle_mean,
      quantile_cont(handle_seconds, 0.9) AS handle_p90
    FROM facts
    GROUP BY GROUPING SETS ((site, week), (vendor, week), (moderator_id, week), (market, month))
    """


def validate(folder, connection):
    for name in COLUMNS:
        if os.path.exists(os.path.join(folder, name)):
            connection.execute(f"CREATE TABLE {name[:-4]} AS SELECT * FROM {read_csv(folder, name)}")
    return """
    SELECT 'duplicate decision id', decision_id FROM decisions GROUP BY decision_id HAVING count(*) > 1
    UNION ALL SELECT 'audit of unknown decision', a.audit_id FROM qa_audits a ANTI JOIN decisions d USING (decision_id)
    UNION ALL SELECT 'unknown moderator', d.decision_id FROM decisions d ANTI JOIN moderators m USING (moderator_id)
    UNION ALL SELECT 'unknown queue', d.decision_id FROM decisions d ANTI JOIN queues q USING (queue)
    UNION ALL SELECT 'decided before enqueued', decision_id FROM decisions WHERE decided_at < enqueued_at
    """


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("scorecard", "validate"):
        sys.exit("usage: duckdb_anchor.py scorecard|validate DATA_FOLDER")
    work, folder = sys.argv[1], sys.argv[2]
    connection = duckdb.connect()
    query = scorecard(folder) if work == "scorecard" else validate(folder, connection)
    rows = connection.execute(query).fetchall()
    print(f"rows {len(rows)}")


if __name__ == "__main__":
    main()
