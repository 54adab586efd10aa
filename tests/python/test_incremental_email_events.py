"""An incremental run of base_email__events after new loads equals a full refresh.

The email events of a clean generated data set are split in two loads at a
cut-off near the end.  part-1 holds what was loaded after it, plus:
late events (they happened well before the cut-off but were loaded after
it), re-deliveries of part-0 events with another event type (the newer copy
must win, the older becomes a duplicate) and re-deliveries that lost their
occurred_at (the newer copy wins and is quarantined, so the event leaves
staging).  The first build uses an as-of date before the cut-off, so the
events after it are quarantined; the incremental run moves it on and they
must be staged.  The base table and the staged events must hold the same
rows as a warehouse built from scratch on both loads.
"""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from conftest import assert_same_rows, run_dbt

AS_OF = "2026-10-31"
# Campaign sends come in bursts (at scale 0.02: 8, 19 and 20 October), so the
# dates straddle them: the 19 October send is quarantined by the first as-of
# date and staged once it moves; part of the 20 October send is the new load.
FIRST_AS_OF = "2026-10-12"
CUT_OFF = pd.Timestamp("2026-10-20 12:00:00")
LATE_LOADED_AT = CUT_OFF + pd.Timedelta(hours=30)
MODELS = ["base_email__events", "stg_email__events"]


def _vars(as_of: str) -> list[str]:
    return ["--vars", f'{{as_of_date: "{as_of}"}}']


def _split_email_events(raw_dir, part_1_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rewrite raw email_events as part-0; write part-1 aside. Returns late, re-delivered and invalidated rows."""
    path = raw_dir / "email_events" / "part-0.parquet"
    table = pq.read_table(path)
    events = table.to_pandas()
    before_first_as_of = events["occurred_at"] < pd.Timestamp(FIRST_AS_OF)

    late_pool = events[before_first_as_of & (events["_loaded_at"] < CUT_OFF)]
    late_ids = set(late_pool["event_id"].iloc[::50].head(40))
    late = events["event_id"].isin(late_ids)
    events.loc[late, "_loaded_at"] = LATE_LOADED_AT
    early = events["_loaded_at"] < CUT_OFF
    assert late.sum() >= 20 and (~early).sum() > late.sum(), "the data set has too few email events"

    pool = events[early & before_first_as_of]
    redelivered = pool.iloc[::61].head(30).copy()
    redelivered["_loaded_at"] = LATE_LOADED_AT
    redelivered["event_type"] = "delivered-redelivered"
    invalidated = pool[~pool["event_id"].isin(redelivered["event_id"])].iloc[::53].head(10).copy()
    invalidated["_loaded_at"] = LATE_LOADED_AT
    invalidated["occurred_at"] = pd.NaT
    assert len(redelivered) == 30 and len(invalidated) == 10, "the data set has too few email events"

    def write(frame: pd.DataFrame, target) -> None:
        pq.write_table(pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False), target)

    write(events[early], path)
    part_1_dir.mkdir()
    write(pd.concat([events[~early], redelivered, invalidated]), part_1_dir / "part-1.parquet")
    return events[late], redelivered, invalidated


def test_incremental_email_events_equal_full_refresh(tmp_path):
    from leadgen.generate import generate

    raw_dir, part_1_dir, target = tmp_path / "raw", tmp_path / "part_1", tmp_path / "target"
    incremental_db, full_db = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    generate(raw_dir, scale=0.02, seed=42, faults=False, as_of=dt.date.fromisoformat(AS_OF))
    late, redelivered, invalidated = _split_email_events(raw_dir, part_1_dir)
    common = ["--target-path", str(target)]
    selection = ["--select", "util_as_of_date", "code_variants", *MODELS]

    run_dbt(["build", *selection, "--indirect-selection", "cautious", *_vars(FIRST_AS_OF), *common],
            raw_dir, incremental_db)
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        quarantined_first = con.execute(
            "select count(*) from staging.base_email__events where quarantine_reason = 'timestamp_after_as_of'"
        ).fetchone()[0]
    assert quarantined_first > 100, "the first as-of date quarantined too few events to prove anything"

    shutil.copy(part_1_dir / "part-1.parquet", raw_dir / "email_events" / "part-1.parquet")
    run_dbt(["run", "--select", "util_as_of_date", *MODELS, *_vars(AS_OF), *common], raw_dir, incremental_db)
    compiled = (target / "run" / "leadgen" / "models" / "staging" / "email" / "base" / "base_email__events.sql")
    assert "delete from" in compiled.read_text().lower(), "the second run of base_email__events was not incremental"

    run_dbt(["build", *selection, "--resource-type", "seed", "--resource-type", "model", "--full-refresh",
             *_vars(AS_OF), *common], raw_dir, full_db)
    assert_same_rows(incremental_db, full_db, [f"staging.{model}" for model in MODELS])

    with duckdb.connect(str(incremental_db), read_only=True) as con:
        def count(where: str, ids) -> int:
            return con.execute(
                f"select count(*) from staging.base_email__events where {where} "
                f"and event_id in ({', '.join('?' * len(ids))})",
                sorted(ids),
            ).fetchone()[0]

        assert count("row_disposition = 'staged' and event_type = 'delivered_redelivered'", redelivered["event_id"]) == 30
        assert count("row_disposition = 'duplicate'", redelivered["event_id"]) == 30
        assert count("quarantine_reason = 'null_timestamp' and row_disposition = 'quarantined'",
                     invalidated["event_id"]) == 10
        assert count("row_disposition = 'staged'", late["event_id"]) == len(late)
        still_after = con.execute(
            "select count(*) from staging.base_email__events where quarantine_reason = 'timestamp_after_as_of'"
        ).fetchone()[0]
    assert still_after == 0, "events between the two as-of dates must be staged once the as-of date moves"
