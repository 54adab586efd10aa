"""One more day of loads for an existing data set: what bench's incremental run lands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

# Tables whose rows are immutable facts (events, log entries): every row loaded
# on the new day is a new record.
EVENT_TABLES = (
    "crm_lead_stage_changes",
    "crm_lead_assignments",
    "crm_activities",
    "web_events",
    "email_events",
    "newsletter_subscriptions",
    "product_events",
    "referral_invites",
    "billing_invoices",
)
# Tables of records that change over time, with the column that says when a
# record was created: a row loaded on the new day is a new record when it was
# created that day, otherwise an update of a record the warehouse already has
# (a re-delivery of its key, the newest copy wins).
CREATED_AT = {
    "crm_leads": "created_at",
    "crm_accounts": "created_at",
    "crm_deals": "created_at",
    "app_users": "signed_up_at",
}
NEW_KEY_SUFFIX = "-n1"


def raw_table_dirs(raw_dir: Path) -> list[Path]:
    """The table folders of a raw data set that hold Parquet files, by name."""
    return sorted(p for p in raw_dir.iterdir() if p.is_dir() and any(p.glob("*.parquet")))


def count_raw_rows(raw_dir: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for t in raw_table_dirs(raw_dir) for f in t.glob("*.parquet"))


def append_next_day(
    raw_dir: Path, scale: float, seed: int, as_of: dt.date, scratch: Path | None = None
) -> dict[str, int]:
    """Land one more day of loads: raw_dir/<table>/part-1.parquet. Returns rows appended per table.

    The generator's story is made again with the as-of date one day later
    (same scale and seed) and only its rows with a ``_loaded_at`` on that new
    day are kept: one day's worth of deliveries, in volume and shape as the
    generator makes them.  The rows are picked before they are made into
    Arrow tables, so web_events' text is made for that one day only, and
    nothing of the second story is written but those rows (``scratch`` is
    not used any more; it stays for callers that pass it).  That second
    world is not a continuation of the first (its random draws differ), so
    identifiers are reconciled: a row of an event table (EVENT_TABLES), or
    of an entity table (CREATED_AT) created on the new day, is a new record
    and its key gets the suffix NEW_KEY_SUFFIX, as does every reference to
    it among the appended rows (and web session ids, which are new
    sessions).  Other entity rows keep their key: they are updates of
    records the warehouse holds, re-delivered.  Tables keyed by date
    (ad_spend, social_post_metrics, fx_rates, marketing_expenses) keep
    theirs too: a new report day, or a restatement of a recent one, which
    is what the platforms send.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from leadgen.contract import TABLES, TABLES_BY_NAME

    from ._base import Clock, micros_since_start, take, to_arrow
    from .story import World, build

    next_day = as_of + dt.timedelta(days=1)
    day_start = pa.scalar(dt.datetime.combine(next_day, dt.time()), pa.timestamp("us"))
    clock = Clock.for_as_of(next_day)
    # the new day is the clock's last; a row is on it when its `_loaded_at`,
    # as the file would hold it (whole microseconds), is from its midnight on
    day_start_micros = micros_since_start(np.float64(clock.end - 1))

    def on_day(loaded) -> np.ndarray:
        # a few million rows at a time: web_events' 120M (scale 100) in one
        # go would take some 3 GB of temporaries
        loaded = np.asarray(loaded, float)
        step = 4_000_000
        parts = [
            lo + np.flatnonzero(micros_since_start(np.nan_to_num(loaded[lo : lo + step], nan=-1.0)) >= day_start_micros)
            for lo in range(0, len(loaded), step)
        ]
        return np.concatenate(parts) if parts else np.zeros(0, np.intp)

    # a streamed table (web_events) is cut down to the new day's rows as soon
    # as it is made, its arrays let go of before the rest of the story is
    world = World(clock=clock, seed=seed, scale=scale, sink=lambda name, made: made.make(on_day(made.loaded_at)))
    tables = build(world)
    del world

    new_rows: dict[str, pa.Table] = {}
    new_keys: set[str] = set()
    for name in sorted(t.name for t in TABLES):
        made = tables[name]
        table = to_arrow(name, take(made, on_day(made["_loaded_at"])), clock)
        new_rows[name] = table
        key = TABLES_BY_NAME[name].key
        if len(key) != 1 or table.num_rows == 0:
            continue
        if name in EVENT_TABLES:
            fresh = table
        elif name in CREATED_AT:
            created = table[CREATED_AT[name]]
            fresh = table.filter(pc.fill_null(pc.greater_equal(created, day_start.cast(created.type)), False))
        else:
            continue
        new_keys.update(v for v in fresh[key[0]].to_pylist() if v)

    renamed = pa.array(sorted(new_keys), pa.string())
    counts = {}
    for name, table in new_rows.items():
        columns = []
        for field, column in zip(table.schema, table.columns, strict=False):
            if pa.types.is_string(field.type) and (field.name.endswith("_id") or field.name == "session_id"):
                suffixed = pc.binary_join_element_wise(column, NEW_KEY_SUFFIX, "")
                rename = pc.is_in(column, value_set=renamed)
                if field.name == "session_id" and name == "web_events":
                    rename = pc.is_valid(column)
                column = pc.if_else(rename, suffixed, column)
            columns.append(column)
        table = pa.Table.from_arrays(columns, schema=table.schema)
        counts[name] = table.num_rows
        if table.num_rows:
            pq.write_table(table, raw_dir / name / "part-1.parquet")
    return counts
