"""Inject every fault of the raw contract into a clean world, and say where.

Each fault lands on rows no other fault touches (at least three per table it
applies to), so a test can check each one against what staging did with those
rows.  Faults that staging must quarantine are added as extra, broken rows
with fresh keys (the clean story stays whole); faults staging must repair or
flag are made in place.  The manifest lists, per table and fault, how many
rows it concerns and their natural keys ('|'-joined when composite); for
duplicate deliveries and restatements the count is the number of extra rows.
At small scales a table can have fewer clean rows than its faults need
(crm_deals, referral_invites): it then gets clean copies of its rows under
fresh keys first (Injector.make_room), rows no manifest entry names.

The hostile values of the contract (non-finite numbers, redeliveries of a
rate that is not usable, implausible amounts, faulty `_loaded_at`, negative
counts, Unicode whitespace, emails with a misplaced dot) come after the other
faults, with random draws of their own after theirs, so the rows those touch
are the same as before the hostile values were added.  Two manifest entries
carry details for the check: invalid_rate_redelivery the rate that must stay
staged and the reason of each redelivery, loaded_in_future the as-of date
the future rows must not move.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np

from leadgen.contract import DATE, EMAIL_EVENT_TYPES, LEAD_SOURCES, PLATFORMS, TABLES_BY_NAME, VARCHAR

from ._base import HOURS, SECONDS, Clock, Frame, concat, literal_numbers, nrows, take
from .vocab import TEST_EMAIL_DOMAINS

FAULT_TYPES = (
    "duplicate_delivery", "null_key", "null_timestamp", "timestamp_before_2000", "timestamp_in_future",
    "future_closed_at", "malformed_email", "email_case_spaces", "negative_amount", "null_amount",
    "unknown_currency", "orphan_reference", "closed_without_closed_at", "stage_change_before_lead_created",
    "stage_log_out_of_order", "stage_skipped", "stage_repeated", "late_web_event", "bot_user_agent",
    "null_session_id", "ad_spend_restated", "messy_codes",
    # hostile values (docs/raw_contract.md, "Hostile values")
    "non_finite_value", "invalid_rate_redelivery", "implausible_amount", "null_loaded_at", "loaded_in_future",
    "negative_count", "unicode_whitespace_codes", "email_double_dot",
)

RATE = 0.002  # share of a table's rows a fault touches (at least MIN_ROWS)
MIN_ROWS = 3
ROOMY_ROWS = 5000  # a table this small may run out of clean rows for its faults (make_room)

EMAIL_COLUMNS = {
    "crm_leads": "email", "app_users": "email", "newsletter_subscriptions": "email",
    "email_events": "recipient_email", "referral_invites": "invitee_email",
}
AMOUNT_COLUMNS = {
    "crm_deals": "amount", "crm_deal_stage_history": "amount", "ad_spend": "spend",
    "marketing_expenses": "amount", "billing_subscriptions": "mrr_amount", "billing_invoices": "amount",
}
MESSY_CODES = {
    "crm_leads": ("lead_source", {"web_form": " Web-Form ", "content_download": "CONTENT DOWNLOAD", "webinar": "Webinars",
                                  "demo_request": "request demo", "trial_signup": "Free Trial", "referral": " REFERRAL",
                                  "event": "trade-show", "partner": "Partners ", "outbound": "Cold Outreach",
                                  "list_import": "LIST-IMPORT"}),
    "crm_deals": ("stage", {"closed_won": "Closed-Won", "closed_lost": " CLOSED LOST", "discovery": "DISCOVERY ",
                            "demo": " Demo", "proposal": "PROPOSAL", "negotiation": "Negotiation Review"}),
    "web_events": ("event_type", {"page_view": " PageView ", "click": "CLICK", "form_submit": "Form-Submission",
                                  "demo_request": "DEMO REQUEST", "signup": "Sign-Up"}),
    "email_events": ("event_type", {"sent": "SEND", "delivered": " Delivered", "opened": "Open ", "clicked": "CLICK",
                                    "bounced": "Bounce", "unsubscribed": "UNSUBSCRIBE", "complained": "Complained"}),
    "crm_activities": ("outcome", {"no_answer": "No-Answer", "voicemail": "Voice Mail", "connected": " CONNECTED",
                                   "replied": "Replied ", "sent": "SENT", "bounced": "Bounced", "attended": "ATTENDED",
                                   "no_show": "No Show", "scheduled": "Scheduled"}),
    "ad_spend": ("platform", {"google_ads": "Google-Ads", "linkedin_ads": "LINKEDIN ADS", "meta_ads": " Meta Ads "}),
}


# Money above the var max_plausible_amount (1e10 units of the row's currency): just
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


def _canonical(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


class Injector:
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
        self.pristine = {name: take(frame, slice(None)) for name, frame in tables.items()
                         if nrows(frame) <= ROOMY_ROWS and len(TABLES_BY_NAME[name].key) == 1}
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
        return ["|".join(p) for p in zip(*parts)]

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
            rows["month"] = self.clock.month_starts(before=60)[10: 10 + n]
        elif table == "fx_rates":
            pass  # fx faults change the month, which is part of the key
        return rows

    # ---- the faults

    def run(self) -> list[dict]:
        self.web_faults()
        self.stage_log_faults()
        self.deal_faults()
        self.email_faults()
        self.messy_codes()
        self.restatements()
        for table in sorted(self.tables):
            self.duplicates(table)
            self.null_keys(table)
            self.timestamp_faults(table)
            self.money_faults(table)
        self.hostile_values()
        self.finish()
        return self.entries

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
        future_first = self._days(_add_months(self.clock.as_of.replace(day=1), 2))
        future = future_first + 31.0 * np.arange(n) + (0 if is_date else 0.4)
        if is_date:
            before = np.array([self._days(_add_months(dt.date(1999, 12, 1), -i)) for i in range(n)], float)
            future = np.array([self._days(_add_months(self.clock.as_of.replace(day=1), 2 + i)) for i in range(n)], float)
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

    def deal_faults(self) -> None:
        table = "crm_deals"
        frame = self.tables[table]
        closed = ~np.isnan(frame["closed_at"])
        rows = self.choose(table, MIN_ROWS, closed)
        frame["closed_at"][rows] = self.clock.end + self.rng.uniform(2, 60, len(rows))
        self.record(table, "future_closed_at", len(rows), self.keys(table, frame, rows))
        rows = self.choose(table, MIN_ROWS)
        frame["amount"][rows] = np.nan
        self.record(table, "null_amount", len(rows), self.keys(table, frame, rows))
        rows = self.choose(table, MIN_ROWS, frame["lead_id"] != None)  # noqa: E711
        frame["lead_id"][rows] = [f"ld_gone{i:04d}" for i in range(len(rows))]
        self.record(table, "orphan_reference", len(rows), self.keys(table, frame, rows))
        copies = self.fresh_keys(table, take(frame, self.choose(table, MIN_ROWS, closed, exclusive=False)), "open")
        copies["closed_at"] = np.full(nrows(copies), np.nan)
        self.append(table, "closed_without_closed_at", copies)

    def email_faults(self) -> None:
        for table, column in sorted(EMAIL_COLUMNS.items()):
            frame = self.tables[table]
            present = frame[column] != None  # noqa: E711
            rows = self.choose(table, self.count(table, 0.001), present)
            broken = []
            for i, row in enumerate(rows):
                local, _, domain = frame[column][row].strip().partition("@")
                broken.append([f"{local}.{domain}", f"{local}@{domain.split('.')[0]}", f"{local} @{domain}",
                               f"{local}@@{domain}"][i % 4])
            frame[column][rows] = np.array(broken, dtype=object)
            self.record(table, "malformed_email", len(rows), self.keys(table, frame, rows))
            rows = self.choose(table, self.count(table, 0.001), present)
            frame[column][rows] = np.array([f"  {v.strip().upper()} " for v in frame[column][rows]], dtype=object)
            self.record(table, "email_case_spaces", len(rows), self.keys(table, frame, rows))

    def messy_codes(self) -> None:
        for table, (column, variants) in sorted(MESSY_CODES.items()):
            frame = self.tables[table]
            canonical = np.array([_canonical(v) if v is not None else "" for v in frame[column]], dtype=object)
            # only rows whose code is canonical now, so the manifest says exactly which rows were messed up
            rows = self.choose(table, self.count(table, 0.001), np.isin(canonical, list(variants)) & (frame[column] == canonical))
            frame[column][rows] = np.array([variants[c] for c in frame[column][rows]], dtype=object)
            self.record(table, "messy_codes", len(rows), self.keys(table, frame, rows))

    def restatements(self) -> None:
        table = "ad_spend"
        frame = self.tables[table]
        recent = (frame["report_date"] >= self.clock.days - 4) & (frame["report_date"] <= self.clock.days - 2)
        rows = self.choose(table, max(MIN_ROWS, int(recent.sum()) // 2), recent)
        copies = take(frame, rows)
        factor = self.rng.uniform(0.85, 1.15, len(rows))
        copies["spend"] = np.round(copies["spend"] * factor, 2)
        copies["clicks"] = np.round(copies["clicks"] * factor)
        copies["impressions"] = np.round(copies["impressions"] * factor)
        copies["_loaded_at"] = np.minimum(copies["_loaded_at"] + self.rng.uniform(6, 30, len(rows)) * HOURS, self.clock.end - SECONDS)
        copies["_loaded_at"] = np.maximum(copies["_loaded_at"], frame["_loaded_at"][rows] + SECONDS)
        self.append(table, "ad_spend_restated", copies, self.keys(table, frame, rows))

    def web_faults(self) -> None:
        table = "web_events"
        frame = self.tables[table]
        visitors, visitor_of = np.unique(frame["anonymous_id"].astype(str), return_inverse=True)
        converted = np.zeros(len(visitors), bool)
        conversion = (frame["lead_id"] != None) | (frame["user_id"] != None)  # noqa: E711
        converted[visitor_of[conversion]] = True
        robots = np.array(["bot" in (ua or "").lower() or "spider" in (ua or "").lower() or "crawl" in (ua or "").lower()
                           or "headless" in (ua or "").lower() for ua in frame["user_agent"]])
        human_visitor = np.ones(len(visitors), bool)
        human_visitor[visitor_of[robots]] = False
        no_session = frame["session_id"] == None  # noqa: E711
        human_visitor[visitor_of[no_session]] = False
        candidates = np.flatnonzero(human_visitor & ~converted)
        chosen = self.rng.choice(candidates, size=max(MIN_ROWS, round(0.0005 * len(visitors))), replace=False)
        rows = np.flatnonzero(np.isin(visitor_of, chosen))
        self.used[table][rows] = True
        frame["user_agent"][rows] = "Mozilla/5.0 (compatible; ExampleCrawler/1.0; +https://crawler.example.net)"
        self.record(table, "bot_user_agent", len(rows), self.keys(table, frame, rows))

        sessions, session_of = np.unique(np.where(no_session, "", frame["session_id"]).astype(str), return_inverse=True)
        busy = np.zeros(len(sessions), bool)
        busy[session_of[self.used[table] | no_session]] = True
        chosen = self.rng.choice(np.flatnonzero(~busy), size=max(MIN_ROWS, round(0.0005 * len(sessions))), replace=False)
        rows = np.flatnonzero(np.isin(session_of, chosen))
        self.used[table][rows] = True
        frame["session_id"][rows] = np.where(np.arange(len(rows)) % 2 == 0, None, " ")
        self.record(table, "null_session_id", len(rows), self.keys(table, frame, rows))

        old_enough = frame["occurred_at"] < self.clock.end - 7
        rows = self.choose(table, self.count(table, 0.001), old_enough)
        late = frame["occurred_at"][rows] + self.rng.uniform(3, 6, len(rows))
        frame["_loaded_at"][rows] = np.minimum(late, self.clock.end - SECONDS)
        self.record(table, "late_web_event", len(rows), self.keys(table, frame, rows))

    def stage_log_faults(self) -> None:
        table = "crm_lead_stage_changes"
        frame = self.tables[table]
        leads = self.tables["crm_leads"]
        created = dict(zip(leads["lead_id"], leads["created_at"]))
        stage = np.array([_canonical(s) for s in frame["stage"]], dtype=object)
        stage = np.where(np.isin(stage, ("marketing_qualified_lead",)), "mql", stage)
        stage = np.where(np.isin(stage, ("sales_qualified",)), "sql", stage)
        lead_ids, lead_of = np.unique(frame["lead_id"].astype(str), return_inverse=True)
        has = {s: np.zeros(len(lead_ids), bool) for s in ("lead", "mql", "sql")}
        for s in has:
            has[s][lead_of[stage == s]] = True
        # These faults are checked on the lead's stage history in the marts, which only
        # live leads reach: a soft-deleted lead takes its log along, and internal test
        # leads are left out (docs/raw_contract.md; int_leads).
        live = np.isin(lead_ids, [lead for lead, deleted, email
                                  in zip(leads["lead_id"], leads["is_deleted"], leads["email"])
                                  if not (deleted is not None and bool(deleted)) and not _is_test_email(email)])
        n = max(MIN_ROWS, round(0.002 * len(lead_ids)))

        def take_leads(mask, fit):
            """n leads drawn among mask; a draw that is not fit (not live, or without the
            entries the fault rewrites) is drawn again among the fit leads left, so that
            data sets whose first draw was all fit keep their faults as they were."""
            free = mask.copy()
            free[lead_of[self.used[table]]] = False
            if (free & fit & live).sum() < n:
                raise RuntimeError(f"{table}: not enough clean leads left for a fault ({(free & fit & live).sum()});"
                                   " use a larger scale")
            chosen = self.rng.choice(np.flatnonzero(free), size=n, replace=False)
            unfit = ~(fit & live)[chosen]
            if unfit.any():
                spare = free & fit & live
                spare[chosen] = False
                chosen[unfit] = self.rng.choice(np.flatnonzero(spare), size=int(unfit.sum()), replace=False)
            rows = np.flatnonzero(np.isin(lead_of, chosen))
            self.used[table][rows] = True
            return chosen, rows

        # an MQL stamped before the lead existed (a clock or an import): taken at creation downstream
        chosen, rows = take_leads(has["mql"], has["mql"])
        mql_rows = rows[stage[rows] == "mql"]
        for r in mql_rows:
            frame["changed_at"][r] = created[frame["lead_id"][r]] - self.rng.uniform(1, 48) * HOURS
            frame["_loaded_at"][r] = max(frame["_loaded_at"][r], created[frame["lead_id"][r]])
        self.record(table, "stage_change_before_lead_created", len(chosen), list(lead_ids[chosen]))

        # the later change delivered first, and its change id is the smaller one
        chosen, rows = take_leads(has["mql"], has["mql"] & has["lead"])
        for lead in chosen:
            mine = rows[lead_of[rows] == lead]
            first = mine[stage[mine] == "lead"][0]
            later = mine[stage[mine] == "mql"][0]
            frame["change_id"][[first, later]] = frame["change_id"][[later, first]]
            frame["_loaded_at"][first] = min(max(frame["_loaded_at"][later] + 2 * HOURS, frame["_loaded_at"][first]),
                                             self.clock.end - SECONDS)
        self.record(table, "stage_log_out_of_order", len(chosen), list(lead_ids[chosen]))

        # the MQL step is missing: lead then SQL
        chosen, rows = take_leads(has["mql"] & has["sql"], has["mql"] & has["sql"])
        self.dropped[table][rows[stage[rows] == "mql"]] = True
        self.record(table, "stage_skipped", len(chosen), list(lead_ids[chosen]))

        # the same stage written twice, a few days apart
        chosen, rows = take_leads(has["mql"], has["mql"])
        mql_rows = rows[stage[rows] == "mql"]
        repeat = take(frame, mql_rows)
        repeat["change_id"] = np.array([f"{c}-r" for c in repeat["change_id"]], dtype=object)
        repeat["changed_at"] = np.minimum(repeat["changed_at"] + self.rng.uniform(1, 5, len(mql_rows)), self.clock.end - HOURS)
        repeat["_loaded_at"] = np.minimum(np.maximum(repeat["_loaded_at"], repeat["changed_at"]) + HOURS, self.clock.end - SECONDS)
        self.extra[table].append(repeat)
        self.record(table, "stage_repeated", len(chosen), list(lead_ids[chosen]))

    # ---- hostile values (docs/raw_contract.md, "Hostile values"), after every fault above

    def hostile_values(self) -> None:
        self.email_double_dot()
        self.unicode_whitespace()
        self.fx_rate_faults()
        self.implausible_amounts()
        self.load_faults()
        self.negative_counts()

    def literal(self, table: str, column: str) -> None:
        """Hold a numeric column as literal values (None for null), so NaN and Decimals can be written."""
        self.tables[table][column] = literal_numbers(self.tables[table][column])
        for rows in self.extra[table]:
            rows[column] = literal_numbers(rows[column])

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
        self.record(table, "invalid_rate_redelivery", nrows(copies), keys,
                    staged_rate=dict(zip(keys, original)), reason=dict(zip(keys, reasons)))

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
            rows = self.fresh_keys(table, take(self.tables[table], self.choose(table, MIN_ROWS, exclusive=False)), "nla")
            rows["_loaded_at"] = np.full(nrows(rows), np.nan)
            self.append(table, "null_loaded_at", rows)
        as_of = self.latest_valid_load()
        for table in ("crm_users", "product_events"):
            rows = self.fresh_keys(table, take(self.tables[table], self.choose(table, MIN_ROWS, exclusive=False)), "fut")
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
        where = ((frame["impressions"] > 0) & (frame["clicks"] > 0) & np.isin(frame["platform"], PLATFORMS)
                 & (np.array([v is not None and float(v) > 0 for v in frame["spend"]])))
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

    def finish(self) -> None:
        for table, frame in self.tables.items():
            kept = take(frame, ~self.dropped[table])
            self.tables[table] = concat(kept, *self.extra[table])

    def _days(self, day: dt.date) -> float:
        return float((day - self.clock.start).days)


def _is_test_email(email) -> bool:
    """An address of our own QA staff (the story's test leads)."""
    domain = (email or "").strip().lower().rpartition("@")[2]
    return domain in TEST_EMAIL_DOMAINS


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def inject(tables: dict, clock: Clock, rng: np.random.Generator) -> list[dict]:
    return Injector(tables, clock, rng).run()
