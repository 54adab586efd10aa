"""Command line of the leadgen tooling: `leadgen <command> ...`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:  # argparse turns this into a clean usage error
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("scale must be greater than 0")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("must be in (0, 1]")
    return value


def _factor(text: str) -> float:
    value = float(text)
    if value <= 1:
        raise argparse.ArgumentTypeError("a jump factor must be greater than 1")
    return value


def _scales(text: str) -> list[float]:
    return [_positive_float(part) for part in text.split(",") if part.strip()]


def _table_list(text: str) -> list[str]:
    from leadgen.contract import TABLES_BY_NAME

    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in TABLES_BY_NAME]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"not tables of the raw contract: {', '.join(unknown) or text!r}")
    return names


def _default_duckdb() -> Path:
    return Path(os.environ.get("LEADGEN_DUCKDB_PATH") or "warehouse/leadgen.duckdb")


def _add_vars_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vars",
        default=os.environ.get("DBT_VARS"),
        help="the dbt vars of the build, as YAML (default: $DBT_VARS): tables of a system switched off"
        " (using_*: false) or provided by a CRM vendor adapter (crm_source) are left out",
    )


def build_parser() -> argparse.ArgumentParser:
    from leadgen.generate import DEFAULT_AS_OF
    from leadgen.vendors import CRM_FORMATS

    parser = argparse.ArgumentParser(prog="leadgen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser(
        "generate",
        help="write a coherent raw data set (every table of the raw contract) as Parquet",
    )
    gen.add_argument("--out", type=Path, required=True, help="folder to write <table>/part-*.parquet into")
    gen.add_argument("--scale", type=_positive_float, default=1.0, help="1 = about 20k leads and 1M web events")
    gen.add_argument("--seed", type=int, default=42, help="same seed, same data")
    gen.add_argument("--faults", action="store_true", help="inject every fault of the contract and write _faults.json")
    gen.add_argument("--as-of", type=_date, default=DEFAULT_AS_OF, help="last day of the data (default %(default)s)")
    gen.add_argument(
        "--crm-format",
        choices=CRM_FORMATS,
        default="contract",
        help="shape of the CRM, email and campaign tables: the raw contract's (default) or a vendor's as"
        " Fivetran lands it, under <out>/<vendor>/ (build with LEADGEN_CRM_SOURCE=<vendor>)",
    )

    val = sub.add_parser(
        "validate",
        help="data-quality gate (Great Expectations): raw files before dbt, marts after it; "
        "exit 2 on critical failures",
    )
    checks = val.add_subparsers(dest="target", required=True)
    raw = checks.add_parser("raw", help="check the landed Parquet files against the raw contract")
    raw.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("LEADGEN_RAW_DIR") or "data/raw"),
        help="folder of <table>/*.parquet (default: $LEADGEN_RAW_DIR or data/raw)",
    )
    raw.add_argument(
        "--as-of", type=_date, default=None, help="last day of the data (default: the date of the greatest _loaded_at)"
    )
    raw.add_argument(
        "--mostly",
        type=_fraction,
        default=0.99,
        help="share of rows that must pass a content check (default %(default)s)",
    )
    raw.add_argument(
        "--tables",
        type=_table_list,
        default=None,
        help="comma-separated raw tables to check (default: every table of the contract)",
    )
    raw.add_argument(
        "--duckdb",
        type=Path,
        default=_default_duckdb(),
        help="warehouse whose incremental models are checked for rows landed below their watermark; "
        "read-only, skipped when absent (default: $LEADGEN_DUCKDB_PATH or warehouse/leadgen.duckdb)",
    )
    _add_vars_argument(raw)
    marts = checks.add_parser("marts", help="check marts.kpi_monthly in the built warehouse")
    marts.add_argument(
        "--duckdb",
        type=Path,
        default=Path(os.environ.get("LEADGEN_DUCKDB_PATH") or "warehouse/leadgen.duckdb"),
        help="warehouse file (default: $LEADGEN_DUCKDB_PATH or warehouse/leadgen.duckdb)",
    )
    marts.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="snapshot of an earlier build to compare row counts with "
        "(default: the one the last run left in the report folder)",
    )
    marts.add_argument(
        "--jump-factor",
        type=_factor,
        default=5.0,
        help="month-over-month change of an overall value that warns (default %(default)sx)",
    )
    faults = checks.add_parser(
        "faults",
        help="reconcile the _faults.json of a --faults data set with the built warehouse (one line per fault)",
    )
    faults.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("LEADGEN_RAW_DIR") or "data/raw"),
        help="folder holding _faults.json (default: $LEADGEN_RAW_DIR or data/raw)",
    )
    faults.add_argument(
        "--duckdb",
        type=Path,
        default=Path(os.environ.get("LEADGEN_DUCKDB_PATH") or "warehouse/leadgen.duckdb"),
        help="warehouse file (default: $LEADGEN_DUCKDB_PATH or warehouse/leadgen.duckdb)",
    )
    faults.add_argument(
        "--report-dir",
        type=Path,
        default=Path("target/data_quality"),
        help="where faults_report.json and faults_report.md go (default %(default)s)",
    )
    for parser_ in (raw, marts):
        parser_.add_argument(
            "--report-dir",
            type=Path,
            default=Path("target/data_quality"),
            help="where Data Docs and JSON reports go (default %(default)s)",
        )
        parser_.add_argument(
            "--seeds-dir", type=Path, default=None, help="the project's seeds folder (default: ./seeds)"
        )
        parser_.add_argument(
            "--no-docs",
            dest="docs",
            action="store_false",
            help="skip the Data Docs HTML (faster; the JSON reports are still written)",
        )

    pre = sub.add_parser(
        "preflight",
        help="before dbt build: the raw folder exists and the warehouse is not locked by another process; "
        "one line and exit 2 otherwise",
    )
    pre.add_argument(
        "--duckdb",
        type=Path,
        default=_default_duckdb(),
        help="warehouse file dbt writes (default: $LEADGEN_DUCKDB_PATH or warehouse/leadgen.duckdb)",
    )
    pre.add_argument(
        "--raw-dir",
        type=Path,
        default=None,
        help="raw folder to check (default: $LEADGEN_RAW_DIR when set, else not checked)",
    )

    pub = sub.add_parser(
        "publish",
        help="after a successful build: copy the marts to the serving file BI tools read "
        "(DuckDB 1.1 format, swapped in atomically); exit 2 when the last dbt run failed",
    )
    pub.add_argument(
        "--duckdb",
        type=Path,
        default=_default_duckdb(),
        help="build warehouse (default: $LEADGEN_DUCKDB_PATH or warehouse/leadgen.duckdb)",
    )
    pub.add_argument(
        "--serving",
        type=Path,
        default=None,
        help="serving file (default: $LEADGEN_SERVING_PATH or warehouse/marts.duckdb)",
    )
    pub.add_argument(
        "--run-results",
        type=Path,
        default=None,
        help="run_results.json of the last dbt invocation (default: target/run_results.json)",
    )

    bench = sub.add_parser(
        "bench",
        help="time the dbt build (full, incremental) against floors; write bench/results/<date>-<scale>.json",
    )
    bench.add_argument("--scales", type=_scales, default=[1.0], help="comma-separated scales (default 1)")
    bench.add_argument("--seed", type=int, default=42, help="generator seed (default %(default)s)")
    bench.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp/leadgen_bench"),
        help="scratch folder for data, warehouses and dbt artefacts (default %(default)s)",
    )
    bench.add_argument(
        "--results-dir",
        type=Path,
        default=Path("bench/results"),
        help="where the JSON figures go (default %(default)s)",
    )
    bench.add_argument("--select", default=None, help="dbt selection to build instead of the whole project")

    load = sub.add_parser(
        "load",
        help="copy the raw Parquet folders into a PostgreSQL schema (PGHOST, PGPORT, PGUSER, PGPASSWORD, "
        "PGDATABASE), streamed in batches, typed by the raw contract",
    )
    load.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("LEADGEN_RAW_DIR") or "data/raw"),
        help="folder of <table>/*.parquet (default: $LEADGEN_RAW_DIR or data/raw)",
    )
    load.add_argument("--schema", default="raw", help="schema to land the tables in (default %(default)s)")
    load.add_argument("--batch-rows", type=int, default=100_000, help="rows per COPY batch (default %(default)s)")
    load.add_argument("--tables", type=_table_list, default=None, help="comma-separated tables (default: all)")
    _add_vars_argument(load)

    engine = sub.add_parser(
        "engine-check",
        help="build the project on another warehouse (a throwaway PostgreSQL, or Spark in-process) from the "
        "same raw data and compare its kpi_monthly with the DuckDB build's; exit 1 on any difference",
    )
    engine.add_argument("engine", choices=["postgres", "spark"], help="the warehouse to check")
    engine.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("LEADGEN_RAW_DIR") or "data/raw"),
        help="raw folder both builds read (default: $LEADGEN_RAW_DIR or data/raw)",
    )
    engine.add_argument(
        "--duckdb",
        type=Path,
        default=_default_duckdb(),
        help="the DuckDB build of the same folder (built first when missing)",
    )
    engine.add_argument("--bi-role", default="leadgen_bi", help="role the marts are granted to (default %(default)s)")
    _add_vars_argument(engine)
    engine.add_argument(
        "--skip-unit-tests",
        action="store_true",
        help="spark: build without the unit tests (they run on DuckDB and PostgreSQL); the comparison is unchanged",
    )

    docs = sub.add_parser(
        "docs",
        help="write docs/raw_contract.md (from the contract) and docs/kpis.md (from the KPI seed)",
    )
    docs.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a committed document differs from what would be written",
    )
    return parser


def _tables_of_build(args) -> list[str] | None:
    """--tables, or the raw tables the build with --vars reads (None: all); says which it leaves out."""
    from leadgen import systems

    if args.tables is not None:
        return args.tables
    dbt_vars = systems.parse_vars(args.vars)
    skipped = systems.tables_not_read(dbt_vars)
    for table, reason in skipped.items():
        print(f"{table}: not read by this build ({reason})", file=sys.stderr)
    return systems.tables_read(dbt_vars) if skipped else None


def _engine_vars(args) -> dict:
    from leadgen import systems

    return systems.parse_vars(args.vars)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "load" or (args.command == "validate" and args.target == "raw"):
        try:
            args.tables = _tables_of_build(args)
        except ValueError as exc:
            print(f"leadgen {args.command}: {exc}", file=sys.stderr)
            return 2
    if args.command == "generate":
        from leadgen.generate import generate

        summary = generate(
            args.out,
            scale=args.scale,
            seed=args.seed,
            faults=args.faults,
            as_of=args.as_of,
            crm_format=args.crm_format,
        )
        total = sum(summary.values())
        print(f"wrote {len(summary)} tables, {total:,} rows, to {args.out}", file=sys.stderr)
        return 0
    if args.command == "validate":
        from leadgen.validate import validate_marts, validate_raw

        if args.target == "faults":
            from leadgen.validate.faults import validate_faults

            faults_report = validate_faults(args.raw_dir, args.duckdb, args.report_dir)
            faults_report.print()
            return faults_report.exit_code
        if args.target == "raw":
            report = validate_raw(
                args.raw_dir,
                args.report_dir,
                as_of=args.as_of,
                mostly=args.mostly,
                seeds_dir=args.seeds_dir,
                tables=args.tables,
                docs=args.docs,
                duckdb_path=args.duckdb,
            )
        else:
            report = validate_marts(
                args.duckdb,
                args.report_dir,
                previous=args.previous,
                jump_factor=args.jump_factor,
                seeds_dir=args.seeds_dir,
                docs=args.docs,
            )
        report.print()
        return report.exit_code
    if args.command == "preflight":
        from leadgen.preflight import EXIT_BLOCKED, preflight

        raw_dir, source = args.raw_dir, "--raw-dir"
        if raw_dir is None and os.environ.get("LEADGEN_RAW_DIR"):
            raw_dir, source = Path(os.environ["LEADGEN_RAW_DIR"]), "LEADGEN_RAW_DIR"
        try:
            return preflight(args.duckdb, raw_dir, source)
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback, before dbt's own
            print(f"preflight: {type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
            return EXIT_BLOCKED
    if args.command == "publish":
        from leadgen.serve import default_run_results, default_serving_path, publish

        return publish(args.duckdb, args.serving or default_serving_path(), args.run_results or default_run_results())
    if args.command == "bench":
        from leadgen.bench import bench, ok

        rows = bench(
            args.scales, seed=args.seed, work_dir=args.work_dir, results_dir=args.results_dir, select=args.select
        )
        return 0 if ok(rows) else 1
    if args.command == "load":
        from leadgen.load import LoadError, load

        try:
            rows = load(args.raw_dir, schema=args.schema, batch_rows=args.batch_rows, tables=args.tables)
        except LoadError as exc:
            print(f"load: {exc}", file=sys.stderr)
            return 2
        print(f"loaded {rows:,} rows into schema {args.schema}", file=sys.stderr)
        return 0
    if args.command == "engine-check" and args.engine == "spark":
        from leadgen.engines import check_spark

        return check_spark(args.raw_dir, args.duckdb, unit_tests=not args.skip_unit_tests, dbt_vars=_engine_vars(args))
    if args.command == "engine-check":
        from leadgen.engines import check_postgres
        from leadgen.load import LoadError
        from leadgen.pgserver import ServerError

        try:
            return check_postgres(args.raw_dir, args.duckdb, bi_role=args.bi_role, dbt_vars=_engine_vars(args))
        except (LoadError, ServerError) as exc:
            print(f"engine-check: {exc}", file=sys.stderr)
            return 2
    if args.command == "docs":
        from leadgen.docs import write

        stale = write(check=args.check)
        for rel in stale:
            print(f"{'out of date' if args.check else 'wrote'}: {rel}", file=sys.stderr)
        return 1 if args.check and stale else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
