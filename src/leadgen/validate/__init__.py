"""The data-quality gate: Great Expectations suites around the dbt build.

    leadgen validate raw    landed Parquet against the raw contract (before dbt)
    leadgen validate marts  marts.kpi_monthly after the build
    leadgen validate faults _faults.json of a fault data set against the build

Both exit 2 on a CRITICAL failure (the build must stop) and 0 otherwise;
warnings are counted and printed.  docs/data_quality.md explains every check.
"""

from __future__ import annotations

from leadgen.validate._report import (
    CRITICAL,
    EXIT_CRITICAL,
    EXIT_OK,
    NOTE,
    WARNING,
    Finding,
    Report,
    TableSummary,
)


def validate_raw(*args, **kwargs) -> Report:
    from leadgen.validate.raw import validate_raw as run

    return run(*args, **kwargs)


def validate_marts(*args, **kwargs) -> Report:
    from leadgen.validate.marts import validate_marts as run

    return run(*args, **kwargs)


__all__ = [
    "CRITICAL",
    "EXIT_CRITICAL",
    "EXIT_OK",
    "NOTE",
    "WARNING",
    "Finding",
    "Report",
    "TableSummary",
    "validate_marts",
    "validate_raw",
]
