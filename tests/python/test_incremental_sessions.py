"""An incremental run of the web event chain after new loads equals a full refresh.

The web events of a clean generated data set are split in two loads at a
cut-off near the end: part-0 holds what was loaded before it, part-1 the rest
plus late events (they happened days before the cut-off, older than the
72-hour lookback, but were loaded after it) and re-deliveries of part-0
events with other values (the newer copy must win): with another device,
without a valid timestamp (the event leaves staging), or, for events sent
without a session id, with one (the event leaves the derived sessions).  The
late events are the first events of tracked sessions (so the landing page
and start move) and events of visitors without session ids (so sessions
split and merge).

One warehouse is built on part-0 with an as-of date a few days before the
cut-off (the events after it are quarantined, as a default as-of date would
do before the later loads moved it) and then run incrementally with part-1
and the final as-of date; another is built from scratch on both.  The base
table, the staged events, the derived sessions of untracked events, the
sessionised events and the sessions must hold the same rows in both.
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
FIRST_AS_OF = "2026-10-20"  # before the cut-off: the first build quarantines events after it


def _vars(as_of: str) -> list[str]:
    return ["--vars", f'{{as_of_date: "{as_of}"}}']


STAGING = ["base_web__events", "stg_web__events"]
MODELS = [
    "int_web__untracked_events_sessionized",
    "int_web__events_sessionized",
    "int_web__sessions",
]
SESSIONISED = "int_web__events_sessionized"
SCHEMAS = {"base_web__events": "staging", "stg_web__events": "staging"}
CUT_OFF = pd.Timestamp("2026-10-24 00:00:00")  # a week before the as-of date
LATE_LOADED_AT = CUT_OFF + pd.Timedelta(hours=30)
LATE_WINDOW = (CUT_OFF - pd.Timedelta(days=12), CUT_OFF - pd.Timedelta(days=4))


def _split_web_events(raw_dir, part_1_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rewrite raw web_events as part-0 (loaded before the cut-off); park part-1 aside.

    Returns the late events, the events whose re-delivery lost its timestamp and
    the untracked events re-delivered with a session id.
    """
    path = raw_dir / "web_events" / "part-0.parquet"
    table = pq.read_table(path)
    events = table.to_pandas()

    in_window = events["occurred_at"].between(*LATE_WINDOW) & (events["_loaded_at"] < CUT_OFF)
    tracked = events[in_window & events["session_id"].notna()]
    first_of_session = tracked.sort_values(["occurred_at", "event_id"]).groupby("session_id").head(1)
    untracked = events[in_window & events["session_id"].isna()]
    late_ids = set(first_of_session["event_id"].head(40)) | set(untracked["event_id"].iloc[::3])
    late = events["event_id"].isin(late_ids)
    assert late.sum() >= 20 and untracked.shape[0] > 0, "the data set has too few events to make late ones of"

    events.loc[late, "_loaded_at"] = LATE_LOADED_AT
    early = events["_loaded_at"] < CUT_OFF

    # re-deliveries: early events sent again after the cut-off with another device
    redelivered = events[early & ~late].iloc[::97].head(30).copy()
    redelivered["_loaded_at"] = LATE_LOADED_AT
    redelivered["device_type"] = "tablet-redelivered"

    def write(frame: pd.DataFrame, target) -> None:
        pq.write_table(pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False), target)

    # re-deliveries that lost their occurred_at: the newer copy wins and is
    # quarantined, so the event leaves staging, and a visitor with no other
    # event leaves the sessions altogether
    events_per_visitor = events.groupby("anonymous_id")["event_id"].transform("size")
    pool = (
        early
        & ~late
        & ~events["event_id"].isin(redelivered["event_id"])
        & events["session_id"].notna()
        & (events["occurred_at"] < pd.Timestamp(FIRST_AS_OF))
    )
    # the same for events without a session id, whose sessions the project
    # derives: a visitor may lose its only untracked event or one of several
    untracked_pool = (
        early
        & ~late
        & ~events["event_id"].isin(redelivered["event_id"])
        & events["session_id"].isna()
        & (events["occurred_at"] < pd.Timestamp(FIRST_AS_OF))
    )
    untracked_per_visitor = events[events["session_id"].isna()].groupby("anonymous_id")["event_id"].size()
    untracked_count = events["anonymous_id"].map(untracked_per_visitor).fillna(0)
    invalidated = pd.concat(
        [
            events[pool & (events_per_visitor == 1)].head(3),
            events[pool & (events_per_visitor > 3)].head(3),
            events[untracked_pool & (untracked_count == 1)].head(2),
            events[untracked_pool & (untracked_count > 3)].head(2),
        ]
    ).copy()
    assert len(invalidated) == 10, "the data set has too few visitors to invalidate events of"
    invalidated["_loaded_at"] = LATE_LOADED_AT
    invalidated["occurred_at"] = pd.NaT

    # untracked events re-delivered with a tracker session id: they leave the
    # derived sessions, whose visitors are sessionised again without them
    now_tracked = (
        events[untracked_pool & (untracked_count > 3) & ~events["event_id"].isin(invalidated["event_id"])]
        .groupby("anonymous_id")
        .head(1)
        .head(3)
        .copy()
    )
    assert len(now_tracked) == 3, "the data set has too few untracked visitors"
    now_tracked["_loaded_at"] = LATE_LOADED_AT
    now_tracked["session_id"] = "trk-redelivered-" + now_tracked["event_id"]

    # re-deliveries that move an event to another visitor (a corrected visitor
    # id): the visitor it leaves, whose sessions have no new event, must be
    # recomputed too
    taken = set(redelivered["event_id"]) | set(invalidated["event_id"]) | set(now_tracked["event_id"])
    movable = events[
        early & ~late & ~events["event_id"].isin(taken) & (events["occurred_at"] < pd.Timestamp(FIRST_AS_OF))
    ]
    moved = movable.iloc[::89].head(12).copy()
    assert len(moved) == 12, "the data set has too few events to move"
    moved["_loaded_at"] = LATE_LOADED_AT
    moved["anonymous_id"] = movable["anonymous_id"].iloc[::-89].head(12).to_numpy()

    write(events[early], path)
    part_1_dir.mkdir()
    write(pd.concat([events[~early], redelivered, invalidated, now_tracked, moved]), part_1_dir / "part-1.parquet")
    return events[late], invalidated, now_tracked


