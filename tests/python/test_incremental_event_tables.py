"""An incremental run of each incremental event base model equals a full refresh.

For each table, the raw rows of a clean generated data set are split in two
loads at a cut-off near the end.  part-1 holds what was loaded after it,
plus: late rows (they happened well before the cut-off but were loaded after
it), re-deliveries of part-0 rows with another value in one column (the
newer copy must win, the older becomes a duplicate) and re-deliveries that
lost their timestamp (the newer copy wins and is quarantined, so the row
leaves staging).  The first build uses an as-of date before the cut-off, so
the rows after it are quarantined; the incremental run moves it on and they
must be staged.  The base table and the staged view must hold the same rows
as a warehouse built from scratch on both loads.

base_web__events has its own, larger test with the sessions
(test_incremental_sessions.py).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import assert_same_rows, run_dbt

AS_OF = "2026-10-31"
# Campaign sends come in bursts (at scale 0.02: 8, 19 and 20 October), so the
# dates straddle them: the 19 October send is quarantined by the first as-of
# date and staged once it moves; part of the 20 October send is the new load.
FIRST_AS_OF = "2026-10-12"
CUT_OFF = pd.Timestamp("2026-10-20 12:00:00")
LATE_LOADED_AT = CUT_OFF + pd.Timedelta(hours=30)
# With an explicit as-of date, a row loaded after it is loaded_in_future (a
# load fault, checked before the row's own time), one dated after it but
# loaded before is timestamp_after_as_of: both leave staging until it moves.
AFTER_AS_OF = "('timestamp_after_as_of', 'loaded_in_future')"


@dataclass(frozen=True)
class EventTable:
    raw: str
    model: str
    key: str
    time: str
    changed: str  # the column a re-delivery changes
    redelivered: str  # its new raw value
    staged_as: str  # that value as the base model stages it

    @property
    def staged_model(self) -> str:
        return "stg_" + self.model[len("base_") :]


TABLES = [
    EventTable(
        "email_events",
        "base_email__events",
        "event_id",
        "occurred_at",
        "event_type",
        "delivered-redelivered",
        "delivered_redelivered",
    ),
    EventTable(
        "product_events",
        "base_product__events",
        "event_id",
        "occurred_at",
        "event_name",
        " Redelivered ",
        "redelivered",
    ),
    EventTable(
        "crm_activities",
        "base_crm__activities",
        "activity_id",
        "occurred_at",
        "direction",
        "Redelivered",
        "redelivered",
    ),
    EventTable(
        "crm_lead_stage_changes",
        "base_crm__lead_stage_changes",
        "change_id",
        "changed_at",
        "stage",
        "Re delivered",
        "re_delivered",
    ),
]


def _vars(as_of: str) -> list[str]:
    return ["--vars", f'{{as_of_date: "{as_of}"}}']


def _every(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """About `count` rows spread over the frame."""
    return frame.iloc[:: max(1, len(frame) // count)].head(count)


def _split(table: EventTable, raw_dir, part_1_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rewrite the raw table as part-0; write part-1 aside. Returns late, re-delivered and invalidated rows."""
    path = raw_dir / table.raw / "part-0.parquet"
    arrow = pq.read_table(path)
    rows = arrow.to_pandas()
    before_first_as_of = rows[table.time] < pd.Timestamp(FIRST_AS_OF)

    late_ids = set(_every(rows[before_first_as_of & (rows["_loaded_at"] < CUT_OFF)], 20)[table.key])
    late = rows[table.key].isin(late_ids)
    rows.loc[late, "_loaded_at"] = LATE_LOADED_AT
    early = rows["_loaded_at"] < CUT_OFF

    pool = rows[early & before_first_as_of]
    redelivered = _every(pool, 15).copy()
    redelivered["_loaded_at"] = LATE_LOADED_AT
    redelivered[table.changed] = table.redelivered
    invalidated = _every(pool[~pool[table.key].isin(redelivered[table.key])], 5).copy()
    invalidated["_loaded_at"] = LATE_LOADED_AT
    invalidated[table.time] = pd.NaT
    assert late.sum() >= 10 and len(redelivered) == 15 and len(invalidated) == 5, f"too few {table.raw} rows"

    def write(frame: pd.DataFrame, target) -> None:
        pq.write_table(pa.Table.from_pandas(frame, schema=arrow.schema, preserve_index=False), target)

    write(rows[early], path)
    part_1_dir.mkdir()
    write(pd.concat([rows[~early], redelivered, invalidated]), part_1_dir / "part-1.parquet")
    return rows[late], redelivered, invalidated


@pytest.mark.parametrize("table", TABLES, ids=[table.model for table in TABLES])
def test_incremental_run_equals_full_refresh(table: EventTable, tmp_path):
    from leadgen.generate import generate

    raw_dir, part_1_dir, target = tmp_path / "raw", tmp_path / "part_1", tmp_path / "target"
    incremental_db, full_db = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    generate(raw_dir, scale=0.02, seed=42, faults=False, as_of=dt.date.fromisoformat(AS_OF))
    late, redelivered, invalidated = _split(table, raw_dir, part_1_dir)
    common = ["--target-path", str(target)]
    models = [table.model, table.staged_model]
    selection = ["--select", "util_as_of_date", "code_variants", *models]

    run_dbt(
        ["build", *selection, "--indirect-selection", "cautious", *_vars(FIRST_AS_OF), *common], raw_dir, incremental_db
    )
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        quarantined_first = con.execute(
            f"select count(*) from staging.{table.model} where quarantine_reason in {AFTER_AS_OF}"
        ).fetchone()[0]
    assert quarantined_first >= 5, "the first as-of date quarantined too few rows to prove anything"

    shutil.copy(part_1_dir / "part-1.parquet", raw_dir / table.raw / "part-1.parquet")
    run_dbt(["run", "--select", "util_as_of_date", *models, *_vars(AS_OF), *common], raw_dir, incremental_db)
    folder = table.model.split("_")[1]
    compiled = target / "run" / "leadgen" / "models" / "staging" / folder / "base" / f"{table.model}.sql"
    assert "delete from" in compiled.read_text().lower(), f"the second run of {table.model} was not incremental"

    run_dbt(
        [
            "build",
            *selection,
            "--resource-type",
            "seed",
            "--resource-type",
            "model",
            "--full-refresh",
            *_vars(AS_OF),
            *common,
        ],
        raw_dir,
        full_db,
    )
    assert_same_rows(incremental_db, full_db, [f"staging.{model}" for model in models])

    with duckdb.connect(str(incremental_db), read_only=True) as con:

        def count(where: str, keys) -> int:
            return con.execute(
                f"select count(*) from staging.{table.model} where {where} "
                f"and {table.key} in ({', '.join('?' * len(keys))})",
                sorted(keys),
            ).fetchone()[0]

        winners = count(f"row_disposition = 'staged' and {table.changed} = '{table.staged_as}'", redelivered[table.key])
        assert winners == 15, f"the newer copy of a re-delivered row must win: {winners} of 15"
        assert count("row_disposition = 'duplicate'", redelivered[table.key]) == 15
        assert (
            count("quarantine_reason = 'null_timestamp' and row_disposition = 'quarantined'", invalidated[table.key])
            == 5
        )
        assert count("row_disposition = 'staged'", late[table.key]) == len(late)
        still_after = con.execute(
            f"select count(*) from staging.{table.model} where quarantine_reason in {AFTER_AS_OF}"
        ).fetchone()[0]
    assert still_after == 0, "rows between the two as-of dates must be staged once the as-of date moves"
