"""`leadgen validate faults`: what the build did with every injected fault.

`leadgen generate --faults` writes `_faults.json` beside the raw tables: for
each fault type and table, how many rows it touched and their natural keys.
This check reads that manifest and the built warehouse and says, per entry,
whether the rows ended where `docs/raw_contract.md` ("Repair or quarantine")
sends them:

- quarantined: in `staging.quarantine_rows` with the expected reason;
- collapsed: removed as a duplicate delivery (the staging row accounting of
  the table removes exactly as many rows as were injected);
- kept: staged, and repaired or flagged the way the contract says (email
  nulled and flagged, closed_at nulled and flagged, stage entry taken at the
  lead's creation, bot flagged, session derived, code normalised, ...).

The hostile values ("Hostile values") are quarantined by key with their
reason; besides, a redelivered rate that is not usable must leave the good
rate staged (invalid_rate_redelivery), and rows loaded in the future must not
move the as-of date (loaded_in_future): their manifest entries say what to
expect.

The report has one line per (fault, table), written as faults_report.json
and faults_report.md in the report folder.  An entry whose rows were not
handled as expected, or a fault type this module has no check for, is
CRITICAL (exit 2): staging stopped catching a fault it used to catch.  A data
set without `_faults.json` (the demo data, a user's data) has nothing to
reconcile and passes.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from leadgen.contract import (
    DEAL_STAGES,
    EMAIL_EVENT_TYPES,
    LEAD_SOURCES,
    OUTCOMES,
    PLATFORMS,
    TABLES_BY_NAME,
    WEB_EVENT_TYPES,
)
from leadgen.validate._report import EXIT_CRITICAL, EXIT_OK

MANIFEST = "_faults.json"
REPORT_JSON = "faults_report.json"
REPORT_MD = "faults_report.md"

# The staging model of each raw table (dbt project: models/staging/<system>/).
STAGING_MODEL = {
    "crm_leads": "stg_crm__leads",
    "crm_lead_stage_changes": "stg_crm__lead_stage_changes",
    "crm_accounts": "stg_crm__accounts",
    "crm_users": "stg_crm__users",
    "crm_lead_assignments": "stg_crm__lead_assignments",
    "crm_activities": "stg_crm__activities",
    "crm_deals": "stg_crm__deals",
    "crm_deal_stage_history": "stg_crm__deal_stage_history",
    "marketing_campaigns": "stg_marketing__campaigns",
    "ad_spend": "stg_marketing__ad_spend",
    "marketing_expenses": "stg_marketing__expenses",
    "social_post_metrics": "stg_marketing__social_post_metrics",
    "fx_rates": "stg_finance__fx_rates",
    "web_events": "stg_web__events",
    "email_events": "stg_email__events",
    "newsletter_subscriptions": "stg_email__newsletter_subscriptions",
    "app_users": "stg_product__app_users",
    "product_events": "stg_product__events",
    "referral_invites": "stg_product__referral_invites",
    "billing_subscriptions": "stg_billing__subscriptions",
    "billing_invoices": "stg_billing__invoices",
}

# Every model the checks below read (schema-less dbt names): a build of these and
# their parents is enough to reconcile a manifest (tests/python/test_fault_seeds.py).
MODELS_READ = tuple(
    sorted(
        {
            *STAGING_MODEL.values(),
            "quarantine_rows",
            "staging_row_accounting",
            "base_crm__leads",
            "int_web__events_sessionized",
            "int_lead_stage_events",
            "fct_lead_lifecycle",
            "util_as_of_date",
        }
    )
)

# Faults the contract quarantines, with the reason staging gives.
QUARANTINE_REASON = {
    "null_key": "null_key",
    "null_timestamp": "null_timestamp",
    "timestamp_before_2000": "timestamp_before_2000",
    "timestamp_in_future": "timestamp_after_as_of",
    "negative_amount": "negative_amount",
    "unknown_currency": "unknown_currency",
    "closed_without_closed_at": "closed_without_closed_at",
    "non_finite_value": "non_finite_value",
    "implausible_amount": "implausible_amount",
    "null_loaded_at": "null_loaded_at",
    "loaded_in_future": "loaded_in_future",
    "negative_count": "negative_count",
}
# Quarantined faults checked on the entry's own keys (composite ones too): their rows
# are built with keys as staging writes them, and others in the table share the reason.
QUARANTINED_BY_KEY = ("non_finite_value", "implausible_amount", "null_loaded_at", "loaded_in_future", "negative_count")
# Whitespace a plain trim misses (RE2 classes): none may be left in a staged email.
ODD_WHITESPACE = r"[\s\x{85}\x{A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]"
# Faults that are extra deliveries of a key: the latest copy wins.
COLLAPSED = ("duplicate_delivery", "ad_spend_restated")

# Staged email columns by raw table: the prefix of <prefix>email_normalized.
EMAIL_PREFIX = {
    "crm_leads": "",
    "crm_users": "",
    "app_users": "",
    "newsletter_subscriptions": "",
    "email_events": "recipient_",
    "referral_invites": "invitee_",
}
# The coded column the messy_codes fault garbles, and its contract values.
CODED_COLUMN = {
    "crm_leads": ("lead_source", LEAD_SOURCES),
    "crm_deals": ("stage", DEAL_STAGES),
    "web_events": ("event_type", WEB_EVENT_TYPES),
    "email_events": ("event_type", EMAIL_EVENT_TYPES),
    "crm_activities": ("outcome", OUTCOMES),
    "ad_spend": ("platform", PLATFORMS),
}


# The coded column the unicode_whitespace_codes fault wraps (with the row's email).
UNICODE_CODED_COLUMN = {
    "crm_leads": ("lead_source", LEAD_SOURCES),
    "email_events": ("event_type", EMAIL_EVENT_TYPES),
}


def _in_list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _kept_check(fault: str, table: str) -> tuple[str, str] | None:
    """(what the contract says happens, SQL giving the natural keys handled that way) for a kept fault.

    The SQL selects one varchar column of keys, comparable with the manifest's keys.
    """
    model = f"staging.{STAGING_MODEL[table]}"
    key = TABLES_BY_NAME[table].key[0]
    staged = f"select cast({key} as varchar) from {model}"
    if fault == "future_closed_at":
        return "kept; closed_at nulled and flagged", f"{staged} where is_closed_at_invalid and closed_at is null"
    if fault == "malformed_email":
        p = EMAIL_PREFIX[table]
        return (
            "kept; email nulled and flagged",
            f"{staged} where is_{p}email_malformed and {p}email_normalized is null",
        )
    if fault == "email_case_spaces":
        p = EMAIL_PREFIX[table]
        return (
            "kept; email trimmed and lower-cased",
            f"{staged} where {p}email_normalized is not null"
            f" and {p}email_normalized = lower(trim({p}email_normalized)) and not is_{p}email_malformed",
        )
    if fault == "email_double_dot":
        p = EMAIL_PREFIX[table]
        return (
            "kept; email nulled and flagged",
            f"{staged} where is_{p}email_malformed and {p}email_normalized is null",
        )
    if fault == "unicode_whitespace_codes" and table in UNICODE_CODED_COLUMN:
        column, values = UNICODE_CODED_COLUMN[table]
        p = EMAIL_PREFIX[table]
        return (
            f"kept; {column} and email trimmed of every whitespace",
            f"{staged} where {column} in ({_in_list(values)})"
            f" and {p}email_normalized is not null and not is_{p}email_malformed"
            f" and {p}email_normalized = lower({p}email_normalized)"
            f" and not regexp_matches({p}email_normalized, '{ODD_WHITESPACE}')",
        )
    if fault == "null_amount":
        return "kept; adds nothing to sums", f"{staged} where amount is null"
    if fault == "orphan_reference":
        return (
            "kept; counts at deal level without a lead",
            f"{staged} where lead_id not in (select lead_id from staging.base_crm__leads where lead_id is not null)",
        )
    if fault == "bot_user_agent":
        return "kept; flagged is_bot, out of every web KPI", f"{staged} where is_bot"
    if fault == "null_session_id":
        return (
            "kept; session derived (30-minute gap)",
            "select event_id from intermediate.int_web__events_sessionized"
            " where is_sessionised and session_key is not null",
        )
    if fault == "late_web_event":
        return (
            "kept; sessionised with the visitor's other events",
            "select event_id from intermediate.int_web__events_sessionized where session_key is not null",
        )
    # The lifecycle faults name leads: the check is on the lead's stage history.
    if fault == "stage_change_before_lead_created":
        return (
            "kept; entry taken at the lead's creation",
            "select events.lead_id from intermediate.int_lead_stage_events as events"
            " inner join marts.fct_lead_lifecycle as lifecycle on events.lead_id = lifecycle.lead_id"
            " where events.is_dated_before_creation and events.entered_at = lifecycle.created_at",
        )
    if fault == "stage_log_out_of_order":
        return (
            "kept; milestones ordered by time, not by log position",
            "select lead_id from marts.fct_lead_lifecycle"
            " where became_mql_at >= created_at"
            " and coalesce(became_sql_at >= became_mql_at, true)"
            " and coalesce(became_opportunity_at >= became_sql_at, true)",
        )
    if fault == "stage_skipped":
        return (
            "kept; skipped MQL counted as reached (cumulative funnel)",
            "select lead_id from marts.fct_lead_lifecycle"
            " where became_sql_at is not null and became_mql_at is not null",
        )
    if fault == "stage_repeated":
        return (
            "kept; first entry counts, repeat flagged",
            "select lead_id from intermediate.int_lead_stage_events where is_repeat",
        )
    if fault == "messy_codes" and table in CODED_COLUMN:
        column, values = CODED_COLUMN[table]
        if len(TABLES_BY_NAME[table].key) > 1:
            # the garbled code is part of the key (ad_spend's platform): the raw key
            # cannot be looked up, so the check is that no staged row kept a garbled code
            return (
                f"kept; {column} normalised",
                f"select k from (select unnest(?) as k) where not exists"
                f" (select 1 from {model} where {column} not in ({_in_list(values)}))",
            )
        return f"kept; {column} normalised", f"{staged} where {column} in ({_in_list(values)})"
    return None


@dataclass
class FaultResult:
    fault: str
    table: str
    injected: int
    handling: str
    found: int
    ok: bool
    detail: str = ""

    def line(self) -> str:
        status = "ok" if self.ok else "NOT HANDLED"
        return (
            f"{self.fault:<34} {self.table:<26} {self.injected:>5} injected {self.found:>5} found"
            f"  {status:<11} {self.handling}{'  (' + self.detail + ')' if self.detail else ''}"
        )


def _keys_found(con, sql: str, keys: list[str]) -> int:
    """How many of keys the SQL returns.  SQL with a ? gets the key list as parameter."""
    params = [keys] if "?" in sql else []
    found = {row[0] for row in con.execute(sql, params).fetchall()}
    return len(set(keys) & found)


def _quarantined_keys(con, table: str, reasons, keys: list[str]) -> dict[str, str]:
    """natural key -> reason, of the quarantined rows of table among keys with one of reasons."""
    return dict(
        con.execute(
            "select natural_key, quarantine_reason from staging.quarantine_rows"
            " where source_table = ? and quarantine_reason in (select unnest(?)) and natural_key in (select unnest(?))",
            [table, list(reasons), keys],
        ).fetchall()
    )


def _quarantined_by_key(con, entry: dict) -> FaultResult:
    """Every injected row quarantined, under its own key, with the fault's reason."""
    fault, table, count, keys = entry["fault"], entry["table"], entry["count"], list(entry["keys"])
    reason = QUARANTINE_REASON[fault]
    found = _quarantined_keys(con, table, [reason], keys)
    ok, detail = len(found) == count == len(keys), ""
    if not ok:
        detail = f"{len(keys) - len(found)} of the injected keys are not quarantined as {reason}"
    if ok and "as_of_date" in entry:
        # rows loaded in the future take no part in the as-of date
        [(as_of, source)] = con.execute("select as_of_date, as_of_source from utilities.util_as_of_date").fetchall()
        if str(as_of) != entry["as_of_date"]:
            ok, detail = (
                False,
                (
                    f"the as-of date is {as_of} ({source}), not {entry['as_of_date']},"
                    " the day of the greatest valid _loaded_at"
                ),
            )
    return FaultResult(fault, table, count, f"quarantined ({reason})", len(found), ok, detail)