def _rows(catalog: str, model: str) -> str:
    return f"select * from {catalog}.{SCHEMAS.get(model, 'intermediate')}.{model}"


def test_incremental_run_equals_full_refresh(tmp_path):
    from leadgen.generate import generate

    raw_dir, part_1_dir, target = tmp_path / "raw", tmp_path / "part_1", tmp_path / "target"
    incremental_db, full_db = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    generate(raw_dir, scale=0.02, seed=42, faults=False, as_of=dt.date.fromisoformat(AS_OF))
    late, invalidated, now_tracked = _split_web_events(raw_dir, part_1_dir)
    common = ["--target-path", str(target)]

    # first load: part-0 only, with an earlier as-of date
    # cautious: leave out the tests of models outside the selection (relationships to them)
    run_dbt(
        [
            "build",
            "--select",
            "+int_web__sessions",
            "--indirect-selection",
            "cautious",
            *_vars(FIRST_AS_OF),
            *common,
        ],
        raw_dir,
        incremental_db,
    )
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        before = con.execute(
            "select session_key, started_at, landing_page_path from intermediate.int_web__sessions"
        ).fetchall()
        sessionised_first = {
            row[0] for row in con.execute("select event_id from intermediate.int_web__events_sessionized").fetchall()
        }
        quarantined_first = con.execute(
            # loaded after the first as-of date (loaded_in_future) or dated after it
            "select count(*) from staging.base_web__events "
            "where quarantine_reason in ('timestamp_after_as_of', 'loaded_in_future')"
        ).fetchone()[0]
    assert quarantined_first > 100, "the first as-of date quarantined too few events to prove anything"

    # second load lands, the as-of date moves on: the web chain runs incrementally
    shutil.copy(part_1_dir / "part-1.parquet", raw_dir / "web_events" / "part-1.parquet")
    second = run_dbt(
        ["run", "--select", "util_as_of_date", *STAGING, *MODELS, *_vars(AS_OF), *common], raw_dir, incremental_db
    )
    # the per-visitor models ran on their scope, not on every visitor
    assert "every visitor recomputed" not in second.stdout, second.stdout[-3000:]
    for path in (
        "staging/web/base/base_web__events.sql",
        *(f"intermediate/web/{model}.sql" for model in MODELS if model != SESSIONISED),
    ):
        compiled = (target / "run" / "leadgen" / "models" / path).read_text()
        assert "delete from" in compiled.lower(), f"the second run of {path} was not incremental"

    # the reference: everything from scratch
    run_dbt(
        [
            "build",
            "--select",
            "+int_web__sessions",
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

    assert_same_rows(
        incremental_db, full_db, [f"{SCHEMAS.get(model, 'intermediate')}.{model}" for model in [*STAGING, *MODELS]]
    )
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental_db}' as incremental_wh (read_only)")
        con.execute(f"attach '{full_db}' as full_wh (read_only)")
        events = con.execute(_rows("full_wh", SESSIONISED)).fetchdf()
        assert set(late["event_id"]) <= set(events["event_id"]), "late events are missing"
        redelivered = con.execute(
            f"select count(*) from ({_rows('incremental_wh', 'stg_web__events')}) "
            "where device_type = 'tablet-redelivered'"
        ).fetchone()[0]
        assert redelivered == 30, f"the newer copy of a re-delivered event must win: {redelivered} of 30"
        gone = set(invalidated["event_id"])
        assert gone <= sessionised_first, "the invalidated events were not sessionised at first"
        still_there = con.execute(
            f"select count(*) from ({_rows('incremental_wh', SESSIONISED)}) "
            f"where event_id in ({', '.join('?' * len(gone))})",
            sorted(gone),
        ).fetchone()[0]
        assert still_there == 0, f"{still_there} events whose latest delivery is invalid are still sessionised"
        moved = con.execute(
            f"select event_id, session_key from ({_rows('incremental_wh', SESSIONISED)}) "
            f"where event_id in ({', '.join('?' * len(now_tracked))})",
            sorted(now_tracked["event_id"]),
        ).fetchall()
        assert sorted(moved) == sorted(zip(now_tracked["event_id"], now_tracked["session_id"], strict=True)), (
            f"events re-delivered with a session id must take it: {moved}"
        )
        after = con.execute(
            "select session_key, started_at, landing_page_path from full_wh.intermediate.int_web__sessions"
        ).fetchall()

    # the late events really moved sessions: starts and landing pages changed, sessions split or merged
    changed = set(before) - set(after)
    assert len(changed) >= 10, f"the late events changed too little to prove anything: {len(changed)} sessions"

    # A campaign's utm_campaign changes: sessions without a new event take
    # another campaign_id, so the next run recomputes every visitor (the
    # reference fingerprint changed) and still equals a full refresh.
    campaigns_path = raw_dir / "marketing_campaigns" / "part-0.parquet"
    campaigns = pq.read_table(campaigns_path).to_pandas()
    with duckdb.connect(str(full_db), read_only=True) as con:
        used = con.execute(
            "select lower(utm_campaign) from intermediate.int_web__sessions "
            "where campaign_id is not null group by 1 order by count(*) desc limit 1"
        ).fetchone()[0]
    renamed = campaigns["utm_campaign"].str.lower() == used
    assert renamed.any(), f"no campaign carries the busiest utm_campaign {used}"
    campaigns.loc[renamed, "utm_campaign"] = used + "-renamed"
    pq.write_table(
        pa.Table.from_pandas(campaigns, schema=pq.read_schema(campaigns_path), preserve_index=False), campaigns_path
    )
    campaign_chain = [
        "base_marketing__campaigns",
        "stg_marketing__campaigns",
        "int_web__sessions",
    ]
    third = run_dbt(["run", "--select", *campaign_chain, *_vars(AS_OF), *common], raw_dir, incremental_db)
    assert "int_web__sessions: every visitor recomputed" in third.stdout, third.stdout[-3000:]
    run_dbt(["run", "--select", *campaign_chain, "--full-refresh", *_vars(AS_OF), *common], raw_dir, full_db)
    with duckdb.connect(str(full_db), read_only=True) as con:
        unmatched = con.execute(
            "select count(*) from intermediate.int_web__sessions where lower(utm_campaign) = ? and campaign_id is null",
            [used],
        ).fetchone()[0]
    assert unmatched > 0, "renaming the campaign changed no session's campaign_id"
    assert_same_rows(incremental_db, full_db, ["intermediate.int_web__sessions"])
