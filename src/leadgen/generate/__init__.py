"""`leadgen generate`: a coherent raw data set, every table of the raw contract, as Parquet.

    generate(out_dir, scale=1.0, seed=42, faults=False, as_of=DEFAULT_AS_OF)

writes ``out_dir/<table>/part-0.parquet`` for each of the 21 raw tables, with
exactly the contract's column names and types (leadgen.contract), and with
``faults=True`` also ``out_dir/_faults.json``, the manifest of every injected
fault.  The same arguments always give the same files.

    append_next_day(raw_dir, scale, seed, as_of, scratch)

lands one more day of loads beside a data set (``part-1.parquet``), for
bench's incremental run (next_day.py).  Scale 1 is about 20k
leads and 1M web events; cost grows linearly with the scale.  web_events is
made and written a chunk of rows at a time (_base.Streamed), as soon as it
is made (World.sink), so that scale 100 (120M web events) fits in memory;
with faults it is made whole.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from leadgen.contract import TABLES

from ._base import Clock, Streamed, Written, nrows, rng_for, to_arrow, whole_frames
from .faults import FAULT_TYPES, inject
from .next_day import append_next_day
from .story import World, build

DEFAULT_AS_OF = dt.date(2026, 10, 31)

__all__ = ["DEFAULT_AS_OF", "FAULT_TYPES", "append_next_day", "generate"]


def generate(
    out_dir,
    scale: float = 1.0,
    seed: int = 42,
    faults: bool = False,
    as_of: dt.date = DEFAULT_AS_OF,
    crm_format: str = "contract",
) -> dict[str, int]:
    """Write the data set and return the number of rows of each table.

    With a vendor ``crm_format`` (leadgen.vendors) the tables that vendor's
    adapter provides are written in the vendor's landed shape, under
    ``out_dir/<vendor>/``, instead of as contract tables; the other systems
    are unchanged.  Faults are injected in the contract shape only.
    """
    from tqdm import tqdm

    from leadgen import vendors

    if scale <= 0:
        raise ValueError("scale must be greater than 0")
    replaced = set(vendors.contract_tables(crm_format))
    if faults and replaced:
        raise ValueError(f"--faults is for the contract shape only, not --crm-format {crm_format}")
    out = Path(out_dir)
    clock = Clock.for_as_of(as_of)
    out.mkdir(parents=True, exist_ok=True)

    def write_now(name: str, table: Streamed):
        # a streamed table is written as soon as it is made, and its arrays
        # let go of before the rest of the story is (vendors do not read it;
        # the faults edit it whole)
        if faults or name in replaced:
            return table
        write_parquet(fresh_folder(out / name) / "part-0.parquet", name, table, clock)
        return Written(table.n)

    world = World(clock=clock, seed=seed, scale=scale, sink=write_now)
    with tqdm(total=6 + len(TABLES), desc="leadgen generate", unit="step", delay=2, leave=False) as progress:
        tables = build(world, progress)
        if faults:
            tables = whole_frames(tables)  # the faults edit frames; they are for small scales
        entries = inject(tables, clock, rng_for(seed, "faults")) if faults else []
        progress.update()
        counts = {}
        for table in TABLES:
            folder = out / table.name
            if table.name in replaced:
                # the vendor shape stands for it: a contract copy left from an
                # earlier run would be read by a contract build as this story's
                for stale in folder.glob("*.parquet"):
                    stale.unlink()
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            elif not isinstance(tables[table.name], Written):
                write_parquet(fresh_folder(folder) / "part-0.parquet", table.name, tables[table.name], clock)
            if table.name not in replaced:
                counts[table.name] = nrows(tables[table.name])
            progress.update()
    counts = {t.name: counts[t.name] for t in TABLES if t.name in counts}
    if replaced:
        counts.update(vendors.VENDORS[crm_format].write(out, tables, clock))
    manifest = out / "_faults.json"
    if faults:
        body = {"seed": seed, "scale": scale, "as_of": as_of.isoformat(), "faults": entries}
        manifest.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n")
    elif manifest.exists():
        manifest.unlink()  # a clean data set must not carry an old manifest
    return counts


def fresh_folder(folder: Path) -> Path:
    """A table's folder, made if need be, without the Parquet files of an earlier run."""
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.parquet"):
        stale.unlink()
    return folder


def write_parquet(path: Path, name: str, table, clock: Clock) -> None:
    """One table's file: a streamed table a row group (or a few) per chunk of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from leadgen.contract import arrow_schema

    if not isinstance(table, Streamed):
        pq.write_table(to_arrow(name, table, clock), path)
        return
    with pq.ParquetWriter(path, arrow_schema(name)) as writer:
        for chunk in table.chunks():
            writer.write_table(to_arrow(name, chunk, clock))
    # Arrow's allocator keeps the memory of the chunks for reuse: give it back
    # for the rest of the story
    pa.default_memory_pool().release_unused()
