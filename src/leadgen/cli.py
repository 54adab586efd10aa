"""Command line of the leadgen tooling: `leadgen <command> ...`."""

from __future__ import annotations

import argparse
import datetime as dt
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


def build_parser() -> argparse.ArgumentParser:
    from leadgen.generate import DEFAULT_AS_OF

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        from leadgen.generate import generate

        summary = generate(args.out, scale=args.scale, seed=args.seed, faults=args.faults, as_of=args.as_of)
        total = sum(summary.values())
        print(f"wrote {len(summary)} tables, {total:,} rows, to {args.out}", file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