def _invalid_rate_redelivery(con, entry: dict) -> FaultResult:
    """Each unusable redelivery quarantined with its reason, and the good rate of its key still staged."""
    fault, table, count, keys = entry["fault"], entry["table"], entry["count"], list(entry["keys"])
    expected_reason, staged_rate = entry["reason"], entry["staged_rate"]
    reasons = _quarantined_keys(con, table, sorted(set(expected_reason.values())), keys)
    staged = dict(
        con.execute(
            "select cast(rate_month as varchar) || '|' || currency_code, usd_per_unit"
            f" from staging.{STAGING_MODEL[table]} where cast(rate_month as varchar) || '|' || currency_code"
            " in (select unnest(?))",
            [keys],
        ).fetchall()
    )
    wrong = {k for k in keys if reasons.get(k) != expected_reason[k]}
    lost = {
        k
        for k in keys
        if staged.get(k) is None  # NaN fails the comparison too
        or not abs(staged[k] - staged_rate[k]) <= 1e-12 * abs(staged_rate[k])
    }
    handled = len(set(keys) - wrong - lost)
    ok = handled == len(keys) == count
    detail = (
        ""
        if ok
        else (f"{len(wrong)} redeliveries not quarantined with their reason, {len(lost)} keys lost their good rate")
    )
    return FaultResult(fault, table, count, "newer copy quarantined; the good rate stays staged", handled, ok, detail)


