"""Faults any table can have: duplicate deliveries, null keys, bad timestamps, bad money."""

from __future__ import annotations

import datetime as dt

import numpy as np

from leadgen.contract import DATE, TABLES_BY_NAME, VARCHAR

from .._base import HOURS, SECONDS, nrows, take
from ._injector import MIN_ROWS, InjectorBase, add_months

AMOUNT_COLUMNS = {
    "crm_deals": "amount",
    "crm_deal_stage_history": "amount",
    "ad_spend": "spend",
    "marketing_expenses": "amount",
    "billing_subscriptions": "mrr_amount",
    "billing_invoices": "amount",
}


class GenericFaults(InjectorBase):
    def duplicates(self, table: str) -> None:
        frame = self.tables[table]
        rows = self.choose(table, self.count(table, 0.003))
        copies = take(frame, np.repeat(rows, self.rng.integers(1, 3, len(rows))))
        later = copies["_loaded_at"] + self.rng.uniform(0.5, 36, nrows(copies)) * HOURS
        copies["_loaded_at"] = np.minimum(later, self.clock.end - SECONDS)
        self.append(table, "duplicate_delivery", copies, self.keys(table, frame, rows))

    def null_keys(self, table: str) -> None:
        frame = self.tables[table]
        rows = take(frame, self.choose(table, MIN_ROWS + 1, exclusive=False))
        column = TABLES_BY_NAME[table].key[0]
        if TABLES_BY_NAME[table].column(column).type == VARCHAR:
            rows[column] = np.array([None, "", "  ", None][: nrows(rows)], dtype=object)
        else:
            rows[column] = np.full(nrows(rows), np.nan)
        self.append(table, "null_key", rows, [])

    def timestamp_faults(self, table: str) -> None:
        spec = TABLES_BY_NAME[table]
        column = spec.event_time
        if column is None:
            return
        frame = self.tables[table]
        is_date = spec.column(column).type == DATE
        in_key = column in spec.key
        where = None
        if table == "billing_invoices":
            where = frame["status"] == "paid"
        if not in_key:
            rows = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, where, exclusive=False)), "nt")
            rows[column] = np.full(nrows(rows), np.nan)
            self.append(table, "null_timestamp", rows)
        n = MIN_ROWS
        before = self._days(dt.date(1999, 12, 1)) - 31.0 * np.arange(n)
        before[0] = self._days(dt.date(1970, 1, 1))  # the epoch: a classic zero-filled timestamp
        future_first = self._days(add_months(self.clock.as_of.replace(day=1), 2))
        future = future_first + 31.0 * np.arange(n) + (0 if is_date else 0.4)
        if is_date:
            before = np.array([self._days(add_months(dt.date(1999, 12, 1), -i)) for i in range(n)], float)
            future = np.array([self._days(add_months(self.clock.as_of.replace(day=1), 2 + i)) for i in range(n)], float)
        for fault, values, tag in (("timestamp_before_2000", before, "old"), ("timestamp_in_future", future, "fut")):
            rows = take(frame, self.choose(table, n, where, exclusive=False))
            if not in_key:
                rows = self.fresh_keys(table, rows, tag)
            rows[column] = values[: nrows(rows)]
            self.append(table, fault, rows)

    def money_faults(self, table: str) -> None:
        column = AMOUNT_COLUMNS.get(table)
        if column is None:
            return
        frame = self.tables[table]
        has_amount = ~np.isnan(frame[column].astype(float)) & (frame[column].astype(float) > 0)
        rows = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, has_amount, exclusive=False)), "neg")
        rows[column] = -rows[column]
        self.append(table, "negative_amount", rows)
        rows = take(frame, self.choose(table, MIN_ROWS, has_amount, exclusive=False))
        codes = np.array([f"Z{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(nrows(rows))], dtype=object)
        if table != "marketing_expenses":
            rows = self.fresh_keys(table, rows, "cur")
        rows["currency_code"] = codes
        self.append(table, "unknown_currency", rows)
