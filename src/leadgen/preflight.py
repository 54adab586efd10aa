"""`leadgen preflight`: what would stop a dbt build before it starts, in one line.

Run before `dbt build`.  It checks that

- the raw folder `LEADGEN_RAW_DIR` (when set, or `--raw-dir`) is an
  existing folder: dbt's read_parquet globs would otherwise fail model by
  model;
- the warehouse file (`--duckdb`, `$LEADGEN_DUCKDB_PATH`, default
  warehouse/leadgen.duckdb) can be opened read-write.  DuckDB lets one
  process write a file; when another one holds it (a BI tool, a `duckdb`
  shell), dbt prints a long traceback per thread.  Preflight prints which
  process holds it and what to do, and exits 2.  A missing warehouse is
  fine (the build creates it); its folder is created here.

Exit 0 when the build can start, 2 otherwise; problems go to standard
error, one line each, never a traceback.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_BLOCKED = 2

# DuckDB: 'IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in
# /usr/bin/python3.11 (PID 4681) by user ann. See also https://duckdb.org/...'
_LOCK_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)(?: by user (?P<user>[^\s.]+))?")


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    program: str | None
    user: str | None = None

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        who = f"PID {self.pid} ({self.program})"
        return f"{who}, user {self.user}" if self.user else who


def lock_holder(message: str) -> LockHolder | None:
    """The process DuckDB's lock error names, or None when `message` is not about a lock."""
    if "lock" not in message.lower():
        return None
    match = _LOCK_HOLDER.search(message)
    if not match:
        return LockHolder(None, None)
    return LockHolder(int(match["pid"]), match["program"], match["user"])


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def check_raw_dir(raw_dir: Path | None, source: str) -> str | None:
    """A problem with the raw folder, or None (also when none is configured)."""
    if raw_dir is None:
        return None
    if not raw_dir.exists():
        return f"raw folder {source}={raw_dir} does not exist: land the raw files there or point {source} at them"
    if not raw_dir.is_dir():
        return f"raw folder {source}={raw_dir} is not a folder"
    return None


def check_warehouse(path: Path) -> str | None:
    """A problem with opening the warehouse read-write, or None."""
    import duckdb

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the warehouse folder {path.parent}: {_one_line(exc)}"
    if not path.exists():
        return None  # the build creates it
    if path.is_dir():
        return f"warehouse {path} is a folder, not a DuckDB file"
    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error as exc:
        holder = lock_holder(str(exc))
        if holder is not None:
            return (
                f"warehouse {path} is locked by {holder.describe()}: "
                "close that connection, e.g. the BI tool or duckdb shell, then run again"
            )
        return f"cannot open the warehouse {path} read-write: {_one_line(exc)}"
    except OSError as exc:
        return f"cannot open the warehouse {path} read-write: {_one_line(exc)}"
    return None


def preflight(duckdb_path: Path, raw_dir: Path | None = None, raw_source: str = "--raw-dir", out=None, err=None) -> int:
    """Run every check; print one line per problem (or one ok line) and return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    problems = [p for p in (check_raw_dir(raw_dir, raw_source), check_warehouse(duckdb_path)) if p]
    for problem in problems:
        print(f"preflight: {problem}", file=err)
    if problems:
        return EXIT_BLOCKED
    raw = f"raw folder {raw_dir}, " if raw_dir is not None else ""
    print(f"preflight: ok ({raw}warehouse {duckdb_path} can be written)", file=out)
    return EXIT_OK
