"""The decode pass of `leadgen validate raw`: every page of every file, and the hostile values.

The schema stage reads footers and the content stage reads only the checked
columns, so a file whose bytes are damaged inside a data page of another
column would pass both and stop dbt many models later.  This pass decodes
every column of every file, one record batch of one row group at a time
(memory is bounded by the row group, whatever the file size), and while
the batches go by it counts the values docs/raw_contract.md ("Hostile values")
has staging quarantine:

- NaN or +/-Infinity in a numeric contract column landed as floating point
  (`non_finite_value`), and `fx_rates.usd_per_unit <= 0` (`invalid_rate`);
- money above the dbt var `max_plausible_amount` (`implausible_amount`);
- negative impressions, clicks, conversions, likes, shares, comments (`negative_count`);
- a null `_loaded_at` (`null_loaded_at`), or one after the gate's clock or
  the end of an explicit as-of day (`loaded_in_future`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from leadgen import contract
from leadgen.validate._report import CRITICAL, NOTE, WARNING, Report

BATCH_ROWS = 65_536
READ_BUFFER = 1 << 20
DEFAULT_MAX_PLAUSIBLE_AMOUNT = 10_000_000_000.0
NUMERIC_TYPES = (contract.DOUBLE, contract.MONEY, contract.INTEGER, contract.BIGINT)
# Count columns a negative value makes meaningless (docs/raw_contract.md, "Hostile values").
COUNT_COLUMNS = {
    "ad_spend": ("impressions", "clicks", "conversions"),
    "social_post_metrics": ("impressions", "likes", "shares", "comments"),
}
RATE_COLUMNS = {"fx_rates": ("usd_per_unit",)}


@dataclass(frozen=True)
class Limits:
    """What counts as hostile: the amount bound and the instant after which a load is in the future."""

    max_amount: float | None
    now: dt.datetime  # naive UTC
    as_of_end: dt.datetime | None = None  # naive UTC, only with an explicit --as-of

    @property
    def future_bound(self) -> tuple[dt.datetime, bool, str]:
        """(instant, inclusive, what it is): a _loaded_at at (inclusive) or after it is in the future."""
        if self.as_of_end is not None and self.as_of_end <= self.now:
            return self.as_of_end, True, f"the end of --as-of ({self.as_of_end:%Y-%m-%d %H:%M})"
        return self.now, False, f"the gate's clock ({self.now:%Y-%m-%d %H:%M:%S} UTC)"


@dataclass
class TableScan:
    """What the decode pass saw in one table's files."""

    files: int = 0
    rows: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file name and failing columns, error)
    non_finite: Counter = field(default_factory=Counter)
    non_positive_rate: Counter = field(default_factory=Counter)
    implausible: Counter = field(default_factory=Counter)
    negative_count: Counter = field(default_factory=Counter)
    null_loaded_at: int = 0
    future_loaded_at: int = 0

    @property
    def readable(self) -> bool:
        return not self.unreadable


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception as one line: its type when the message is empty, whitespace collapsed, cut at `limit`."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def project_dirs(seeds_dir: Path | None) -> list[Path]:
    """Where dbt_project.yml may be: beside the seeds folder given, the working folder, this checkout."""
    dirs = [seeds_dir.parent] if seeds_dir else []
    return dirs + [Path.cwd(), Path(__file__).resolve().parents[3]]


def max_plausible_amount(where: list[Path] | Path | None = None) -> tuple[float | None, str]:
    """The dbt var max_plausible_amount from the first dbt_project.yml found, or the default.

    Returns (bound, where it came from); bound is None when the value is not a positive number.
    """
    import yaml

    dirs = [where] if isinstance(where, Path) else (where or project_dirs(None))
    path = next((d / "dbt_project.yml" for d in dirs if (d / "dbt_project.yml").is_file()), None)
    if path is None:
        return DEFAULT_MAX_PLAUSIBLE_AMOUNT, "the default: no dbt_project.yml found"
    project = yaml.safe_load(path.read_text()) or {}
    variables = project.get("vars") or {}
    if "max_plausible_amount" not in variables or variables["max_plausible_amount"] is None:
        return DEFAULT_MAX_PLAUSIBLE_AMOUNT, f"the default: no vars.max_plausible_amount in {path}"
    value = variables["max_plausible_amount"]
    try:
        bound = float(value)
    except (TypeError, ValueError):
        return None, f"{path}: vars.max_plausible_amount is not a number: {value!r}"
    if not bound > 0 or bound == float("inf"):
        return None, f"{path}: vars.max_plausible_amount must be a positive number, not {value!r}"
    return bound, f"vars.max_plausible_amount of {path}"


