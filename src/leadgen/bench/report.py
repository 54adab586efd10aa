"""Reporting: one line of figures per scale, the JSON file per scale, and whether every build passed."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def scale_label(scale: float) -> str:
    return f"{scale:g}"


COLUMNS = (
    ("scale", 6),
    ("raw rows", 11),
    ("gen s", 7),
    ("full s (models/tests/unit)", 27),
    ("incr s (% full)", 16),
    ("floor a s", 10),
    ("floor b s (daily)", 18),
    ("full/a", 7),
    ("peak MiB", 9),
    ("daily share", 12),
    ("full/floors", 12),
)


def format_table(rows: list[dict]) -> str:
    lines = ["  ".join(name.rjust(width) for name, width in COLUMNS)]
    for r in rows:
        full, inc = r["full_build"], r["incremental_build"]
        by_type = full.get("seconds_by_type", {})
        cells = (
            scale_label(r["scale"]),
            f"{r['raw_rows']:,}",
            f"{r['generate_s']:.1f}",
            f"{full['seconds']:.1f} ({by_type.get('model', 0):.0f}/{by_type.get('test', 0):.0f}"
            f"/{by_type.get('unit_test', 0):.0f})",
            f"{inc['seconds']:.1f} ({inc['percent_of_full']:.0f} %)" if inc["percent_of_full"] is not None else "-",
            f"{r['floor_read_s']:.1f}",
            f"{r['floor_dbt_s']:.1f} ({r['floor_dbt_daily_s']:.1f})",
            f"{r['full_over_floor_read']:.0f}x" if r["full_over_floor_read"] else "-",
            f"{r['peak_memory_mib']:.0f}" if r["peak_memory_mib"] is not None else "-",
            _percent(r["targets"]["daily_data_share"]),
            f"{r['targets']['full_over_floors']:.2f}" if r["targets"]["full_over_floors"] is not None else "-",
        )
        lines.append("  ".join(c.rjust(w) for c, (_, w) in zip(cells, COLUMNS, strict=False)))
    for r in rows:
        slowest = ", ".join(f"{m['model']} {m['seconds']:.1f}s" for m in r["slowest_models"])
        lines.append(f"scale {scale_label(r['scale'])} slowest models: {slowest}")
        for name, code, summary in (
            ("full build", r["full_build"]["returncode"], r["full_build"]),
            ("incremental build", r["incremental_build"]["returncode"], r["incremental_build"]),
            ("floor b", r["floor_dbt_returncode"], r["floor_dbt"]),
            ("floor b (daily)", r["floor_dbt_daily"]["returncode"], r["floor_dbt_daily"]),
        ):
            if code != 0:
                nodes = ", ".join(p["node"] for p in summary.get("problems", []) if p["status"] != "warn")
                lines.append(
                    f"scale {scale_label(r['scale'])} WARNING: the {name} failed (exit {code})"
                    + (f": {nodes}" if nodes else "")
                )
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return f"{100 * share:.0f} %" if share is not None else "-"


def write_results(row: dict, results_dir: Path) -> Path:
    """All figures of one scale in <results_dir>/<YYYY-MM-DD>-<scale>.json."""
    path = results_dir / f"{row['date']}-{scale_label(row['scale'])}.json"
    path.write_text(json.dumps(row, indent=1) + "\n")
    print(f"[scale {scale_label(row['scale'])}] figures: {path}", file=sys.stderr)
    return path


def ok(rows: list[dict]) -> bool:
    return all(
        r["full_build"]["returncode"] == 0
        and r["incremental_build"]["returncode"] == 0
        and r["floor_dbt_returncode"] == 0
        and r["floor_dbt_daily"]["returncode"] == 0
        for r in rows
    )
