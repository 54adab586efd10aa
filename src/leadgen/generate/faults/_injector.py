"""The injector's bookkeeping: which rows a fault may take, fresh keys for copies, the manifest."""

from __future__ import annotations

import datetime as dt

import numpy as np

from leadgen.contract import DATE, TABLES_BY_NAME

from .._base import Clock, Frame, concat, literal_numbers, nrows, take
from ..vocab import TEST_EMAIL_DOMAINS

RATE = 0.002  # share of a table's rows a fault touches (at least MIN_ROWS)
MIN_ROWS = 3
ROOMY_ROWS = 5000  # a table this small may run out of clean rows for its faults (make_room)


def canonical_code(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


class InjectorBase:
    def __init__(self, tables: dict, clock: Clock, rng: np.random.Generator):
        self.tables = tables
        self.clock = clock
        self.rng = rng
        self.used = {name: np.zeros(nrows(frame), bool) for name, frame in tables.items()}
        self.dropped = {name: np.zeros(nrows(frame), bool) for name, frame in tables.items()}
        self.extra: dict[str, list[Frame]] = {name: [] for name in tables}
        self.entries: list[dict] = []
        # Small tables as the story made them, to copy clean rows from when a fault
        # finds no room left (see make_room); origin maps each row to the row it copies.
        self.pristine = {
            name: take(frame, slice(None))
            for name, frame in tables.items()
            if nrows(frame) <= ROOMY_ROWS and len(TABLES_BY_NAME[name].key) == 1
        }
        self.origin = {name: np.arange(nrows(frame)) for name, frame in tables.items()}
        self.grown = {name: 0 for name in tables}

    # ---- choosing rows and recording what was done

    def count(self, table: str, rate: float = RATE) -> int:
        return max(MIN_ROWS, round(rate * nrows(self.tables[table])))

    def choose(self, table: str, n: int, where=None, exclusive: bool = True) -> np.ndarray:
        """Rows no fault has touched.  Exclusive rows are changed in place (or share
        their key with a copy) and are taken out; the originals of copies that get
        keys of their own stay available, and may repeat in a small table."""
        if where is not None and len(where) < nrows(self.tables[table]):
            # the table grew since the caller looked: a copy meets where as its original does
            where = where[self.origin[table]]
        free = ~self.used[table]
        if where is not None:
            free &= where
        candidates = np.flatnonzero(free)
        if exclusive and len(candidates) < MIN_ROWS or not len(candidates):
            room = self.make_room(table, n - len(candidates) if exclusive else MIN_ROWS, where)
            candidates = np.concatenate([candidates, room])
        if exclusive and len(candidates) < MIN_ROWS or not len(candidates):
            raise RuntimeError(f"{table}: not enough clean rows left for a fault ({len(candidates)})")
        repeat = not exclusive and len(candidates) < n
        chosen = np.sort(self.rng.choice(candidates, size=n if repeat else min(n, len(candidates)), replace=repeat))
        if exclusive:
            self.used[table][chosen] = True
        return chosen

    def make_room(self, table: str, n: int, where=None) -> np.ndarray:
        """Append n clean rows to a table too small for its faults, and return their numbers.

        At small scales a table (crm_deals, referral_invites) can have fewer rows
        than its faults need.  The new rows are copies, under fresh keys, of rows
        as the story made them (meeting where): plausible clean rows, in no manifest
        entry.  A data set with enough rows never gets here, so it stays as it was."""
        pristine = self.pristine.get(table)
        if pristine is None:
            return np.array([], int)
        sources = np.arange(nrows(pristine))
        if where is not None:
            sources = sources[where[: len(sources)]]
        if not len(sources):
            return np.array([], int)
        origin = np.sort(self.rng.choice(sources, size=n, replace=len(sources) < n))
        copies = self.fresh_keys(table, take(pristine, origin), f"room{self.grown[table]}-")
        self.grown[table] += 1
        frame = self.tables[table]
        start = nrows(frame)
        for column in frame:  # in place: callers hold the frame
            frame[column] = np.concatenate([frame[column], copies[column]])
        self.used[table] = np.concatenate([self.used[table], np.zeros(n, bool)])
        self.dropped[table] = np.concatenate([self.dropped[table], np.zeros(n, bool)])
        self.origin[table] = np.concatenate([self.origin[table], origin])
        return np.arange(start, start + n)

    def keys(self, table: str, frame: Frame, rows=None) -> list[str]:
        spec = TABLES_BY_NAME[table]
        rows = np.arange(nrows(frame)) if rows is None else rows
        parts = [self._key_text(table, column, frame[column][rows]) for column in spec.key]
        return ["|".join(p) for p in zip(*parts, strict=False)]

    def _key_text(self, table, column, values):
        if TABLES_BY_NAME[table].column(column).type == DATE:
            return [str(self.clock.start + dt.timedelta(days=int(v))) for v in values]
        return [str(v).strip() for v in values]

    def record(self, table: str, fault: str, count: int, keys: list[str], **details) -> None:
        self.entries.append({"table": table, "fault": fault, "count": int(count), "keys": sorted(set(keys)), **details})

    def append(self, table: str, fault: str, rows: Frame, keys: list[str] | None = None) -> None:
        self.extra[table].append(rows)
        self.record(table, fault, nrows(rows), self.keys(table, rows) if keys is None else keys)

    def fresh_keys(self, table: str, rows: Frame, tag: str) -> Frame:
        """Give appended copies keys of their own, so they do not collide with the rows they copy."""
        spec = TABLES_BY_NAME[table]
        n = nrows(rows)
        if len(spec.key) == 1:
            column = spec.key[0]
            rows[column] = np.array([f"{v}-{tag}{i}" for i, v in enumerate(rows[column])], dtype=object)
        elif table == "crm_deal_stage_history":
            rows["deal_id"] = np.array([f"{v}-{tag}{i}" for i, v in enumerate(rows["deal_id"])], dtype=object)
        elif table == "ad_spend":
            rows["campaign_id"] = np.array([f"{v}-{tag}{i}" for i, v in enumerate(rows["campaign_id"])], dtype=object)
        elif table == "social_post_metrics":
            rows["post_id"] = np.array([f"{v}-{tag}{i}" for i, v in enumerate(rows["post_id"])], dtype=object)
        elif table == "marketing_expenses":
            # months before the data window: valid dates nobody else uses
            rows["month"] = self.clock.month_starts(before=60)[10 : 10 + n]
        elif table == "fx_rates":
            pass  # fx faults change the month, which is part of the key
        return rows

    # ---- the faults

    def literal(self, table: str, column: str) -> None:
        """Hold a numeric column as literal values (None for null), so NaN and Decimals can be written."""
        self.tables[table][column] = literal_numbers(self.tables[table][column])
        for rows in self.extra[table]:
            rows[column] = literal_numbers(rows[column])

    def finish(self) -> None:
        for table, frame in self.tables.items():
            kept = take(frame, ~self.dropped[table])
            self.tables[table] = concat(kept, *self.extra[table])

    def _days(self, day: dt.date) -> float:
        return float((day - self.clock.start).days)


def is_test_email(email) -> bool:
    """An address of our own QA staff (the story's test leads)."""
    domain = (email or "").strip().lower().rpartition("@")[2]
    return domain in TEST_EMAIL_DOMAINS


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