def _count(mask) -> int:
    import pyarrow.compute as pc

    return int(pc.sum(mask).as_py() or 0)


def _finite_values(array):
    """(the values as float64, a mask of the finite ones), nulls staying null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = array if pa.types.is_floating(array.type) else array.cast(pa.float64())
    return values, pc.is_finite(values)


def _as_naive_us(array):
    """A timestamp or date array as naive microsecond timestamps (UTC wall clock)."""
    import pyarrow as pa

    return array.cast(pa.timestamp("us"), safe=False)


def _plan(table: contract.Table, schema) -> dict[str, set[str]]:
    """Which checks apply to which column of this file, by the Arrow type it has there."""
    import pyarrow.types as pt

    plan: dict[str, set[str]] = {}
    for column in table.columns:
        if column.name not in schema.names:
            continue
        arrow = schema.field(column.name).type
        if pt.is_dictionary(arrow):
            arrow = arrow.value_type
        numeric = pt.is_integer(arrow) or pt.is_floating(arrow) or pt.is_decimal(arrow)
        checks = set()
        if column.type in NUMERIC_TYPES and pt.is_floating(arrow):
            checks.add("finite")
        if numeric and column.type == contract.MONEY:
            checks.add("amount")
        if numeric and column.name in COUNT_COLUMNS.get(table.name, ()):
            checks.add("count")
        if numeric and column.name in RATE_COLUMNS.get(table.name, ()):
            checks.add("rate")
        # (an all-null column written without a type counts as nulls too)
        if column.name == "_loaded_at" and (pt.is_timestamp(arrow) or pt.is_date(arrow) or pt.is_null(arrow)):
            checks.add("loaded_at")
        if checks:
            plan[column.name] = checks
    return plan


def _scan_batch(batch, plan: dict[str, set[str]], scan: TableScan, limits: Limits) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for name, checks in plan.items():
        array = batch.column(name)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if checks & {"finite", "amount", "count", "rate"}:
            values, finite = _finite_values(array)
            if "finite" in checks:
                scan.non_finite[name] += len(values) - values.null_count - _count(finite)
            if "amount" in checks and limits.max_amount is not None:
                scan.implausible[name] += _count(pc.and_(finite, pc.greater(values, limits.max_amount)))
            if "count" in checks:
                scan.negative_count[name] += _count(pc.and_(finite, pc.less(values, 0)))
            if "rate" in checks:
                scan.non_positive_rate[name] += _count(pc.and_(finite, pc.less_equal(values, 0)))
        if "loaded_at" in checks:
            scan.null_loaded_at += array.null_count
            bound, inclusive, _ = limits.future_bound
            stamps = _as_naive_us(array)
            scalar = pa.scalar(bound, pa.timestamp("us"))
            scan.future_loaded_at += _count((pc.greater_equal if inclusive else pc.greater)(stamps, scalar))


def _failing_columns(path: Path, names: list[str]) -> list[str]:
    """The columns whose pages fail to decode on their own (after a failed pass over all of them)."""
    import pyarrow.parquet as pq

    failing = []
    for name in names:
        try:
            parquet = pq.ParquetFile(path, buffer_size=READ_BUFFER)
            for group in range(parquet.num_row_groups):
                for _ in parquet.iter_batches(
                    batch_size=BATCH_ROWS, row_groups=[group], columns=[name], use_threads=False
                ):
                    pass
        except Exception:  # noqa: BLE001 - any decoding error names the column
            failing.append(name)
    return failing


def scan_table(table: contract.Table, files: list[Path], limits: Limits) -> TableScan:
    """Decode every page of every column of `files`, counting the hostile values on the way.

    A file whose footer cannot be read is skipped (the schema stage reports
    it); a file whose pages fail to decode is recorded in `unreadable`.
    """
    import pyarrow.parquet as pq

    scan = TableScan(files=len(files))
    for path in files:
        try:
            parquet = pq.ParquetFile(path, buffer_size=READ_BUFFER, page_checksum_verification=True)
        except Exception:  # noqa: BLE001 - footer errors belong to the schema stage
            continue
        schema = parquet.schema_arrow
        plan = _plan(table, schema)
        counts = TableScan()
        rows = 0
        try:
            # row group by row group: one reader over the whole file holds more as it goes
            for group in range(parquet.num_row_groups):
                for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], use_threads=False):
                    rows += batch.num_rows
                    _scan_batch(batch, plan, counts, limits)
        except Exception as exc:  # noqa: BLE001 - whatever the decoder raises, dbt would raise too
            failing = _failing_columns(path, schema.names)
            where = f" (column {', '.join(failing)})" if failing else ""
            scan.unreadable.append((path.name + where, one_line(exc)))
            continue
        scan.rows += rows
        if "_loaded_at" not in schema.names:  # union_by_name reads the missing column as null
            counts.null_loaded_at += rows
        scan.null_loaded_at += counts.null_loaded_at
        scan.future_loaded_at += counts.future_loaded_at
        for name in ("non_finite", "non_positive_rate", "implausible", "negative_count"):
            getattr(scan, name).update(getattr(counts, name))
    return scan


def report_scan(table: contract.Table, scan: TableScan, limits: Limits, report: Report) -> None:
    """Turn what the decode pass saw into findings."""
    for where, error in scan.unreadable:
        report.add(
            CRITICAL,
            table.name,
            None,
            f"cannot decode file {where}: {error} (dbt would stop on it: re-deliver or remove the file)",
        )
    for column, n in sorted(scan.non_finite.items()):
        if n:
            report.add(
                WARNING, table.name, column, f"{n} rows NaN or +/-Infinity (staging quarantines them: non_finite_value)"
            )
    for column, n in sorted(scan.non_positive_rate.items()):
        if n:
            report.add(
                WARNING, table.name, column, f"{n} rows with a rate <= 0 (staging quarantines them: invalid_rate)"
            )
    for column, n in sorted(scan.implausible.items()):
        if n:
            report.add(
                WARNING,
                table.name,
                column,
                f"{n} rows above max_plausible_amount {limits.max_amount:,.0f} "
                "(staging quarantines them: implausible_amount)",
            )
    for column, n in sorted(scan.negative_count.items()):
        if n:
            report.add(
                WARNING,
                table.name,
                column,
                f"{n} rows with a negative count (staging quarantines them: negative_count)",
            )
    if scan.null_loaded_at:
        report.add(
            WARNING,
            table.name,
            "_loaded_at",
            f"{scan.null_loaded_at} rows with a null _loaded_at (staging quarantines them: null_loaded_at; "
            "they take no part in the as-of day or any watermark)",
        )
    if scan.future_loaded_at:
        _, inclusive, what = limits.future_bound
        report.add(
            WARNING,
            table.name,
            "_loaded_at",
            f"{scan.future_loaded_at} rows with a _loaded_at {'at or ' if inclusive else ''}after {what} "
            "(staging quarantines them: loaded_in_future; they do not move the as-of day)",
        )


def note_bound(source: str, bound: float | None, report: Report) -> None:
    """Say which amount bound the gate used, or stop on a bad var."""
    if bound is None:
        report.add(CRITICAL, "max_plausible_amount", None, source)
    else:
        report.add(NOTE, "max_plausible_amount", None, f"money checked against {bound:,.0f} ({source})")
