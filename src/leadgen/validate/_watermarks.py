"""Backfills below an incremental watermark (docs/raw_contract.md, "Hostile values").

Five base models are incremental on _loaded_at: a run reads only the raw
rows loaded after the newest _loaded_at the model holds (its watermark).  A
row landed later with a _loaded_at at or below that watermark, or with none,
is never read, and the build would drop it without a word.  Before dbt runs,
this check compares, per model, the rows the warehouse holds at or below
its watermark with the raw rows landed there; a difference stops the gate
with the `--full-refresh` that picks them up.

The warehouse is only read (attached read-only); a missing warehouse or
model means a first build, which reads everything: nothing to check.  A
warehouse that cannot be opened is CRITICAL: the check cannot vouch for it,
and dbt could not write it either (another process holds it).
"""

from __future__ import annotations

from pathlib import Path

from leadgen.sql import literal
from leadgen.validate._report import CRITICAL, NOTE, WARNING, Report

SCHEMA = "staging"
# raw table -> the base model that reads it incrementally
INCREMENTAL_MODELS = {
    "web_events": "base_web__events",
    "email_events": "base_email__events",
    "product_events": "base_product__events",
    "crm_activities": "base_crm__activities",
    "crm_lead_stage_changes": "base_crm__lead_stage_changes",
}
ALIAS = "leadgen_warehouse"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _columns(con, model: str) -> set[str]:
    rows = con.execute(
        "select lower(column_name) from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ?",
        [ALIAS, SCHEMA, model],
    ).fetchall()
    return {r[0] for r in rows}


def check_model(con, raw_dir: Path, raw_table: str, model: str, report: Report) -> bool:
    """Compare one model with its raw table; False when the model is not in the warehouse."""
    columns = _columns(con, model)
    if "_loaded_at" not in columns:
        return False
    relation = f"{ALIAS}.{SCHEMA}.{model}"
    # rows quarantined as loaded in the future do not set the watermark (staging leaves them out of it)
    held_rows = (
        f"from {relation} where coalesce(quarantine_reason, '') <> 'loaded_in_future'"
        if "quarantine_reason" in columns
        else f"from {relation}"
    )
    watermark = con.execute(f"select max(_loaded_at) {held_rows}").fetchone()[0]
    if watermark is None:  # an empty model: the next run reads every row
        return True
    held = con.execute(
        f"select count(*) from {relation} where _loaded_at <= ? or _loaded_at is null", [watermark]
    ).fetchone()[0]
    glob = f"{raw_dir}/{raw_table}/*.parquet"
    landed = con.execute(
        f"select count(*) from read_parquet({literal(glob)}, union_by_name = true) "
        "where cast(_loaded_at as timestamp) <= ? or _loaded_at is null",
        [watermark],
    ).fetchone()[0]
    if landed != held:
        remedy = f"dbt build --full-refresh --select {model}+"
        if landed > held:
            what = (
                f"{landed - held:,} rows landed at or below the watermark of {SCHEMA}.{model} "
                f"({watermark}) or with a null _loaded_at, which the model does not hold: "
                "such a row is never read by an incremental run"
            )
        else:
            what = (
                f"{SCHEMA}.{model} holds {held - landed:,} rows more at or below its watermark "
                f"({watermark}) than the raw files now carry (files removed or rewritten?)"
            )
        report.add(CRITICAL, raw_table, None, f"{what}; rebuild it: {remedy}")
    return True


def check_watermarks(con, raw_dir: Path, duckdb_path: Path | None, tables: list[str], report: Report) -> None:
    """Check each incremental model of `tables` (raw table names whose files decode) against the warehouse."""
    wanted = [t for t in tables if t in INCREMENTAL_MODELS]
    if not wanted or duckdb_path is None:
        return
    path = Path(duckdb_path)
    if not path.is_file():
        report.add(NOTE, "watermarks", None, f"no warehouse at {path}: nothing loaded yet, backfill check skipped")
        return
    import duckdb

    try:
        con.execute(f"attach {literal(str(path.resolve()))} as {ALIAS} (read_only)")
    except duckdb.Error as exc:
        # Unchecked, a backfill could go unread; and dbt cannot write a warehouse another process holds anyway.
        from leadgen.preflight import lock_holder

        holder = lock_holder(str(exc))
        why = (
            f"it is locked by {holder.describe()}: close that connection, e.g. the BI tool or duckdb shell, "
            "then run again"
            if holder
            else _one_line(exc)
        )
        report.add(
            CRITICAL,
            "watermarks",
            None,
            f"cannot open the warehouse {path} to check the incremental models for backfills: {why}",
        )
        return
    checked = []
    try:
        for raw_table in wanted:
            model = INCREMENTAL_MODELS[raw_table]
            try:
                if check_model(con, raw_dir, raw_table, model, report):
                    checked.append(model)
            except duckdb.Error as exc:
                report.add(
                    WARNING, raw_table, None, f"backfill check against {SCHEMA}.{model} failed: {_one_line(exc)}"
                )
    finally:
        con.execute(f"detach {ALIAS}")
    report.add(
        NOTE,
        "watermarks",
        None,
        f"incremental models checked for rows below their watermark in {path}: "
        + (", ".join(checked) if checked else "none built yet"),
    )