# Faults with a check of their own (the entry carries what to expect).
CHECKED_APART = {"invalid_rate_redelivery": _invalid_rate_redelivery}


def reconcile(con, manifest: dict) -> list[FaultResult]:
    """One FaultResult per manifest entry (fault, table)."""
    accounting = dict(con.execute("select source_table, duplicate_rows from staging.staging_row_accounting").fetchall())
    collapsed_by_table: dict[str, int] = {}
    for entry in manifest["faults"]:
        if entry["fault"] in COLLAPSED:
            collapsed_by_table[entry["table"]] = collapsed_by_table.get(entry["table"], 0) + entry["count"]

    results = []
    for entry in manifest["faults"]:
        fault, table, count, keys = entry["fault"], entry["table"], entry["count"], list(entry["keys"])
        single_key = len(TABLES_BY_NAME[table].key) == 1 if table in TABLES_BY_NAME else False
        if table not in STAGING_MODEL:
            results.append(
                FaultResult(fault, table, count, "unknown table", 0, False, "not a raw table of the contract")
            )
        elif fault in QUARANTINED_BY_KEY:
            results.append(_quarantined_by_key(con, entry))
        elif fault in CHECKED_APART:
            results.append(CHECKED_APART[fault](con, entry))
        elif fault in QUARANTINE_REASON:
            reason = QUARANTINE_REASON[fault]
            quarantined = [
                r[0]
                for r in con.execute(
                    "select natural_key from staging.quarantine_rows where source_table = ? and quarantine_reason = ?",
                    [table, reason],
                ).fetchall()
            ]
            ok = len(quarantined) == count
            detail = ""
            if ok and keys and single_key and set(quarantined) != set(keys):
                ok, detail = False, "quarantined keys differ from the injected ones"
            results.append(FaultResult(fault, table, count, f"quarantined ({reason})", len(quarantined), ok, detail))
        elif fault in COLLAPSED:
            # duplicates of one table are removed together: compare the table's total
            removed, injected = accounting.get(table, 0), collapsed_by_table[table]
            ok = removed == injected
            share = count if ok else min(count, removed)
            detail = "" if ok else f"the table removed {removed} duplicate rows for {injected} injected"
            results.append(FaultResult(fault, table, count, "collapsed (latest delivery wins)", share, ok, detail))
        else:
            check = _kept_check(fault, table)
            if check is None:
                results.append(
                    FaultResult(
                        fault,
                        table,
                        count,
                        "no check",
                        0,
                        False,
                        "no reconciliation is defined for this fault and table",
                    )
                )
                continue
            handling, sql = check
            found = _keys_found(con, sql, keys)
            ok = found == len(keys) == count
            detail = "" if ok else f"{len(keys) - found} of the injected keys were not handled so"
            results.append(FaultResult(fault, table, count, handling, found, ok, detail))
    return results


