"""The kpi_monthly comparison between engines (leadgen.engines) finds every kind of difference.

`make test-postgres` runs the comparison for real on a throwaway server; these
tests prove on small hand-made extracts that it cannot pass by accident.
"""

from __future__ import annotations

import datetime as dt
import decimal

from leadgen.engines import compare_rows

COLUMNS = ["kpi_id", "kpi_name", "period_month", "dimension", "dimension_value", "value", "numerator", "unit"]
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
REFERENCE = [
    ("leads", "Leads", JAN, "all", "all", 10.0, None, "count"),
    ("leads", "Leads", FEB, "all", "all", 12.0, None, "count"),
    ("mql_rate", "MQL rate", JAN, "channel", "paid_search", 0.123456789, 10.0, "ratio"),
]


def test_identical_extracts_pass_whatever_the_driver_types_and_column_order():
    # Postgres hands numerics back as Decimal and may order columns differently
    order = [7, 0, 2, 1, 3, 4, 6, 5]
    other = [
        tuple(decimal.Decimal(str(row[i])) if isinstance(row[i], float) else row[i] for i in order) for row in REFERENCE
    ]
    result = compare_rows(COLUMNS, REFERENCE, other, [COLUMNS[i] for i in order])
    assert result.ok, result.summary("a", "b")
    assert result.compared == 3


def test_values_within_1e9_relative_pass_and_beyond_fail():
    close = [row[:5] + (row[5] * (1 + 5e-10),) + row[6:] for row in REFERENCE]
    assert compare_rows(COLUMNS, REFERENCE, close).ok
    far = [row[:5] + (row[5] * (1 + 5e-8),) + row[6:] for row in REFERENCE]
    result = compare_rows(COLUMNS, REFERENCE, far)
    assert not result.ok
    assert len(result.differences) == 3
    assert "value" in result.differences[0]


def test_a_missing_or_extra_key_fails():
    result = compare_rows(COLUMNS, REFERENCE, REFERENCE[:2] + [REFERENCE[2][:4] + ("other",) + REFERENCE[2][5:]])
    assert not result.ok
    assert len(result.only_reference) == 1 and len(result.only_other) == 1
    assert "DIFFERENT" in result.summary("DuckDB", "PostgreSQL")


def test_null_against_a_number_text_and_a_missing_column_fail():
    null_value = [REFERENCE[0][:5] + (None,) + REFERENCE[0][6:]] + REFERENCE[1:]
    assert not compare_rows(COLUMNS, REFERENCE, null_value).ok
    other_unit = REFERENCE[:2] + [REFERENCE[2][:7] + ("count",)]
    assert not compare_rows(COLUMNS, REFERENCE, other_unit).ok
    fewer = [row[:7] for row in REFERENCE]
    result = compare_rows(COLUMNS, REFERENCE, fewer, COLUMNS[:7])
    assert not result.ok and "unit" in result.differences[0]


def test_a_duplicated_key_on_the_other_engine_fails():
    assert not compare_rows(COLUMNS, REFERENCE, REFERENCE + [REFERENCE[0]]).ok
