"""Faults of particular tables: deals, emails, codes, ad spend restatements, web events, the lead stage log."""

from __future__ import annotations

import numpy as np

from .._base import HOURS, SECONDS, nrows, take
from ._injector import MIN_ROWS, InjectorBase, canonical_code, is_test_email

EMAIL_COLUMNS = {
    "crm_leads": "email",
    "app_users": "email",
    "newsletter_subscriptions": "email",
    "email_events": "recipient_email",
    "referral_invites": "invitee_email",
}
MESSY_CODES = {
    "crm_leads": (
        "lead_source",
        {
            "web_form": " Web-Form ",
            "content_download": "CONTENT DOWNLOAD",
            "webinar": "Webinars",
            "demo_request": "request demo",
            "trial_signup": "Free Trial",
            "referral": " REFERRAL",
            "event": "trade-show",
            "partner": "Partners ",
            "outbound": "Cold Outreach",
            "list_import": "LIST-IMPORT",
        },
    ),
    "crm_deals": (
        "stage",
        {
            "closed_won": "Closed-Won",
            "closed_lost": " CLOSED LOST",
            "discovery": "DISCOVERY ",
            "demo": " Demo",
            "proposal": "PROPOSAL",
            "negotiation": "Negotiation Review",
        },
    ),
    "web_events": (
        "event_type",
        {
            "page_view": " PageView ",
            "click": "CLICK",
            "form_submit": "Form-Submission",
            "demo_request": "DEMO REQUEST",
            "signup": "Sign-Up",
        },
    ),
    "email_events": (
        "event_type",
        {
            "sent": "SEND",
            "delivered": " Delivered",
            "opened": "Open ",
            "clicked": "CLICK",
            "bounced": "Bounce",
            "unsubscribed": "UNSUBSCRIBE",
            "complained": "Complained",
        },
    ),
    "crm_activities": (
        "outcome",
        {
            "no_answer": "No-Answer",
            "voicemail": "Voice Mail",
            "connected": " CONNECTED",
            "replied": "Replied ",
            "sent": "SENT",
            "bounced": "Bounced",
            "attended": "ATTENDED",
            "no_show": "No Show",
            "scheduled": "Scheduled",
        },
    ),
    "ad_spend": ("platform", {"google_ads": "Google-Ads", "linkedin_ads": "LINKEDIN ADS", "meta_ads": " Meta Ads "}),
}


# Money above the var max_plausible_amount (1e10 units of the row's currency): just


class DomainFaults(InjectorBase):
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
                broken.append(
                    [
                        f"{local}.{domain}",
                        f"{local}@{domain.split('.')[0]}",
                        f"{local} @{domain}",
                        f"{local}@@{domain}",
                    ][i % 4]
                )
            frame[column][rows] = np.array(broken, dtype=object)
            self.record(table, "malformed_email", len(rows), self.keys(table, frame, rows))
            rows = self.choose(table, self.count(table, 0.001), present)
            frame[column][rows] = np.array([f"  {v.strip().upper()} " for v in frame[column][rows]], dtype=object)
            self.record(table, "email_case_spaces", len(rows), self.keys(table, frame, rows))

    def messy_codes(self) -> None:
        for table, (column, variants) in sorted(MESSY_CODES.items()):
            frame = self.tables[table]
            canonical = np.array([canonical_code(v) if v is not None else "" for v in frame[column]], dtype=object)
            # only rows whose code is canonical now, so the manifest says exactly which rows were messed up
            rows = self.choose(
                table, self.count(table, 0.001), np.isin(canonical, list(variants)) & (frame[column] == canonical)
            )
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
        # late conversions move the claim too (a day without a claim stays without: NaN * factor)
        copies["conversions"] = np.round(copies["conversions"].astype(float) * factor)
        copies["_loaded_at"] = np.minimum(
            copies["_loaded_at"] + self.rng.uniform(6, 30, len(rows)) * HOURS, self.clock.end - SECONDS
        )
        copies["_loaded_at"] = np.maximum(copies["_loaded_at"], frame["_loaded_at"][rows] + SECONDS)
        self.append(table, "ad_spend_restated", copies, self.keys(table, frame, rows))

    def web_faults(self) -> None:
        table = "web_events"
        frame = self.tables[table]
        visitors, visitor_of = np.unique(frame["anonymous_id"].astype(str), return_inverse=True)
        converted = np.zeros(len(visitors), bool)
        conversion = (frame["lead_id"] != None) | (frame["user_id"] != None)  # noqa: E711
        converted[visitor_of[conversion]] = True
        robots = np.array(
            [
                "bot" in (ua or "").lower()
                or "spider" in (ua or "").lower()
                or "crawl" in (ua or "").lower()
                or "headless" in (ua or "").lower()
                for ua in frame["user_agent"]
            ]
        )
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
        chosen = self.rng.choice(
            np.flatnonzero(~busy), size=max(MIN_ROWS, round(0.0005 * len(sessions))), replace=False
        )
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
        created = dict(zip(leads["lead_id"], leads["created_at"], strict=False))
        stage = np.array([canonical_code(s) for s in frame["stage"]], dtype=object)
        stage = np.where(np.isin(stage, ("marketing_qualified_lead",)), "mql", stage)
        stage = np.where(np.isin(stage, ("sales_qualified",)), "sql", stage)
        lead_ids, lead_of = np.unique(frame["lead_id"].astype(str), return_inverse=True)
        has = {s: np.zeros(len(lead_ids), bool) for s in ("lead", "mql", "sql")}
        for s in has:
            has[s][lead_of[stage == s]] = True
        # These faults are checked on the lead's stage history in the marts, which only
        # live leads reach: a soft-deleted lead takes its log along, and internal test
        # leads are left out (docs/raw_contract.md; int_leads).
        live = np.isin(
            lead_ids,
            [
                lead
                for lead, deleted, email in zip(leads["lead_id"], leads["is_deleted"], leads["email"], strict=False)
                if not (deleted is not None and bool(deleted)) and not is_test_email(email)
            ],
        )
        n = max(MIN_ROWS, round(0.002 * len(lead_ids)))

        def take_leads(mask, fit):
            """n leads drawn among mask; a draw that is not fit (not live, or without the
            entries the fault rewrites) is drawn again among the fit leads left, so that
            data sets whose first draw was all fit keep their faults as they were."""
            free = mask.copy()
            free[lead_of[self.used[table]]] = False
            if (free & fit & live).sum() < n:
                raise RuntimeError(
                    f"{table}: not enough clean leads left for a fault ({(free & fit & live).sum()});"
                    " use a larger scale"
                )
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
            frame["_loaded_at"][first] = min(
                max(frame["_loaded_at"][later] + 2 * HOURS, frame["_loaded_at"][first]), self.clock.end - SECONDS
            )
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
        repeat["changed_at"] = np.minimum(
            repeat["changed_at"] + self.rng.uniform(1, 5, len(mql_rows)), self.clock.end - HOURS
        )
        repeat["_loaded_at"] = np.minimum(
            np.maximum(repeat["_loaded_at"], repeat["changed_at"]) + HOURS, self.clock.end - SECONDS
        )
        self.extra[table].append(repeat)
        self.record(table, "stage_repeated", len(chosen), list(lead_ids[chosen]))
