"""The hostile values of the contract (docs/raw_contract.md, "Hostile values"), after every other fault."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np

from leadgen.contract import EMAIL_EVENT_TYPES, LEAD_SOURCES, PLATFORMS

from .._base import HOURS, SECONDS, nrows, take
from ._injector import MIN_ROWS, InjectorBase

# above it, far above it, and the largest DECIMAL(18,2).  Decimals: a float cannot
# hold the cents of the last one.
IMPLAUSIBLE_AMOUNTS = (Decimal("10000000000.01"), Decimal("99999999999999.99"), Decimal("9999999999999999.99"))
IMPLAUSIBLE_COLUMNS = {"crm_deals": "amount", "billing_invoices": "amount", "ad_spend": "spend"}
# Whitespace around codes and emails that a plain trim misses: tabs, line breaks, a
# no-break space (U+00A0) and an ideographic space (U+3000), as (before, after).
UNICODE_WRAPS = (("\t", "\n"), ("\u00a0", "\u3000"), ("\n ", "\t"), ("\u3000", "\r\n"), ("\r\n\u00a0", " \u00a0"))
# table: (coded column, its contract values, how the code is garbled inside the wrap, email column)
UNICODE_CODES = {
    "crm_leads": ("lead_source", LEAD_SOURCES, str.upper, "email"),
    "email_events": ("event_type", EMAIL_EVENT_TYPES, str.title, "recipient_email"),
}
FAR_FUTURE = dt.date(2200, 1, 1)
PLAIN_EMAIL = re.compile(r"[^@\s.]+(\.[^@\s.]+)*@[^@\s.]+(\.[^@\s.]+)+")


class HostileFaults(InjectorBase):
    def hostile_values(self) -> None:
        self.email_double_dot()
        self.unicode_whitespace()
        self.fx_rate_faults()
        self.implausible_amounts()
        self.load_faults()
        self.negative_counts()

    def email_double_dot(self) -> None:
        table, column = "crm_leads", "email"
        frame = self.tables[table]
        plain = np.array([v is not None and PLAIN_EMAIL.fullmatch(v.strip()) is not None for v in frame[column]])
        rows = self.choose(table, self.count(table, 0.001), plain)
        broken = []
        for i, row in enumerate(rows):
            local, _, domain = frame[column][row].strip().partition("@")
            name, _, rest = domain.partition(".")
            broken.append([f"{local}@{name}..{rest}", f"{local}@.{domain}", f"{local}@{domain}."][i % 3])
        frame[column][rows] = np.array(broken, dtype=object)
        self.record(table, "email_double_dot", len(rows), self.keys(table, frame, rows))

    def unicode_whitespace(self) -> None:
        """A code and an email of the same rows wrapped in whitespace other than spaces."""
        for table, (column, values, garble, email) in sorted(UNICODE_CODES.items()):
            frame = self.tables[table]
            code_ok = np.array([v in values for v in frame[column]])
            plain = np.array([v is not None and PLAIN_EMAIL.fullmatch(v.strip()) is not None for v in frame[email]])
            rows = self.choose(table, self.count(table, 0.001), code_ok & plain)
            for i, row in enumerate(rows):
                before, after = UNICODE_WRAPS[i % len(UNICODE_WRAPS)]
                frame[column][row] = before + garble(frame[column][row]) + after
                before, after = UNICODE_WRAPS[(i + 1) % len(UNICODE_WRAPS)]
                frame[email][row] = before + frame[email][row].strip() + after
            self.record(table, "unicode_whitespace_codes", len(rows), self.keys(table, frame, rows))

    def fx_rate_faults(self) -> None:
        table, column = "fx_rates", "usd_per_unit"
        frame = self.tables[table]
        self.literal(table, column)
        # NaN and both infinities under (month, currency) keys nobody else uses: months
        # five years before the data, long before any rate
        rows = take(frame, self.choose(table, MIN_ROWS, exclusive=False))
        rows["month"] = self.clock.month_starts(before=60)[:MIN_ROWS]
        rows[column] = np.array([float("nan"), float("inf"), float("-inf")], dtype=object)
        self.append(table, "non_finite_value", rows)
        # a later delivery of a good rate that is not usable: NaN, zero, below zero
        end = self.clock.end - SECONDS
        rows = self.choose(table, MIN_ROWS, frame["_loaded_at"].astype(float) < end - HOURS)
        copies = take(frame, rows)
        original = [float(v) for v in copies[column]]
        copies[column] = np.array([[float("nan"), 0.0, -v][i % 3] for i, v in enumerate(original)], dtype=object)
        copies["_loaded_at"] = np.minimum(copies["_loaded_at"] + self.rng.uniform(1, 48, len(rows)) * HOURS, end)
        keys = self.keys(table, frame, rows)
        reasons = ["non_finite_value" if i % 3 == 0 else "invalid_rate" for i in range(len(rows))]
        self.extra[table].append(copies)
        self.record(
            table,
            "invalid_rate_redelivery",
            nrows(copies),
            keys,
            staged_rate=dict(zip(keys, original, strict=False)),
            reason=dict(zip(keys, reasons, strict=False)),
        )

    def implausible_amounts(self) -> None:
        for table, column in sorted(IMPLAUSIBLE_COLUMNS.items()):
            frame = self.tables[table]
            where = frame[column].astype(float) > 0  # NaN (null) is not
            if table == "ad_spend":
                where &= np.isin(frame["platform"], PLATFORMS)  # the manifest key is the staged one
            if table == "billing_invoices":
                where &= frame["status"] == "paid"
            self.literal(table, column)
            rows = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, where, exclusive=False)), "big")
            rows[column] = np.array(IMPLAUSIBLE_AMOUNTS[: nrows(rows)], dtype=object)
            self.append(table, "implausible_amount", rows)

    def load_faults(self) -> None:
        """Rows without _loaded_at, and rows loaded in 2200: neither may move the as-of date."""
        for table in ("crm_users", "web_events"):
            rows = self.fresh_keys(
                table, take(self.tables[table], self.choose(table, MIN_ROWS, exclusive=False)), "nla"
            )
            rows["_loaded_at"] = np.full(nrows(rows), np.nan)
            self.append(table, "null_loaded_at", rows)
        as_of = self.latest_valid_load()
        for table in ("crm_users", "product_events"):
            rows = self.fresh_keys(
                table, take(self.tables[table], self.choose(table, MIN_ROWS, exclusive=False)), "fut"
            )
            rows["_loaded_at"] = self._days(FAR_FUTURE) + 31.0 * np.arange(nrows(rows)) + 0.5
            self.extra[table].append(rows)
            self.record(table, "loaded_in_future", nrows(rows), self.keys(table, rows), as_of_date=as_of.isoformat())

    def latest_valid_load(self) -> dt.date:
        """The day of the greatest _loaded_at that is neither null nor after the data's end."""
        latest = max(
            float(loaded[(loaded == loaded) & (loaded < self.clock.end)].max(initial=-np.inf))
            for table, frame in self.tables.items()
            for loaded in [np.asarray(rows["_loaded_at"], float) for rows in (frame, *self.extra[table])]
        )
        return self.clock.start + dt.timedelta(days=int(np.floor(latest)))

    def negative_counts(self) -> None:
        table = "ad_spend"
        frame = self.tables[table]
        where = (
            (frame["impressions"] > 0)
            & (frame["clicks"] > 0)
            & np.isin(frame["platform"], PLATFORMS)
            & (np.array([v is not None and float(v) > 0 for v in frame["spend"]]))
        )
        rows = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, where, exclusive=False)), "neg")
        for i in range(nrows(rows)):  # impressions, clicks, then both
            if i % 3 != 1:
                rows["impressions"][i] = -rows["impressions"][i]
            if i % 3 != 0:
                rows["clicks"][i] = -rows["clicks"][i]
        self.append(table, "negative_count", rows)
        table = "social_post_metrics"
        frame = self.tables[table]
        rows = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, exclusive=False)), "neg")
        rows["likes"] = -np.maximum(rows["likes"], 1)
        self.append(table, "negative_count", rows)