@dataclass
class FaultsReport:
    manifest: Path | None
    results: list[FaultResult]
    error: str | None = None
    files: tuple[Path, ...] = ()

    @property
    def failed(self) -> list[FaultResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        return EXIT_CRITICAL if self.error or self.failed else EXIT_OK

    def final_line(self) -> str:
        if self.error:
            return f"validate faults: FAILED (critical): {self.error}"
        if self.manifest is None:
            return "validate faults: passed: no _faults.json beside the raw data, nothing to reconcile"
        types = {r.fault for r in self.results}
        verdict = "FAILED (critical)" if self.failed else "passed"
        return (
            f"validate faults: {verdict}: {len(types)} fault types, {len(self.results)} (fault, table) entries, "
            f"{sum(r.injected for r in self.results):,} rows injected, {len(self.failed)} not handled"
        )

    def by_fault(self) -> list[dict]:
        """One summary per fault type: the tables it hit, rows injected and found, how it was handled."""
        summaries: dict[str, dict] = {}
        for r in self.results:
            s = summaries.setdefault(
                r.fault, {"fault": r.fault, "tables": 0, "injected": 0, "found": 0, "handling": set(), "ok": True}
            )
            s["tables"] += 1
            s["injected"] += r.injected
            s["found"] += r.found
            s["handling"].add(r.handling)
            s["ok"] = s["ok"] and r.ok
        for s in summaries.values():
            ways = sorted(s["handling"])
            s["handling"] = ways[0] if len(ways) == 1 else ways[0].split(";")[0] + "; per table, see the report"
        return [summaries[fault] for fault in sorted(summaries)]

    def print(self, out=None) -> None:
        """A line per fault type, then every (fault, table) entry that was not handled."""
        out = out or sys.stdout
        for s in self.by_fault():
            status = "ok" if s["ok"] else "NOT HANDLED"
            print(
                f"{s['fault']:<34} {s['tables']:>2} tables {s['injected']:>6,} injected {s['found']:>6,} found"
                f"  {status:<11} {s['handling']}",
                file=out,
            )
        for r in self.failed:
            print(f"CRITICAL {r.table}: {r.fault}: {r.found} of {r.injected} rows {r.handling}: {r.detail}", file=out)
        print(self.final_line(), file=out)
        for path in self.files:
            print(f"report: {path}", file=out)

    def markdown(self) -> str:
        lines = [
            "# Injected faults and what the build did with them",
            "",
            f"Manifest: `{self.manifest}`",
            "",
            "| fault | table | injected | handled as | found | status |",
            "|---|---|---:|---|---:|---|",
        ]
        for r in sorted(self.results, key=lambda r: (r.fault, r.table)):
            status = "ok" if r.ok else f"**NOT HANDLED**: {r.detail}"
            lines.append(f"| {r.fault} | {r.table} | {r.injected} | {r.handling} | {r.found} | {status} |")
        lines += ["", self.final_line(), ""]
        return "\n".join(lines)


def validate_faults(raw_dir: Path, duckdb_path: Path, report_dir: Path) -> FaultsReport:
    """Reconcile raw_dir/_faults.json with the warehouse at duckdb_path; write the report under report_dir."""
    import duckdb

    manifest_path = Path(raw_dir) / MANIFEST
    if not manifest_path.exists():
        return FaultsReport(None, [])
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        return FaultsReport(manifest_path, [], error=f"cannot read {manifest_path}: {exc}")
    if not Path(duckdb_path).exists():
        return FaultsReport(manifest_path, [], error=f"no warehouse at {duckdb_path}: run dbt build first")
    try:
        with duckdb.connect(str(duckdb_path), read_only=True) as con:
            results = reconcile(con, manifest)
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        return FaultsReport(manifest_path, [], error=f"the warehouse lacks a model the check reads: {first_line}")
    report = FaultsReport(manifest_path, results)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = report_dir / REPORT_JSON, report_dir / REPORT_MD
    json_path.write_text(
        json.dumps(
            {
                "manifest": str(manifest_path),
                "passed": not report.failed,
                "entries": [asdict(r) for r in results],
            },
            indent=1,
        )
    )
    md_path.write_text(report.markdown())
    report.files = (json_path, md_path)
    return report
