"""`leadgen validate raw`: the landed Parquet files against the raw contract.

Every suite is derived from src/leadgen/contract.py, so a change of the
contract changes the gate with it.  Per table:

1. Schema, from the Parquet footers (pyarrow, no data read): the table
   folder and its files exist, every contract column is there, and its type
   is compatible with contract.arrow_type.  A failure here is CRITICAL: dbt
   cannot build on it.  Extra columns are schema drift the project tolerates
   (they are noted, never read).
2. Decode (_scan.py): every page of every column of every file, streamed;
   a page that does not decode is CRITICAL (dbt would stop on it).  The
   same pass counts the hostile values staging quarantines (NaN and
   Infinity, rates <= 0, implausible amounts, negative counts, null or
   future _loaded_at) and warns about them.
3. Content, with Great Expectations on a pandas frame that DuckDB reads
   from the files: key parts not null, the event time within
   [min_valid_timestamp, end of the as-of day), coded columns (after
   trim, lower-case, spaces/hyphens to '_' and the code_variants seed) in
   the contract's values, money not negative, the table not empty.  These
   allow a share of faulty rows (`mostly`, because the contract says bad
   rows exist and the project quarantines them) and only ever WARN.

Then, with the warehouse (_watermarks.py): raw rows landed at or below the
watermark of an incremental base model, which no incremental run reads,
are CRITICAL with the --full-refresh that picks them up.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from pathlib import Path

from leadgen import contract
from leadgen.sql import literal, quoted_identifier
from leadgen.validate._report import CRITICAL, NOTE, WARNING, Report, TableSummary
from leadgen.validate._watermarks import check_watermarks

DEFAULT_MOSTLY = 0.99
_NS_MIN = "timestamp '1700-01-01'"
_NS_MAX = "timestamp '2250-01-01'"
MIN_VALID_TIMESTAMP = dt.datetime(2000, 1, 1)

# Arrow type families a contract type accepts: a different width, unit or
# time zone reads the same way in DuckDB; a different family does not.
_FAMILIES = {
    contract.VARCHAR: ("string",),
    contract.TIMESTAMP: ("timestamp", "date"),
    contract.DATE: ("date", "timestamp"),
    contract.BOOLEAN: ("bool",),
    contract.INTEGER: ("integer",),
    contract.BIGINT: ("integer",),
    contract.DOUBLE: ("floating", "integer", "decimal"),
    contract.MONEY: ("decimal", "floating", "integer"),
}


def _family(arrow_type) -> str:
    import pyarrow as pa
    import pyarrow.types as pt

    if pt.is_dictionary(arrow_type):
        return _family(arrow_type.value_type)
    if pt.is_null(arrow_type):
        return "null"
    if pt.is_string(arrow_type) or pt.is_large_string(arrow_type) or arrow_type == pa.string_view():
        return "string"
    if pt.is_timestamp(arrow_type):
        return "timestamp"
    if pt.is_date(arrow_type):
        return "date"
    if pt.is_boolean(arrow_type):
        return "bool"
    if pt.is_integer(arrow_type):
        return "integer"
    if pt.is_floating(arrow_type):
        return "floating"
    if pt.is_decimal(arrow_type):
        return "decimal"
    return str(arrow_type)


def is_compatible(found, logical: str) -> bool:
    """True when a Parquet column of Arrow type `found` can stand for contract type `logical`."""
    family = _family(found)
    # an all-null column written without a type reads as null in any type
    return family == "null" or family in _FAMILIES[logical]


def _seeds_dir(seeds_dir: Path | None) -> Path | None:
    candidates = [seeds_dir] if seeds_dir else [Path.cwd() / "seeds", Path(__file__).resolve().parents[3] / "seeds"]
    return next((p for p in candidates if p and p.is_dir()), None)


def code_variants(seeds_dir: Path | None) -> dict[str, dict[str, str]]:
    """The code_variants seed as {code_type: {variant: canonical}}; empty when there is no seed."""
    folder = _seeds_dir(seeds_dir)
    path = folder / "code_variants.csv" if folder else None
    if not path or not path.exists():
        return {}
    out: dict[str, dict[str, str]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["code_type"], {})[row["variant"]] = row["canonical_value"]
    return out


def variants_for(enum: tuple[str, ...], variants: dict[str, dict[str, str]]) -> dict[str, str]:
    """Variants of the seed's code types whose canonical values all belong to `enum`.

    The seed names its own code types (lead_stage, web_event_type, ...);
    matching them by their values keeps the contract free of seed names and
    never maps a code into another column's vocabulary.
    """
    mapping: dict[str, str] = {}
    for by_variant in variants.values():
        if set(by_variant.values()) <= set(enum):
            mapping.update(by_variant)
    return mapping


# The characters staging trims (macros/text.sql, whitespace_code_points): every
# Unicode space, tab and line break, and the byte order mark.
WHITESPACE = "".join(
    chr(c) for c in (9, 10, 11, 12, 13, 32, 133, 160, 5760, *range(8192, 8203), 8232, 8233, 8239, 8287, 12288, 65279)
)


def _trimmed(sql: str) -> str:
    return f"trim({sql}, {literal(WHITESPACE)})"


def normalised_code(column: str, mapping: dict[str, str]) -> str:
    """SQL for a coded column as staging reads it: trimmed, lower case, '_' for spaces and hyphens, seed-mapped."""
    base = f"regexp_replace(lower(nullif({_trimmed(quoted_identifier(column))}, '')), '[[:space:]-]+', '_', 'g')"
    if not mapping:
        return base
    cases = " ".join(f"when {literal(v)} then {literal(c)}" for v, c in sorted(mapping.items()))
    return f"case {base} {cases} else {base} end"


def _is_nullable(column: contract.Column) -> bool:
    return "nullable" in column.description.lower()


def checked_columns(table: contract.Table) -> list[str]:
    """Columns a content check reads: key parts, event time, coded and money columns."""
    wanted = set(table.key) | {table.event_time} | {c.name for c in table.columns if c.enum or c.type == contract.MONEY}
    return [c.name for c in table.columns if c.name in wanted]


def feed_sql(table: contract.Table, present: list[str], glob: str, variants) -> str:
    """The query whose result Great Expectations sees: the checked columns, normalised as staging normalises them.

    Only checked columns are read (web_events' URLs and user agents would
    triple the time); presence and types of all columns are the schema
    suite's job.
    """
    select = []
    for column in table.columns:
        if column.name not in present or column.name not in checked_columns(table):
            continue
        name = quoted_identifier(column.name)
        if column.enum:
            expr = normalised_code(column.name, variants_for(column.enum, variants))
        elif column.name in table.key and column.type == contract.VARCHAR:
            expr = f"nullif({_trimmed(name)}, '')"
        elif column.name == table.event_time:
            # Clamped into pandas' nanosecond range (GX compares datetime64[ns]
            # vectorised, anything else row by row): a clamped value is still
            # outside [2000-01-01, as-of end], so it still fails.
            # (least/greatest would turn nulls into a bound: a case keeps them null)
            ts = f"cast({name} as timestamp)"
            expr = f"case when {ts} < {_NS_MIN} then {_NS_MIN} when {ts} > {_NS_MAX} then {_NS_MAX} else {ts} end"
        elif column.type == contract.MONEY:
            expr = f"cast({name} as double)"
        else:
            expr = name
        select.append(f"{expr} as {name}")
    return f"select {', '.join(select)} from read_parquet({literal(glob)}, union_by_name = true)"


def build_expectations(table: contract.Table, as_of_end: dt.datetime, mostly: float) -> list:
    """The suite of one raw table, derived from its contract entry."""
    from leadgen.validate._gx import expectation

    suite = [
        expectation(
            "ExpectTableRowCountToBeBetween", min_value=1, meta={"why": "an empty table leaves the KPIs it feeds null"}
        )
    ]
    for key in table.key:
        suite.append(
            expectation(
                "ExpectColumnValuesToNotBeNull",
                column=key,
                mostly=mostly,
                meta={"why": "rows with a null or empty key part are quarantined"},
            )
        )
    if table.event_time:
        column = table.column(table.event_time)
        if not _is_nullable(column) and table.event_time not in table.key:
            suite.append(
                expectation(
                    "ExpectColumnValuesToNotBeNull",
                    column=column.name,
                    mostly=mostly,
                    meta={"why": "rows without their defining time are quarantined"},
                )
            )
        suite.append(
            expectation(
                "ExpectColumnValuesToBeBetween",
                column=column.name,
                mostly=mostly,
                min_value=MIN_VALID_TIMESTAMP,
                max_value=as_of_end,
                strict_max=True,
                meta={"why": "defining times before 2000 or after the as-of day are quarantined"},
            )
        )
    for column in table.columns:
        if column.enum:
            suite.append(
                expectation(
                    "ExpectColumnValuesToBeInSet",
                    column=column.name,
                    value_set=list(column.enum),
                    mostly=mostly,
                    meta={"why": "unknown codes fall out of coded breakdowns"},
                )
            )
        if column.type == contract.MONEY:
            suite.append(
                expectation(
                    "ExpectColumnValuesToBeBetween",
                    column=column.name,
                    min_value=0,
                    mostly=mostly,
                    meta={"why": "negative amounts are quarantined"},
                )
            )
    return suite


def _schema_row(table: contract.Table, column: contract.Column, files: int, holding: dict) -> dict:
    found = sorted({str(t) for t in holding.values()})
    return {
        "table_name": table.name,
        "column_name": column.name,
        "contract_type": column.type,
        "found_types": ", ".join(found) or None,
        "files": files,
        "files_with_column": len(holding),
        "is_present": bool(holding),
        "is_type_compatible": all(is_compatible(t, column.type) for t in holding.values()) if holding else None,
    }


def _schema_stage(table: contract.Table, folder: Path, report: Report, rows: list[dict]) -> tuple[list[str], bool]:
    """Check files and column types; return (contract columns present, whether content can be checked).

    Appends one row per contract column to `rows` for the schema suite.
    """
    import pyarrow.parquet as pq

    if not folder.is_dir():
        report.add(CRITICAL, table.name, None, f"table folder missing: {folder}")
        rows.extend(_schema_row(table, c, 0, {}) for c in table.columns)
        return [], False
    files = sorted(folder.glob("*.parquet"))
    if not files:
        report.add(CRITICAL, table.name, None, f"no Parquet files in {folder} (dbt cannot read the table)")
        rows.extend(_schema_row(table, c, 0, {}) for c in table.columns)
        return [], False
    schemas = {}
    for path in files:
        try:
            schemas[path.name] = pq.read_schema(path)
        except Exception as exc:  # a truncated or foreign file stops dbt too
            report.add(CRITICAL, table.name, None, f"unreadable Parquet file {path.name}: {exc}")
    if len(schemas) < len(files):
        rows.extend(_schema_row(table, c, 0, {}) for c in table.columns)
        return [], False
    present: list[str] = []
    ok = True
    for column in table.columns:
        holding = {name: s.field(column.name).type for name, s in schemas.items() if column.name in s.names}
        rows.append(_schema_row(table, column, len(schemas), holding))
        if not holding and column.optional:
            report.add(NOTE, table.name, column.name, "optional column absent from every file (staging reads null)")
            continue
        if not holding:
            report.add(CRITICAL, table.name, column.name, f"required column missing (contract type {column.type})")
            ok = False
            continue
        present.append(column.name)
        if len(holding) < len(schemas):
            report.add(
                WARNING,
                table.name,
                column.name,
                f"missing from {len(schemas) - len(holding)} of {len(schemas)} files (read as null there)",
            )
        expected = contract.arrow_type(column.type)
        for found in sorted({str(t): t for t in holding.values()}.values(), key=str):
            if not is_compatible(found, column.type):
                report.add(
                    CRITICAL,
                    table.name,
                    column.name,
                    f"incompatible type {found} (contract: {column.type}, Arrow {expected})",
                )
                ok = False
            elif found != expected and _family(found) != "null":
                report.add(
                    NOTE, table.name, column.name, f"type {found} differs from Arrow {expected} but is compatible"
                )
    extras = sorted({n for s in schemas.values() for n in s.names} - set(table.column_names))
    if extras:
        report.add(NOTE, table.name, None, f"extra columns tolerated (not read): {', '.join(extras)}")
    return present, ok


def _validate_schema(gx_run, rows: list[dict], report: Report) -> None:
    """The schema suite: one row per contract column, so the Data Docs show presence and types too.

    Its failures are already findings (named by table and column, from the
    footers); here they only count.
    """
    import pandas as pd

    from leadgen.validate._gx import expectation

    frame = pd.DataFrame(rows, columns=list(_schema_row(contract.TABLES[0], contract.TABLES[0].columns[0], 0, {})))
    outcome = gx_run.validate(
        "raw._schema",
        frame,
        [
            expectation(
                "ExpectColumnValuesToBeInSet",
                column="is_present",
                value_set=[True],
                critical=True,
                meta={"why": "dbt reads every contract column"},
            ),
            expectation(
                "ExpectColumnValuesToBeInSet",
                column="is_type_compatible",
                value_set=[True],
                critical=True,
                meta={"why": "a type from another family breaks the staging casts"},
            ),
            expectation(
                "ExpectColumnPairValuesToBeEqual",
                column_A="files_with_column",
                column_B="files",
                meta={"why": "a column absent from some files reads as null there"},
            ),
        ],
    )
    summary = TableSummary(
        "(schema: columns)",
        rows=outcome.rows,
        passed=outcome.passed,
        failed=len(outcome.failed_critical) + len(outcome.failed_warning),
        checked=True,
        is_table=False,
    )
    summary.critical = len(outcome.failed_critical)
    report.tables.insert(0, summary)


def utc_now() -> dt.datetime:
    """The wall-clock time, UTC, as a naive timestamp (how the raw timestamps read)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def resolve_as_of_end(
    con, raw_dir: Path, as_of: dt.date | None, readable: list[str], now: dt.datetime | None = None
) -> tuple[dt.datetime, str]:
    """End of the as-of day, as util_as_of_date computes it: given, or the date of the greatest _loaded_at.

    Loads that staging quarantines take no part: a null _loaded_at, or one
    after `now` (the gate's clock, naive UTC).
    """
    if as_of is not None:
        return dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1), "--as-of"
    import duckdb

    now = now or utc_now()
    latest = None
    for name in readable:
        glob = f"{raw_dir}/{name}/*.parquet"
        try:
            value = con.execute(
                "select max(loaded_at) from (select cast(_loaded_at as timestamp) as loaded_at "
                f"from read_parquet({literal(glob)}, union_by_name = true)) where loaded_at <= ?",
                [now],
            ).fetchall()[0][0]
        except duckdb.Error:  # no files, or no usable _loaded_at: the schema stage reports it
            continue
        if value is not None and (latest is None or value > latest):
            latest = value
    day = latest.date() if latest is not None else dt.date.today()
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(days=1), "greatest _loaded_at of the raw tables"


