"""Measuring: wall time and peak memory of a command, dbt's run_results, the two floors, the machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from leadgen.generate.next_day import raw_table_dirs

# dbt and DuckDB get the thread count of the CI machine the targets are set for.
THREADS = 2

RESOURCE_TYPES = ("model", "test", "unit_test", "seed", "snapshot")


_MAXRSS_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    kib //= 1024  # bytes there
open(sys.argv[1], "w").write(str(kib))
sys.exit(code)
"""


def _psutil():
    try:
        import psutil
    except ImportError:
        return None
    return psutil


def run_measured(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Run cmd; return exit code, wall seconds, peak memory (MiB) and the output's tail.

    With psutil the resident memory of the whole process tree is summed every
    50 ms; without it a small wrapper process reports getrusage(RUSAGE_CHILDREN)
    .ru_maxrss, the exact peak of the largest process below it (dbt runs
    DuckDB in-process, so that is dbt).
    """
    psutil = _psutil()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "out.log"
        with open(log_path, "w") as log:
            if psutil is not None:
                method = "psutil: sum of RSS over the dbt process tree, polled every 50 ms"
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
                peak = 0
                root = psutil.Process(proc.pid)
                while proc.poll() is None:
                    try:
                        tree = [root, *root.children(recursive=True)]
                        rss = 0
                        for p in tree:
                            try:
                                rss += p.memory_info().rss
                            except psutil.Error:
                                pass
                        peak = max(peak, rss)
                    except psutil.Error:
                        pass
                    time.sleep(0.05)
                seconds = time.perf_counter() - start
                peak_mib = peak / 2**20
            else:
                method = "getrusage(RUSAGE_CHILDREN).ru_maxrss: peak RSS of the largest process (dbt)"
                rss_file = Path(tmp) / "maxrss"
                start = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, "-c", _MAXRSS_WRAPPER, str(rss_file), *cmd],
                    env=env,
                    cwd=cwd,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                proc.wait()
                seconds = time.perf_counter() - start
                peak_mib = int(rss_file.read_text()) / 1024 if rss_file.exists() else None
        output = log_path.read_text(errors="replace")
    return {
        "returncode": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_memory_mib": None if peak_mib is None else round(peak_mib, 1),
        "memory_method": method,
        "output_tail": output[-3000:],
    }


_CALL_WRAPPER = """
import pickle, sys
with open(sys.argv[1], "rb") as f:
    path, module, function, kwargs = pickle.load(f)
sys.path[:] = path
from importlib import import_module
result = getattr(import_module(module), function)(**kwargs)
with open(sys.argv[2], "wb") as f:
    pickle.dump(result, f)
"""


def call_measured(module: str, function: str, **kwargs) -> tuple[object, dict]:
    """Call module.function(**kwargs) in a child Python; return its result, wall seconds and peak memory (MiB).

    The peak is the child's own ru_maxrss, read with os.wait4 when it ends:
    a high-water mark of this process would not say what one step needed.
    The seconds include the child's start and imports (a second or so).
    """
    import pickle

    with tempfile.TemporaryDirectory() as tmp:
        call, result = Path(tmp) / "call.pickle", Path(tmp) / "result.pickle"
        call.write_bytes(pickle.dumps((sys.path, module, function, kwargs)))
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _CALL_WRAPPER, str(call), str(result)])
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"{module}.{function} exited {proc.returncode}")
        value = pickle.loads(result.read_bytes())
    kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes there
    return value, {"seconds": round(seconds, 2), "peak_memory_mib": round(kib / 1024, 1)}


# Model name prefixes, from the sources up (dbt Labs' layers; util_ are the spines and the as-of date).
LAYER_PREFIXES = ("base_", "stg_", "int_", "dim_", "fct_", "kpi_", "util_")


def summarise_run_results(path: Path, slowest: int = 5) -> dict:
    """Thread-seconds per resource type, node counts, statuses and the slowest models."""
    body = json.loads(path.read_text())
    seconds = {kind: 0.0 for kind in RESOURCE_TYPES}
    counts = {kind: 0 for kind in RESOURCE_TYPES}
    statuses: dict[str, int] = {}
    models, problems = [], []
    for result in body["results"]:
        kind = result["unique_id"].split(".", 1)[0]
        seconds[kind] = seconds.get(kind, 0.0) + (result.get("execution_time") or 0.0)
        counts[kind] = counts.get(kind, 0) + 1
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        if result["status"] in ("fail", "error", "warn"):
            problems.append(
                {
                    "node": result["unique_id"],
                    "status": result["status"],
                    "message": (result.get("message") or "")[:300],
                }
            )
        if kind == "model":
            models.append((result["unique_id"].rsplit(".", 1)[-1], result.get("execution_time") or 0.0))
    models.sort(key=lambda m: -m[1])
    # thread-seconds per layer of models, by name prefix: where a run's model time goes
    layers: dict[str, float] = {}
    for name, sec in models:
        layer = next((p for p in LAYER_PREFIXES if name.startswith(p)), "other")
        layers[layer] = layers.get(layer, 0.0) + sec
    return {
        "elapsed_time_s": round(body.get("elapsed_time") or 0.0, 2),
        "seconds_by_type": {k: round(v, 2) for k, v in seconds.items()},
        "nodes_by_type": counts,
        "statuses": statuses,
        "slowest_models": [{"model": name, "seconds": round(sec, 2)} for name, sec in models[:slowest]],
        "model_seconds_by_layer": {k: round(v, 2) for k, v in sorted(layers.items())},
        "model_seconds": {name: round(sec, 2) for name, sec in sorted(models)},
        "problems": problems,
    }


def write_empty_copy(raw_dir: Path, empty_dir: Path) -> None:
    """The same tables and schemas as raw_dir, with no rows."""
    import pyarrow.parquet as pq

    for folder in raw_table_dirs(raw_dir):
        schema = pq.read_schema(next(folder.glob("*.parquet")))
        (empty_dir / folder.name).mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), empty_dir / folder.name / "part-0.parquet")


def read_floor(raw_dir: Path, scratch_db: Path) -> float:
    """Seconds DuckDB needs to read every column of every raw file once and store it."""
    import duckdb

    scratch_db.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch_db))
    try:
        con.execute(f"set threads = {THREADS}")
        start = time.perf_counter()
        for folder in raw_table_dirs(raw_dir):
            pattern = (folder / "*.parquet").as_posix().replace("'", "''")
            con.execute(
                f"create table \"{folder.name}\" as select * from read_parquet('{pattern}', union_by_name = true)"
            )
        return round(time.perf_counter() - start, 2)
    finally:
        con.close()
        scratch_db.unlink(missing_ok=True)


def machine() -> dict:
    memory_gib = None
    try:
        memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory_gib,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out
