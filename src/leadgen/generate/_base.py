"""Building blocks of the generator: the calendar, random streams and tables.

A table is held as a plain dict of equal-length numpy arrays, one per contract
column.  Inside the generator every TIMESTAMP and DATE is a float number of
days since the first day of the data (``Clock.start``), NaN for null; text is
an object array with None for null; numbers are floats with NaN for null.
A DOUBLE or money column may instead be an object array, with None for null:
then a float NaN or infinity is written as that value (the hostile-value
faults), and a Decimal as it is (money beyond a float's precision).
Only ``to_arrow`` knows the contract's real types.

A table too big to hold whole (web_events at scale 100) is a ``Streamed``
instead: it makes the frame of any rows asked for, and is written a chunk of
rows at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from leadgen.contract import (
    BIGINT,
    BOOLEAN,
    DATE,
    DOUBLE,
    INTEGER,
    MONEY,
    TABLES_BY_NAME,
    TIMESTAMP,
    VARCHAR,
    arrow_schema,
)

Frame = dict  # column name -> numpy array

# One independent random stream per part of the story, so that changing one
# part (say, product events) leaves every other table as it was.
STREAMS = (
    "calendar",
    "companies",
    "staff",
    "campaigns",
    "web",
    "app_users",
    "leads",
    "funnel",
    "deals",
    "activities",
    "email",
    "newsletter",
    "social",
    "product",
    "billing",
    "ad_spend",
    "expenses",
    "fx_rates",
    "faults",
    "loaded_at",
    "routing",
    "web_events",
    "stage_log",
    "subscriptions",
    "deal_activities",
    "activity_rows",
    "lead_rows",
    "account_rows",
    "ad_conversions",
)


def rng_for(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS.index(stream)])


SECONDS = 1 / 86400
MINUTES = 1 / 1440
HOURS = 1 / 24


@dataclass(frozen=True)
class Clock:
    """The 24 calendar months that end with the as-of month, with traffic weights per day."""

    as_of: dt.date
    start: dt.date
    days: int  # days from start up to and including the as-of day

    @classmethod
    def for_as_of(cls, as_of: dt.date) -> Clock:
        month_index = as_of.year * 12 + as_of.month - 1 - 23
        start = dt.date(month_index // 12, month_index % 12 + 1, 1)
        return cls(as_of, start, (as_of - start).days + 1)

    @property
    def end(self) -> float:
        """Exclusive end of the data: midnight after the as-of day, in days since start."""
        return float(self.days)

    def day_weights(self) -> np.ndarray:
        """Relative activity per day: weekdays busier, a summer and a year-end dip, steady growth."""
        dates = np.arange(np.datetime64(self.start), np.datetime64(self.start) + self.days)
        weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
        week = np.where(weekday < 5, 1.0, np.where(weekday == 5, 0.45, 0.38))
        month = dates.astype("datetime64[M]").astype(int) % 12 + 1
        day_of_month = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
        season = np.ones(self.days)
        season[month == 8] = 0.78
        season[(month == 12) & (day_of_month >= 20)] = 0.55
        season[np.isin(month, (1, 3, 9, 10))] = 1.12
        growth = np.linspace(0.7, 1.3, self.days)
        return week * season * growth

    def sample_times(self, rng: np.random.Generator, n: int, lo: float = 0.0) -> np.ndarray:
        """n moments (days since start) following the daily weights, in office-ish hours."""
        weights = self.day_weights()
        first_day = int(np.clip(np.floor(lo), 0, self.days - 1))
        weights[:first_day] = 0
        day = rng.choice(self.days, size=n, p=weights / weights.sum())
        hour = np.clip(rng.normal(14.5, 3.8, n), 0, 23.999)
        return day + hour / 24

    def month_starts(self, before: int = 0) -> np.ndarray:
        """First day of each month of the data (days since start), `before` extra months ahead of it."""
        first = np.datetime64(self.start, "M") - before
        months = np.arange(first, np.datetime64(self.as_of, "M") + 1)
        return (months.astype("datetime64[D]") - np.datetime64(self.start)).astype(float)

    def month_start_of(self, days: np.ndarray) -> np.ndarray:
        moments = np.datetime64(self.start) + np.floor(days).astype("timedelta64[D]")
        return (moments.astype("datetime64[M]").astype("datetime64[D]") - np.datetime64(self.start)).astype(float)

    def datetime64(self, days: np.ndarray) -> np.ndarray:
        micros = np.round(np.asarray(days, float) * 86_400_000_000)
        return np.datetime64(self.start, "us") + micros.astype("timedelta64[us]")


def lognormal_days(rng: np.random.Generator, median_days: float, sigma: float, n: int) -> np.ndarray:
    return median_days * np.exp(rng.normal(0.0, sigma, n))


def pick(rng: np.random.Generator, options, n: int, p=None) -> np.ndarray:
    """n values drawn from options (object array), with optional probabilities."""
    options = np.asarray(options, dtype=object)
    if p is not None:
        p = np.asarray(p, float) / np.sum(p)
    return options[rng.choice(len(options), size=n, p=p)]


def ids(prefix: str, start: int, n: int, width: int = 7) -> np.ndarray:
    return id_strings(prefix, range(start, start + n), width)


def id_strings(prefix: str, numbers, width: int = 7) -> np.ndarray:
    if isinstance(numbers, np.ndarray):
        numbers = numbers.tolist()  # Python ints format faster than numpy's
    return np.array([f"{prefix}{i:0{width}d}" for i in numbers], dtype=object)


def fixed_width_ids(prefix: str, numbers: np.ndarray, width: int, hexadecimal: bool = False) -> np.ndarray:
    """f"{prefix}{n:0{width}d}" (or ``x``) for each number, made by numpy as a fixed-width str array.

    The same text as id_strings without a Python string per value: for the
    ids of the rows of web_events (120M at scale 100).  A number too wide
    for ``width`` digits falls back to id_strings (object array).
    """
    numbers = np.asarray(numbers, np.int64)
    base = 16 if hexadecimal else 10
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= base**width):
        return np.array([f"{prefix}{i:0{width}{'x' if hexadecimal else 'd'}}" for i in numbers.tolist()], dtype=object)
    alphabet = np.frombuffer("0123456789abcdef".encode("utf-32-le"), np.uint32)
    chars = np.empty((len(numbers), len(prefix) + width), np.uint32)
    chars[:, : len(prefix)] = np.frombuffer(prefix.encode("utf-32-le"), np.uint32)
    rest = numbers.copy()
    for k in range(len(prefix) + width - 1, len(prefix) - 1, -1):
        chars[:, k] = alphabet[rest % base]
        rest //= base
    return chars.view(f"<U{len(prefix) + width}").reshape(len(numbers))


# Rows per chunk of a streamed table (one Parquet row group): its text, in
# Python strings, Arrow arrays and the writer's buffers, is about 1 GB per
# million rows while it is made and written.
CHUNK_ROWS = 250_000


@dataclass
class Streamed:
    """A table made a chunk of rows at a time, never whole: web_events at large scales.

    make(rows) gives the frame of the rows at an increasing array of row
    numbers.  loaded_at is the whole ``_loaded_at`` column (days since the
    clock's start), so that rows can be picked by load time without making
    the others (next_day.py).
    """

    n: int
    loaded_at: np.ndarray
    make: Callable[[np.ndarray], Frame]

    def chunks(self, size: int | None = None) -> Iterator[Frame]:
        """The whole table, a frame per chunk of rows (one empty frame for an empty table)."""
        size = size or CHUNK_ROWS
        for start in range(0, max(self.n, 1), size):
            yield self.make(np.arange(start, min(start + size, self.n)))

    def whole(self) -> Frame:
        # as an object array each text column, as every frame's text is (the
        # faults put None and longer values in them)
        frame = self.make(np.arange(self.n))
        return {name: v.astype(object) if v.dtype.kind == "U" else v for name, v in frame.items()}


@dataclass(frozen=True)
class Written:
    """A streamed table already written to its file (World.sink): only its row count is left."""

    n: int


def whole_frames(tables: dict) -> dict:
    """The tables with each streamed one made whole: for code that edits frames (faults), at small scales."""
    return {name: t.whole() if isinstance(t, Streamed) else t for name, t in tables.items()}


def nrows(frame: Frame | Streamed | Written) -> int:
    if isinstance(frame, Streamed | Written):
        return frame.n
    return len(next(iter(frame.values())))


def take(frame: Frame, index) -> Frame:
    return {name: values[index].copy() for name, values in frame.items()}


def concat(*frames: Frame) -> Frame:
    frames = [f for f in frames if f and nrows(f)]
    return {name: np.concatenate([f[name] for f in frames]) for name in frames[0]}


def empty_strings(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def make_frame(table: str, n: int, **columns) -> Frame:
    """A table in contract column order; a column not given is all null."""
    frame = {}
    for column in TABLES_BY_NAME[table].columns:
        values = columns.pop(column.name, None)
        if values is None:
            values = empty_strings(n) if column.type == VARCHAR else np.full(n, np.nan)
        elif np.isscalar(values) or values is None:
            values = np.full(n, values, dtype=object if isinstance(values, str) else None)
        frame[column.name] = np.asarray(values)
        if len(frame[column.name]) != n:
            raise ValueError(f"{table}.{column.name}: {len(frame[column.name])} values for {n} rows")
    if columns:
        raise ValueError(f"{table}: not in the contract: {sorted(columns)}")
    return frame


def to_arrow(table: str, frame: Frame, clock: Clock):
    import pyarrow as pa

    schema = arrow_schema(table)
    arrays = []
    for column in TABLES_BY_NAME[table].columns:
        values = frame[column.name]
        arrays.append(_arrow_column(values, column.type, clock, pa))
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_column(values, logical: str, clock: Clock, pa):
    if logical == VARCHAR:
        # from the array itself, not a list of it: an order of magnitude
        # faster (an object array of str and None, or fixed_width_ids' str array)
        return pa.array(np.asarray(values), type=pa.string())
    if logical == BOOLEAN:
        values = np.asarray(values, dtype=object)
        return pa.array([None if v is None else bool(v) for v in values], type=pa.bool_())
    if logical in (DOUBLE, MONEY) and np.asarray(values).dtype == object:
        return _arrow_literals(values, logical, pa)
    numbers = np.asarray(values, dtype=float)
    missing = np.isnan(numbers)
    filled = np.where(missing, 0, numbers)
    if logical == TIMESTAMP:
        micros = micros_since_start(filled)
        base = int((np.datetime64(clock.start, "us") - np.datetime64(0, "us")).astype("int64"))
        return pa.array(micros + base, mask=missing, type=pa.int64()).cast(pa.timestamp("us"))
    if logical == DATE:
        base = int(np.datetime64(clock.start, "D").astype("int64"))
        return pa.array(np.floor(filled).astype("int32") + base, mask=missing, type=pa.int32()).cast(pa.date32())
    if logical == INTEGER:
        return pa.array(np.round(filled).astype("int32"), mask=missing, type=pa.int32())
    if logical == BIGINT:
        return pa.array(np.round(filled).astype("int64"), mask=missing, type=pa.int64())
    if logical == DOUBLE:
        return pa.array(filled, mask=missing, type=pa.float64())
    if logical == MONEY:
        cents = np.round(filled * 100).astype("int64")
        return pa.array(
            [None if m else Decimal(int(c)).scaleb(-2) for c, m in zip(cents, missing, strict=True)],
            type=pa.decimal128(18, 2),
        )
    raise ValueError(logical)


def micros_since_start(days: np.ndarray) -> np.ndarray:
    """Moments in days since the clock's start (no NaN) as the whole microseconds a TIMESTAMP holds."""
    return np.round(days * 86_400_000_000).astype("int64")


def literal_numbers(values) -> np.ndarray:
    """A float column as an object array (None for null), ready to hold literal values."""
    values = np.asarray(values)
    if values.dtype == object:
        return values.copy()
    return np.array([None if np.isnan(v) else float(v) for v in values], dtype=object)


def _arrow_literals(values, logical: str, pa):
    """An object-array DOUBLE or money column: None is null, anything else is written as it is."""
    if logical == DOUBLE:
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    money = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            money.append(None)
        elif isinstance(v, Decimal):
            money.append(v.quantize(Decimal("0.01")))
        else:
            money.append(Decimal(int(np.round(float(v) * 100))).scaleb(-2))
    return pa.array(money, type=pa.decimal128(18, 2))