def validate_raw(
    raw_dir: Path,
    report_dir: Path,
    *,
    as_of: dt.date | None = None,
    mostly: float = DEFAULT_MOSTLY,
    seeds_dir: Path | None = None,
    tables: list[str] | None = None,
    docs: bool = True,
    now: dt.datetime | None = None,
    duckdb_path: Path | None = None,
) -> Report:
    """Validate every raw table of the contract (or `tables`) and write Data Docs under report_dir/raw.

    `now` (naive UTC, default the clock) is the instant after which a _loaded_at is in the future;
    `duckdb_path` is the warehouse whose incremental models are checked for backfills (None: not checked).
    """
    import duckdb

    from leadgen.validate import _scan
    from leadgen.validate._gx import GxRun

    now = now or utc_now()
    raw_dir = Path(raw_dir).resolve()
    report_dir = Path(report_dir)
    report = Report(kind="raw")
    selected = [contract.TABLES_BY_NAME[t] for t in tables] if tables else list(contract.TABLES)
    if not raw_dir.is_dir():
        report.add(CRITICAL, str(raw_dir), None, "raw folder does not exist")
        return report

    bound, bound_source = _scan.max_plausible_amount(_scan.project_dirs(seeds_dir))
    _scan.note_bound(bound_source, bound, report)
    limits = _scan.Limits(bound, now, dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1) if as_of else None)
    present_by_table: dict[str, list[str]] = {}
    schema_rows: list[dict] = []
    decode_seconds = 0.0
    for table in selected:
        report.tables.append(TableSummary(table.name))
        present, ok = _schema_stage(table, raw_dir / table.name, report, schema_rows)
        files = sorted((raw_dir / table.name).glob("*.parquet"))
        if files:
            # every page of every column: a damaged page the checks below skip would stop dbt
            started = time.perf_counter()
            scan = _scan.scan_table(table, files, limits)
            decode_seconds += time.perf_counter() - started
            _scan.report_scan(table, scan, limits, report)
            ok = ok and scan.readable
        if ok:
            present_by_table[table.name] = present

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    # over every table with files, also when only some are validated: the as-of day is the data set's
    as_of_end, as_of_source = resolve_as_of_end(
        con, raw_dir, as_of, [t.name for t in contract.TABLES if any((raw_dir / t.name).glob("*.parquet"))], now
    )
    variants = code_variants(seeds_dir)
    gx_run = GxRun(report_dir / "raw", "raw", docs=docs)
    _validate_schema(gx_run, schema_rows, report)
    for table in selected:
        if table.name not in present_by_table:
            continue
        glob = f"{raw_dir}/{table.name}/*.parquet"
        frame = con.sql(feed_sql(table, present_by_table[table.name], glob, variants)).to_arrow_table().to_pandas()
        if table.event_time in frame:
            frame[table.event_time] = frame[table.event_time].astype("datetime64[ns]")
        outcome = gx_run.validate(f"raw.{table.name}", frame, build_expectations(table, as_of_end, mostly))
        summary = report.table(table.name)
        summary.checked = True
        summary.rows = outcome.rows
        summary.passed = outcome.passed
        summary.failed = len(outcome.failed_critical) + len(outcome.failed_warning)
        for message in outcome.failed_critical:
            column, _, text = message.partition(": ")
            report.add(CRITICAL, table.name, column, text)
        for message in outcome.failed_warning:
            column, _, text = message.partition(": ")
            report.add(WARNING, table.name, None if column == "table" else column, text)
        if outcome.rows == 0:
            report.add(
                NOTE, table.name, None, "empty table: the KPIs it feeds come out 0 or null (docs/data_quality.md)"
            )
    check_watermarks(con, raw_dir, duckdb_path, [t.name for t in selected if t.name in present_by_table], report)
    con.close()
    report.add(
        NOTE,
        "as-of",
        None,
        f"timestamps checked against [{MIN_VALID_TIMESTAMP:%Y-%m-%d}, {as_of_end:%Y-%m-%d %H:%M}) ({as_of_source})",
    )
    report.docs_index = gx_run.index
    report_dir.mkdir(parents=True, exist_ok=True)
    summary_path = report_dir / "raw_summary.json"
    summary_path.write_text(
        json.dumps(
            {
                "raw_dir": str(raw_dir),
                "as_of_end": as_of_end.isoformat(),
                "as_of_source": as_of_source,
                "checked_at_utc": now.isoformat(),
                "max_plausible_amount": bound,
                "decode_seconds": round(decode_seconds, 3),
                "mostly": mostly,
                "exit_code": report.exit_code,
                "tables": [vars(t) for t in report.tables],
                "findings": [vars(f) for f in report.findings],
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    report.extra_files.append(summary_path)
    return report
