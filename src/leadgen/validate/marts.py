"""`leadgen validate marts`: marts.kpi_monthly after the dbt build.

Three Great Expectations suites:

- kpi_monthly itself: the grain is unique, identifying columns are not
  null, and KPIs the catalogue marks as fractions (is_fraction) stay within
  [0, 1]; every row carries the same as_of_date, only rows of the as-of
  month are partial (is_partial_month), and is_mature is set exactly on
  the KPIs the catalogue marks as cohorts (is_cohort).
- the overall series: one row per KPI and month between the table's first
  and last period_month, saying whether the overall row (dimension 'all')
  exists (CRITICAL when not: kpis.md says every KPI has one for every
  month) and how much its value moved against the month before (a jump
  beyond --jump-factor warns).
- drift: row counts per kpi_id against the snapshot the previous run left in
  the report folder (or --previous); a KPI that vanished or whose row count
  moved by more than half warns.

CRITICAL (exit 2): no warehouse, no marts.kpi_monthly, a required column
missing, or a missing overall row.  Everything else warns.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from leadgen.validate._report import CRITICAL, NOTE, WARNING, Report, TableSummary

SCHEMA = "marts"
TABLE = "kpi_monthly"
COLUMNS = (
    "kpi_id",
    "kpi_name",
    "period_month",
    "dimension",
    "dimension_value",
    "value",
    "numerator",
    "denominator",
    "unit",
    "is_mature",
    "is_partial_month",
    "as_of_date",
)
GRAIN = ["kpi_id", "period_month", "dimension", "dimension_value"]
SNAPSHOT = "kpi_monthly_snapshot.json"
DRIFT = "kpi_monthly_drift.json"
DEFAULT_JUMP_FACTOR = 5.0
# Row count of a KPI may move by this share between builds before it warns:
# a new month adds one row per breakdown value, far less than half.
DRIFT_TOLERANCE = 0.5


def _truthy(text) -> bool:
    return str(text).strip().lower() in ("true", "t", "1", "yes")


def fraction_kpis(con, seeds_dir: Path | None) -> tuple[set[str], str]:
    """kpi_ids whose values are fractions: from the built marts.kpi_catalog, else the kpi_definitions seed."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = 'kpi_catalog'",
        [SCHEMA],
    ).fetchall()[0][0]
    if found:
        rows = con.execute(f"select kpi_id, unit, is_fraction from {SCHEMA}.kpi_catalog").fetchall()
        return {k for k, unit, frac in rows if unit == "ratio" and _truthy(frac)}, f"{SCHEMA}.kpi_catalog"
    from leadgen.validate.raw import _seeds_dir

    folder = _seeds_dir(seeds_dir)
    for name in ("kpi_definitions.csv", "kpi_catalog.csv"):
        path = folder / name if folder else None
        if path and path.exists():
            with path.open(newline="") as handle:
                rows = list(csv.DictReader(handle))
            return {r["kpi_id"] for r in rows if r["unit"] == "ratio" and _truthy(r["is_fraction"])}, str(path)
    return set(), "no catalogue found: fraction check skipped"


def cohort_kpis(con) -> tuple[set[str] | None, str]:
    """kpi_ids the built marts.kpi_catalog marks is_cohort, or None (check skipped) without that column."""
    found = con.execute(
        "select count(*) from information_schema.columns "
        "where table_schema = ? and table_name = 'kpi_catalog' and column_name = 'is_cohort'",
        [SCHEMA],
    ).fetchall()[0][0]
    if not found:
        return None, f"no {SCHEMA}.kpi_catalog.is_cohort: cohort check skipped"
    rows = con.execute(f"select kpi_id, is_cohort from {SCHEMA}.kpi_catalog").fetchall()
    return {k for k, cohort in rows if _truthy(cohort)}, f"{SCHEMA}.kpi_catalog"


def _overall_frame(con):
    """One row per kpi_id and month of the table's range, with its overall row's value, if any."""
    frame = con.execute(f"""
        with
        bounds as (
            select min(period_month) as first_month, max(period_month) as last_month
            from {SCHEMA}.{TABLE}
        ),
        months as (
            select cast(unnest(generate_series(
                cast(first_month as timestamp), cast(last_month as timestamp), interval 1 month
            )) as date) as period_month
            from bounds
        ),
        kpis as (
            select distinct kpi_id from {SCHEMA}.{TABLE} where kpi_id is not null
        ),
        overall as (
            select kpi_id, cast(period_month as date) as period_month,
                   count(*) as overall_rows, max(value) as value
            from {SCHEMA}.{TABLE}
            where dimension = 'all'
            group by kpi_id, cast(period_month as date)
        )
        select
            kpis.kpi_id,
            months.period_month,
            coalesce(overall.overall_rows, 0) > 0 as has_overall_row,
            overall.value,
            lag(overall.value) over (partition by kpis.kpi_id order by months.period_month) as previous_value
        from kpis
        cross join months
        left join overall
            on kpis.kpi_id = overall.kpi_id and months.period_month = overall.period_month
        order by kpis.kpi_id, months.period_month
    """).fetchdf()
    value, previous = frame["value"].abs(), frame["previous_value"].abs()
    comparable = (
        frame["value"].notna()
        & frame["previous_value"].notna()
        & (value > 0)
        & (previous > 0)
        & ((frame["value"] > 0) == (frame["previous_value"] > 0))
    )
    ratio = value.where(value > previous, previous) / value.where(value < previous, previous)
    # how many times larger (or smaller) than last month; null where a ratio means nothing
    frame["jump_factor"] = ratio.where(comparable)
    return frame


