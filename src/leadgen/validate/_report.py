"""Findings and reports of the data-quality gate (docs/data_quality.md)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

CRITICAL = "critical"
WARNING = "warning"
NOTE = "note"

EXIT_OK = 0
EXIT_CRITICAL = 2


@dataclass(frozen=True)
class Finding:
    """One thing the gate has to say about a table (and column, when it is about one)."""

    severity: str
    table: str
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{self.severity.upper():8} {where}: {self.message}"


@dataclass
class TableSummary:
    table: str
    rows: int | None = None
    passed: int = 0
    failed: int = 0
    warnings: int = 0
    critical: int = 0
    checked: bool = False
    # False for suites about a table rather than of it (schema, drift): not counted as tables or rows
    is_table: bool = True

    def line(self, width: int = 26) -> str:
        if not self.checked:
            status = "NOT CHECKED" if self.critical else "skipped"
            rows = "-" if self.rows is None else f"{self.rows:,}"
            return (
                f"{self.table:<{width}} {rows:>10} rows  {status}  {self.critical} critical, {self.warnings} warnings"
            )
        status = "CRITICAL" if self.critical else ("WARN" if self.warnings else "ok")
        return (
            f"{self.table:<{width}} {self.rows:>10,} rows  {self.passed:>3} passed {self.failed:>3} failed"
            f"  {self.warnings:>3} warnings  {status}"
        )


@dataclass
class Report:
    """Everything one `leadgen validate ...` run found."""

    kind: str
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    docs_index: Path | None = None
    extra_files: list[Path] = field(default_factory=list)

    def add(
        self, severity: str, table: str, column: str | None, message: str, summary: TableSummary | None = None
    ) -> Finding:
        """Record a finding; it counts on `summary`, or on the summary of `table`."""
        finding = Finding(severity, table, column, message)
        self.findings.append(finding)
        summary = summary or self.table(table)
        if summary is not None:
            if severity == CRITICAL:
                summary.critical += 1
            elif severity == WARNING:
                summary.warnings += 1
        return finding

    def table(self, name: str) -> TableSummary | None:
        return next((t for t in self.tables if t.table == name), None)

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def critical(self) -> list[Finding]:
        return self.of(CRITICAL)

    @property
    def exit_code(self) -> int:
        return EXIT_CRITICAL if self.critical else EXIT_OK

    def final_line(self) -> str:
        passed = sum(t.passed for t in self.tables)
        failed = sum(t.failed for t in self.tables)
        warnings = len(self.of(WARNING))
        tables = [t for t in self.tables if t.is_table]
        rows = sum(t.rows or 0 for t in tables)
        verdict = "FAILED (critical)" if self.critical else "passed"
        return (
            f"validate {self.kind}: {verdict}: {len(tables)} tables, {rows:,} rows, "
            f"{passed} expectations passed, {failed} failed, {warnings} warnings, "
            f"{len(self.critical)} critical"
        )

    def print(self, out=None, err=None) -> None:
        out = out or sys.stdout
        err = err or sys.stderr
        width = max([len(t.table) for t in self.tables] + [10])
        for summary in self.tables:
            print(summary.line(width), file=out)
        for finding in self.findings:
            if finding.severity == CRITICAL:
                out.flush()
            print(finding, file=err if finding.severity == CRITICAL else out)
        print(self.final_line(), file=out)
        if self.docs_index is not None:
            print(f"data docs: {self.docs_index}", file=out)
        for path in self.extra_files:
            print(f"report: {path}", file=out)