def _load_snapshot(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _drift_frame(current: dict[str, int], previous: dict[str, int]):
    import pandas as pd

    rows = []
    for kpi_id in sorted(set(current) | set(previous)):
        now, before = current.get(kpi_id), previous.get(kpi_id)
        rows.append(
            {
                "kpi_id": kpi_id,
                "row_count": now,
                "previous_row_count": before,
                "row_count_ratio": (now / before) if now is not None and before else None,
            }
        )
    return pd.DataFrame(rows, columns=["kpi_id", "row_count", "previous_row_count", "row_count_ratio"])


def _record(report: Report, summary: TableSummary, outcome, table: str) -> None:
    summary.checked = True
    summary.rows = outcome.rows
    summary.passed = outcome.passed
    summary.failed = len(outcome.failed_critical) + len(outcome.failed_warning)
    for severity, messages in ((CRITICAL, outcome.failed_critical), (WARNING, outcome.failed_warning)):
        for message in messages:
            column, _, text = message.partition(": ")
            report.add(severity, table, None if column == "table" else column, text, summary=summary)


def validate_marts(
    duckdb_path: Path,
    report_dir: Path,
    *,
    previous: Path | None = None,
    jump_factor: float = DEFAULT_JUMP_FACTOR,
    seeds_dir: Path | None = None,
    docs: bool = True,
) -> Report:
    """Validate marts.kpi_monthly of the warehouse at duckdb_path; Data Docs under report_dir/marts."""
    import duckdb

    from leadgen.validate._gx import GxRun, expectation

    name = f"{SCHEMA}.{TABLE}"
    report = Report(kind="marts")
    report_dir = Path(report_dir)
    report.tables.append(TableSummary(name))
    duckdb_path = Path(duckdb_path)
    if not duckdb_path.exists():
        report.add(CRITICAL, name, None, f"warehouse not found: {duckdb_path}")
        return report
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [SCHEMA, TABLE],
            ).fetchall()
        ]
        if not columns:
            report.add(CRITICAL, name, None, f"table missing from {duckdb_path}")
            return report
        missing = [c for c in COLUMNS if c not in columns]
        for column in missing:
            report.add(CRITICAL, name, column, "required column missing")
        if missing:
            return report
        fractions, fraction_source = fraction_kpis(con, seeds_dir)
        cohorts, cohort_source = cohort_kpis(con)
        frame = con.execute(
            f"select {', '.join(COLUMNS)} from {SCHEMA}.{TABLE} "
            "order by kpi_id, period_month, dimension, dimension_value"
        ).fetchdf()
        overall = _overall_frame(con)

    # value of the KPIs that are fractions; null elsewhere, so the range check ignores them
    frame["fraction_value"] = frame["value"].where(frame["kpi_id"].isin(sorted(fractions)))
    # is_mature set exactly on cohort KPIs: True where it agrees with the catalogue (null when unknown)
    if cohorts is None:
        frame["is_mature_as_catalogued"] = None
    else:
        frame["is_mature_as_catalogued"] = frame["is_mature"].notna() == frame["kpi_id"].isin(sorted(cohorts))
    # a partial row outside the month of the as-of date
    as_of_month = frame["as_of_date"].astype("datetime64[ns]").dt.to_period("M")
    row_month = frame["period_month"].astype("datetime64[ns]").dt.to_period("M")
    frame["partial_outside_as_of_month"] = frame["is_partial_month"].eq(True) & (row_month != as_of_month)
    gx_run = GxRun(report_dir / "marts", "marts", docs=docs)
    outcome = gx_run.validate(
        name,
        frame,
        [
            expectation(
                "ExpectTableRowCountToBeBetween", min_value=1, meta={"why": "an empty KPI table serves nothing"}
            ),
            expectation(
                "ExpectCompoundColumnsToBeUnique", column_list=GRAIN, meta={"why": "docs/kpis.md: unique on these four"}
            ),
            *[
                expectation("ExpectColumnValuesToNotBeNull", column=c)
                for c in (
                    "kpi_id",
                    "period_month",
                    "dimension",
                    "dimension_value",
                    "unit",
                    "is_partial_month",
                    "as_of_date",
                )
            ],
            expectation(
                "ExpectColumnUniqueValueCountToBeBetween",
                column="as_of_date",
                min_value=1,
                max_value=1,
                meta={"why": "one build, one as-of date"},
            ),
            expectation(
                "ExpectColumnValuesToBeInSet",
                column="partial_outside_as_of_month",
                value_set=[False],
                meta={"why": "only the month of the as-of date can be partial"},
            ),
            expectation(
                "ExpectColumnValuesToBeInSet",
                column="is_mature_as_catalogued",
                value_set=[True],
                meta={"why": f"is_mature is set on cohort KPIs only ({cohort_source})"},
            ),
            expectation(
                "ExpectColumnValuesToBeBetween",
                column="fraction_value",
                min_value=0,
                max_value=1,
                meta={"why": f"is_fraction KPIs ({fraction_source}) are shares"},
            ),
        ],
        index_columns=["kpi_id", "period_month", "dimension", "dimension_value"],
    )
    _record(report, report.tables[0], outcome, name)
    report.add(NOTE, name, "fraction_value", f"{len(fractions)} fraction KPIs from {fraction_source}")
    if cohorts is None:
        report.add(NOTE, name, "is_mature", cohort_source)
    else:
        report.add(NOTE, name, "is_mature", f"{len(cohorts)} cohort KPIs from {cohort_source}")

    series = TableSummary(f"{name} (overall by month)", is_table=False)
    report.tables.append(series)
    outcome = gx_run.validate(
        f"{name}.overall_by_month",
        overall,
        [
            expectation(
                "ExpectColumnValuesToBeInSet",
                column="has_overall_row",
                value_set=[True],
                critical=True,
                meta={"why": "docs/kpis.md: every KPI has overall rows for every month"},
            ),
            expectation(
                "ExpectColumnValuesToBeBetween",
                column="jump_factor",
                max_value=jump_factor,
                meta={"why": f"an overall value {jump_factor:g}x up or down on the month before is suspicious"},
            ),
        ],
        index_columns=["kpi_id", "period_month"],
    )
    _record(report, series, outcome, name)

    current = {str(k): int(n) for k, n in frame.groupby("kpi_id").size().items()}
    snapshot_path = report_dir / SNAPSHOT
    before = _load_snapshot(previous if previous is not None else snapshot_path)
    drift_path = report_dir / DRIFT
    if before is None:
        report.add(NOTE, name, None, "no previous snapshot: drift is compared from the next run on")
        drift_path.unlink(missing_ok=True)
    else:
        drift = _drift_frame(current, {str(k): int(v) for k, v in before.get("row_counts", {}).items()})
        summary = TableSummary(f"{name} (drift vs previous)", is_table=False)
        report.tables.append(summary)
        outcome = gx_run.validate(
            f"{name}.drift",
            drift,
            [
                expectation(
                    "ExpectColumnValuesToNotBeNull",
                    column="row_count",
                    meta={"why": "a KPI of the previous build has no rows now"},
                ),
                expectation(
                    "ExpectColumnValuesToBeBetween",
                    column="row_count_ratio",
                    min_value=1 / (1 + DRIFT_TOLERANCE),
                    max_value=1 + DRIFT_TOLERANCE,
                    meta={"why": f"row counts moved by more than {DRIFT_TOLERANCE:.0%}"},
                ),
            ],
            index_columns=["kpi_id"],
        )
        _record(report, summary, outcome, name)
        new = sorted(set(current) - set(before.get("row_counts", {})))
        if new:
            report.add(NOTE, name, None, f"new KPIs since the previous build: {', '.join(new)}")
        drift_path.write_text(
            json.dumps(
                {
                    "previous_snapshot": before.get("built_at"),
                    "kpis": drift.astype(object).where(drift.notna(), None).to_dict(orient="records"),
                },
                indent=2,
                default=str,
            )
            + "\n"
        )
        report.extra_files.append(drift_path)

    report_dir.mkdir(parents=True, exist_ok=True)
    snapshot_path.write_text(
        json.dumps(
            {
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "duckdb": str(duckdb_path.resolve()),
                "rows": int(len(frame)),
                "months": [str(overall["period_month"].min()), str(overall["period_month"].max())]
                if len(overall)
                else None,
                "row_counts": current,
            },
            indent=2,
        )
        + "\n"
    )
    report.extra_files.append(snapshot_path)
    report.docs_index = gx_run.index
    return report
