"""Salesforce as its Fivetran connector lands it: the generator's writer (see leadgen.vendors).

The story's CRM and campaign tables are written as the Salesforce objects
Fivetran copies, one folder per object under ``out_dir/salesforce/``, with
the API field names Fivetran lower-cases into snake case (``CreatedDate`` ->
``created_date``, custom ``UTM_Source__c`` -> ``utm_source__c``).  The dbt
adapter (models/adapters/salesforce/) maps them back onto the raw contract;
``models/adapters/salesforce/_salesforce__docs.md`` documents the mapping.

The mapping in short (contract table <- Salesforce objects):

- crm_leads <- ``lead`` (history mode: the active version).  The lifecycle
  stage is the lead ``status``; UTM fields, the referrer and the matched
  account are custom fields (``utm_*__c``, ``referred_by_user_id__c``,
  ``matched_account_id__c``), as form handlers and lead-to-account matching
  tools write them.
- crm_lead_stage_changes <- ``lead_history`` rows of field ``Status``.
- crm_lead_assignments <- ``lead_history`` rows of field ``Owner`` (the
  ``EntityId`` row of the pair Salesforce writes), with the routing rule
  from the custom field ``Routing_Rule__c`` in force at that moment.
- crm_accounts <- ``account``; crm_users <- ``user`` (team in
  ``department``, region in ``division``).
- crm_deals <- ``opportunity`` (history mode); its originating lead is the
  lead whose ``converted_opportunity_id`` it is, and ``closed_at`` is the
  ``last_stage_change_date`` of a closed opportunity.
- crm_deal_stage_history <- ``opportunity_history``.
- crm_activities <- ``task`` (calls, emails, LinkedIn) and ``event``
  (meetings); an activity on a converted lead's contact belongs to that lead.
- marketing_campaigns <- ``campaign`` (channel in ``type``, platform and
  UTM value in custom fields).

``contact`` and ``campaign_member`` are landed as Fivetran lands them but the
contract needs neither (contacts only to resolve activities to leads).

Vendor facts the data carries on purpose, without changing the story:

- soft deletes: Salesforce keeps deleted records with ``is_deleted = true``
  (the story's own deleted leads, deals and accounts, plus duplicate leads
  merged away, opportunities and tasks created by mistake and deleted).
- history mode: ``lead`` and ``opportunity`` hold earlier versions of a
  record (``_fivetran_active = false``) beside the active one.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np

# The raw contract tables models/adapters/salesforce/ provides (dbt macro salesforce_contract_tables).
CONTRACT_TABLES: tuple[str, ...] = (
    "crm_leads",
    "crm_lead_stage_changes",
    "crm_accounts",
    "crm_users",
    "crm_lead_assignments",
    "crm_activities",
    "crm_deals",
    "crm_deal_stage_history",
    "marketing_campaigns",
)

# KPIs (kpi_monthly.kpi_id) the Salesforce shape cannot carry, with the reason.
UNSUPPORTED_KPIS: dict[str, str] = {}

VENDOR_TABLES: tuple[str, ...] = (
    "user",
    "account",
    "lead",
    "lead_history",
    "contact",
    "opportunity",
    "opportunity_history",
    "task",
    "event",
    "campaign",
    "campaign_member",
)

# Lead Status picklist values for the contract's lifecycle stages.
LEAD_STATUS = {
    "lead": "New",
    "mql": "Marketing Qualified",
    "sql": "Sales Qualified",
    "nurture": "Nurture",
    "disqualified": "Disqualified",
}
# Opportunity StageName picklist values (the adapter reads them back as lower snake case).
OPPORTUNITY_STAGE = {
    "discovery": "Discovery",
    "demo": "Demo",
    "proposal": "Proposal",
    "negotiation": "Negotiation",
    "closed_won": "Closed Won",
    "closed_lost": "Closed Lost",
}
STAGE_PROBABILITY = {
    "discovery": 10,
    "demo": 25,
    "proposal": 50,
    "negotiation": 75,
    "closed_won": 100,
    "closed_lost": 0,
}
TEAM_DEPARTMENT = {"sdr": "SDR", "ae": "AE", "csm": "CSM", "marketing": "Marketing"}
LABEL_OVERRIDES = {"linkedin_ads": "LinkedIn Ads", "linkedin": "LinkedIn"}
# The queue a new lead sits in before routing gives it an owner (old value of the first Owner change).
INBOUND_QUEUE_ID = "00G_inbound_leads"
INTEGRATION_USER_ID = "005_fivetran_integration"
ACTIVE_END = np.datetime64("9999-12-31T23:59:59.999", "us")


def label(code) -> str | None:
    """A contract code as a Salesforce picklist label: 'paid_search' -> 'Paid Search'."""
    if code is None:
        return None
    code = str(code)
    return LABEL_OVERRIDES.get(code, code.replace("_", " ").title())


def _canonical(variants: dict) -> dict[str, str]:
    lookup = {}
    for code, spellings in variants.items():
        lookup[code] = code
        for spelling in spellings:
            lookup[spelling.strip().lower()] = code
    return lookup


def _code(value, lookup: dict[str, str]):
    if value is None:
        return None
    key = str(value).strip().lower()
    return lookup.get(key, key)


class _Writer:
    def __init__(self, out_dir: Path, clock):
        self.root = Path(out_dir) / "salesforce"
        self.clock = clock
        self.counts: dict[str, int] = {}

    # -- column builders: the generator's encoding (days since clock.start, NaN/None null) to Arrow
    def ts(self, days):
        import pyarrow as pa

        days = np.asarray(days, float)
        missing = np.isnan(days)
        values = self.clock.datetime64(np.where(missing, 0, days))
        return pa.array(values, mask=missing, type=pa.timestamp("us"))

    def date(self, days):
        import pyarrow as pa

        days = np.asarray(days, float)
        missing = np.isnan(days)
        base = int(np.datetime64(self.clock.start, "D").astype("int64"))
        whole = np.floor(np.where(missing, 0, days)).astype("int32") + base
        return pa.array(whole, mask=missing, type=pa.int32()).cast(pa.date32())

    @staticmethod
    def text(values):
        import pyarrow as pa

        return pa.array([None if v is None else str(v) for v in values], type=pa.string())

    @staticmethod
    def boolean(values):
        import pyarrow as pa

        return pa.array([None if v is None else bool(v) for v in values], type=pa.bool_())

    @staticmethod
    def integer(values):
        import pyarrow as pa

        values = np.asarray(values, float)
        missing = np.isnan(values)
        return pa.array(np.round(np.where(missing, 0, values)).astype("int64"), mask=missing, type=pa.int64())

    @staticmethod
    def money(values):
        import pyarrow as pa

        out = []
        for v in values:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                out.append(None)
            elif isinstance(v, Decimal):
                out.append(v.quantize(Decimal("0.01")))
            else:
                out.append(Decimal(int(np.round(float(v) * 100))).scaleb(-2))
        return pa.array(out, type=pa.decimal128(18, 2))

    def write(self, name: str, columns: dict) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.parquet"):
            stale.unlink()
        table = pa.table(columns)
        pq.write_table(table, folder / "part-0.parquet")
        self.counts[f"salesforce.{name}"] = table.num_rows


def _obj(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def _history_mode(w: _Writer, columns: dict, synced_days: np.ndarray, versions: list[tuple[np.ndarray, dict]]) -> dict:
    """Add Fivetran history-mode columns, and earlier versions of some rows.

    ``columns`` are the active versions (one per record, synced at
    ``synced_days``).  Each entry of ``versions`` is (row index into the
    active rows, {column: older value}, start day of the older version): the
    older version is a copy of that row with those columns changed, active
    from its start until a millisecond before the next version.
    """
    import pyarrow as pa

    active_start = w.clock.datetime64(synced_days)
    n = len(synced_days)
    rows = {k: [v] for k, v in columns.items()}
    start = [active_start]
    end = [np.full(n, ACTIVE_END)]
    active = [np.ones(n, bool)]
    for index, changes, start_days in versions:
        if not len(index):
            continue
        for name, values in columns.items():
            rows[name].append(changes[name] if name in changes else values.take(pa.array(index)))
        older_start = w.clock.datetime64(start_days)
        start.append(older_start)
        end.append(active_start[index] - np.timedelta64(1000, "us"))
        active.append(np.zeros(len(index), bool))
    out = {
        name: pa.concat_arrays([pa.array(p) if not isinstance(p, pa.Array) else p for p in parts])
        for name, parts in rows.items()
    }
    starts = np.concatenate(start)
    synced = out.pop("_fivetran_synced")
    out["_fivetran_synced"] = pa.concat_arrays(
        [synced.slice(0, n), pa.array(np.concatenate(start[1:]) if len(start) > 1 else [], type=pa.timestamp("us"))]
    )
    out["_fivetran_active"] = pa.array(np.concatenate(active))
    out["_fivetran_start"] = pa.array(starts, type=pa.timestamp("us"))
    out["_fivetran_end"] = pa.array(np.concatenate(end), type=pa.timestamp("us"))
    return out


def write(out_dir: Path, tables: dict, clock) -> dict[str, int]:
    """Write the story's CONTRACT_TABLES in Salesforce's landed shape under out_dir/salesforce/."""

    from leadgen.generate import vocab as V

    rng = np.random.default_rng(20_171)  # the vendor-only extras (deleted and older rows), fixed
    w = _Writer(out_dir, clock)
    lead_stage = _canonical(V.LEAD_STAGE_VARIANTS)
    deal_stage = _canonical(V.DEAL_STAGE_VARIANTS)

    # ------------------------------------------------------------------ user
    users = tables["crm_users"]
    full = [str(x) if x is not None else "" for x in users["full_name"]]
    user_name = dict(zip(users["user_id"], users["full_name"], strict=True))
    w.write(
        "user",
        {
            "id": w.text(users["user_id"]),
            "name": w.text(users["full_name"]),
            "first_name": w.text([f.split(" ", 1)[0] or None for f in full]),
            "last_name": w.text([f.split(" ", 1)[1] if " " in f else None for f in full]),
            "email": w.text(users["email"]),
            "username": w.text(users["email"]),
            "department": w.text([TEAM_DEPARTMENT.get(t, t) for t in users["team"]]),
            "division": w.text(users["region"]),
            "is_active": w.boolean(users["is_active"]),
            "user_type": w.text(["Standard"] * len(full)),
            "_fivetran_synced": w.ts(users["_loaded_at"]),
        },
    )

    # --------------------------------------------------------------- account
    acc = tables["crm_accounts"]
    n_acc = len(acc["account_id"])
    w.write(
        "account",
        {
            "id": w.text(acc["account_id"]),
            "name": w.text(acc["name"]),
            "website": w.text(acc["domain"]),
            "industry": w.text(acc["industry"]),
            "number_of_employees": w.integer(acc["employee_count"]),
            "billing_country_code": w.text(acc["country_code"]),
            "type": w.text(["Prospect"] * n_acc),
            "created_date": w.ts(acc["created_at"]),
            "last_modified_date": w.ts(acc["created_at"]),
            "is_deleted": w.boolean([bool(v) if v is not None else False for v in acc["is_deleted"]]),
            "_fivetran_synced": w.ts(acc["_loaded_at"]),
        },
    )

    # ---------------------------------------------------- conversions (lead -> contact, opportunity)
    leads = tables["crm_leads"]
    deals = tables["crm_deals"]
    lead_ids = _obj(leads["lead_id"])
    n_leads = len(lead_ids)
    lead_row = {lid: i for i, lid in enumerate(lead_ids)}
    converted_opp = np.full(n_leads, None, dtype=object)
    converted_at = np.full(n_leads, np.nan)
    for d, (did, lid) in enumerate(zip(deals["deal_id"], deals["lead_id"], strict=True)):
        if lid is None or lid not in lead_row:
            continue
        i = lead_row[lid]
        if converted_opp[i] is not None:
            raise ValueError(f"lead {lid} originates two deals; Salesforce converts a lead into one opportunity")
        converted_opp[i] = did
        converted_at[i] = deals["created_at"][d]
    converted = np.array([o is not None for o in converted_opp])
    contact_of = np.array([f"ct_{lid}" if c else None for lid, c in zip(lead_ids, converted, strict=True)], object)
    lead_account = _obj(leads["account_id"])
    deal_account = dict(zip(deals["deal_id"], deals["account_id"], strict=True))
    converted_account = np.array([deal_account.get(o) if o is not None else None for o in converted_opp], object)

    # ------------------------------------------------------- lead history: Status
    changes = tables["crm_lead_stage_changes"]
    ch_order = np.lexsort((_obj(changes["change_id"]).astype(str), changes["changed_at"]))
    ch_lead = _obj(changes["lead_id"])[ch_order]
    ch_status = np.array([LEAD_STATUS.get(_code(s, lead_stage), s) for s in changes["stage"][ch_order]], object)
    ch_time = np.asarray(changes["changed_at"], float)[ch_order]
    ch_old = np.full(len(ch_order), None, dtype=object)
    last_status: dict = {}
    last_change_time: dict = {}
    prev_change_time: dict = {}
    prev_status: dict = {}
    for k, (lid, status, t) in enumerate(zip(ch_lead, ch_status, ch_time, strict=True)):
        ch_old[k] = last_status.get(lid)
        if lid in last_status:
            prev_status[lid], prev_change_time[lid] = last_status[lid], last_change_time[lid]
        last_status[lid], last_change_time[lid] = status, t
    history = {
        "id": list(_obj(changes["change_id"])[ch_order]),
        "lead_id": list(ch_lead),
        "created_date": list(ch_time),
        "field": ["Status"] * len(ch_order),
        "data_type": ["Picklist"] * len(ch_order),
        "old_value": list(ch_old),
        "new_value": list(ch_status),
        "synced": list(np.asarray(changes["_loaded_at"], float)[ch_order]),
    }

    # -------------------------------------------- lead history: Owner (and the routing rule)
    asg = tables["crm_lead_assignments"]
    as_order = np.lexsort((_obj(asg["assignment_id"]).astype(str), asg["assigned_at"]))
    last_owner: dict = {}
    last_rule: dict = {}
    for k in as_order:
        lid, owner, t = asg["lead_id"][k], asg["owner_id"][k], float(asg["assigned_at"][k])
        rule, synced = asg["rule"][k], float(asg["_loaded_at"][k])
        old = last_owner.get(lid, INBOUND_QUEUE_ID)
        # Salesforce logs a lookup change twice: the ids (EntityId) and the display names (Text)
        for hid, dtype, old_value, new_value in (
            (asg["assignment_id"][k], "EntityId", old, owner),
            (f"{asg['assignment_id'][k]}_name", "Text", user_name.get(old, "Inbound Leads"), user_name.get(owner)),
        ):
            for key, value in zip(
                ("id", "lead_id", "created_date", "field", "data_type", "old_value", "new_value", "synced"),
                (hid, lid, t, "Owner", dtype, old_value, new_value, synced),
                strict=True,
            ):
                history[key].append(value)
        if last_rule.get(lid) != rule:
            # a custom field's history has a row only when its value changes
            for key, value in zip(
                ("id", "lead_id", "created_date", "field", "data_type", "old_value", "new_value", "synced"),
                (
                    f"{asg['assignment_id'][k]}_rule",
                    lid,
                    t,
                    "Routing_Rule__c",
                    "Picklist",
                    last_rule.get(lid),
                    rule,
                    synced,
                ),
                strict=True,
            ):
                history[key].append(value)
        last_owner[lid], last_rule[lid] = owner, rule

    # ---------------------------------------------------------------- lead
    status_now = np.array([last_status.get(lid) for lid in lead_ids], object)
    rule_now = np.array([last_rule.get(lid) for lid in lead_ids], object)
    lead_deleted = np.array([bool(v) if v is not None else False for v in leads["is_deleted"]])
    first = _obj(leads["first_name"])
    last = _obj(leads["last_name"])
    lead_synced = np.asarray(leads["_loaded_at"], float)
    created = np.asarray(leads["created_at"], float)
    # merged duplicates: a second record of a few live leads, merged into the first and so deleted
    live = np.flatnonzero(~lead_deleted & ~converted)
    dup = np.sort(rng.choice(live, size=min(len(live), max(2, n_leads // 400)), replace=False))
    lead_cols = {
        "id": np.concatenate([lead_ids, _obj([f"{lead_ids[i]}_dup" for i in dup])]),
        "master_record_id": np.concatenate([np.full(n_leads, None, object), lead_ids[dup]]),
        "first_name": np.concatenate([first, first[dup]]),
        "last_name": np.concatenate([last, last[dup]]),
        "name": None,
        "email": np.concatenate([_obj(leads["email"]), _obj(leads["email"])[dup]]),
        "title": np.concatenate([_obj(leads["job_title"]), _obj(leads["job_title"])[dup]]),
        "company": np.concatenate([_obj(leads["company_name"]), _obj(leads["company_name"])[dup]]),
        "website": np.concatenate([_obj(leads["company_domain"]), _obj(leads["company_domain"])[dup]]),
        "industry": np.concatenate([_obj(leads["industry"]), _obj(leads["industry"])[dup]]),
        "number_of_employees": np.concatenate([leads["employee_count"], leads["employee_count"][dup]]),
        "country_code": np.concatenate([_obj(leads["country_code"]), _obj(leads["country_code"])[dup]]),
        "lead_source": np.concatenate([_obj(leads["lead_source"]), _obj(leads["lead_source"])[dup]]),
        "status": np.concatenate([status_now, status_now[dup]]),
        "owner_id": np.concatenate([_obj(leads["owner_id"]), _obj(leads["owner_id"])[dup]]),
        "is_converted": np.concatenate([converted, np.zeros(len(dup), bool)]),
        "converted_date": np.concatenate([converted_at, np.full(len(dup), np.nan)]),
        "converted_account_id": np.concatenate([converted_account, np.full(len(dup), None, object)]),
        "converted_contact_id": np.concatenate([contact_of, np.full(len(dup), None, object)]),
        "converted_opportunity_id": np.concatenate([converted_opp, np.full(len(dup), None, object)]),
        "created_date": np.concatenate([created, created[dup] + 90 / 86400]),
        "last_modified_date": np.concatenate([leads["updated_at"], lead_synced[dup] - 1 / 86400]),
        "is_deleted": np.concatenate([lead_deleted, np.ones(len(dup), bool)]),
        "utm_source__c": np.concatenate([_obj(leads["utm_source"]), _obj(leads["utm_source"])[dup]]),
        "utm_medium__c": np.concatenate([_obj(leads["utm_medium"]), _obj(leads["utm_medium"])[dup]]),
        "utm_campaign__c": np.concatenate([_obj(leads["utm_campaign"]), _obj(leads["utm_campaign"])[dup]]),
        "referred_by_user_id__c": np.concatenate(
            [_obj(leads["referred_by_user_id"]), _obj(leads["referred_by_user_id"])[dup]]
        ),
        "matched_account_id__c": np.concatenate([lead_account, lead_account[dup]]),
        "routing_rule__c": np.concatenate([rule_now, rule_now[dup]]),
    }
    lead_cols["name"] = np.array(
        [
            " ".join(p for p in (f, s) if p) or None
            for f, s in zip(lead_cols["first_name"], lead_cols["last_name"], strict=True)
        ],
        object,
    )
    synced_all = np.concatenate([lead_synced, lead_synced[dup]])
    arrow = {}
    for name, values in lead_cols.items():
        if name in ("converted_date",):
            arrow[name] = w.date(values)
        elif name in ("created_date", "last_modified_date"):
            arrow[name] = w.ts(values)
        elif name == "number_of_employees":
            arrow[name] = w.integer(values)
        elif name in ("is_converted", "is_deleted"):
            arrow[name] = w.boolean(values)
        else:
            arrow[name] = w.text(values)
    arrow["_fivetran_synced"] = w.ts(synced_all)
    # history mode: the version before the latest status change, and before a deletion
    older_status = np.array(
        [i for i, lid in enumerate(lead_ids) if lid in prev_status and prev_change_time[lid] < lead_synced[i] - 0.01],
        dtype=int,
    )
    # (merged duplicates included: live until the merge)
    all_created = np.asarray(lead_cols["created_date"], float)
    deleted_rows = np.flatnonzero(lead_cols["is_deleted"] & (synced_all - all_created > 0.02))
    deleted_rows = np.setdiff1d(deleted_rows, older_status)  # one older version per record
    versions = [
        (
            older_status,
            {
                "status": w.text([prev_status[lead_ids[i]] for i in older_status]),
                "last_modified_date": w.ts([prev_change_time[lead_ids[i]] for i in older_status]),
                # a deletion is a lead's last change: every earlier version is live
                "is_deleted": w.boolean([False] * len(older_status)),
            },
            np.array([prev_change_time[lead_ids[i]] for i in older_status]) + 5 / 1440,
        ),
        (
            deleted_rows,
            {"is_deleted": w.boolean([False] * len(deleted_rows))},
            all_created[deleted_rows] + 0.01,
        ),
    ]
    w.write("lead", _history_mode(w, arrow, synced_all, versions))

    h_time = np.asarray(history["created_date"], float)
    w.write(
        "lead_history",
        {
            "id": w.text(history["id"]),
            "lead_id": w.text(history["lead_id"]),
            "created_by_id": w.text([INTEGRATION_USER_ID] * len(h_time)),
            "created_date": w.ts(h_time),
            "field": w.text(history["field"]),
            "data_type": w.text(history["data_type"]),
            "old_value": w.text(history["old_value"]),
            "new_value": w.text(history["new_value"]),
            "is_deleted": w.boolean([False] * len(h_time)),
            "_fivetran_synced": w.ts(history["synced"]),
        },
    )

    # --------------------------------------------------------------- contact
    conv = np.flatnonzero(converted)
    w.write(
        "contact",
        {
            "id": w.text(contact_of[conv]),
            "account_id": w.text(converted_account[conv]),
            "first_name": w.text(first[conv]),
            "last_name": w.text(last[conv]),
            "email": w.text(_obj(leads["email"])[conv]),
            "title": w.text(_obj(leads["job_title"])[conv]),
            "lead_source": w.text(_obj(leads["lead_source"])[conv]),
            "owner_id": w.text(_obj(leads["owner_id"])[conv]),
            "created_date": w.ts(converted_at[conv]),
            "is_deleted": w.boolean(lead_deleted[conv]),
            "_fivetran_synced": w.ts(np.maximum(lead_synced[conv], converted_at[conv])),
        },
    )

    # ----------------------------------------------------------- opportunity
    n_deals = len(deals["deal_id"])
    deal_ids = _obj(deals["deal_id"])
    stage_code = np.array([_code(s, deal_stage) for s in deals["stage"]], object)
    is_closed = np.isin(stage_code, ("closed_won", "closed_lost"))
    dsh = tables["crm_deal_stage_history"]
    dsh_order = np.lexsort((dsh["entered_at"], _obj(dsh["deal_id"]).astype(str)))
    entries: dict = {}
    for k in dsh_order:
        entries.setdefault(dsh["deal_id"][k], []).append(k)
    last_change = np.array([dsh["entered_at"][entries[d][-1]] if d in entries else np.nan for d in deal_ids], float)
    closed_at = np.asarray(deals["closed_at"], float)
    last_change = np.where(~np.isnan(closed_at), closed_at, np.fmax(last_change, deals["created_at"]))
    close_date = np.where(~np.isnan(closed_at), np.floor(closed_at), deals["expected_close_date"])
    deal_deleted = np.array([bool(v) if v is not None else False for v in deals["is_deleted"]])
    lead_of_deal = _obj(deals["lead_id"])
    contact_of_deal = np.array(
        [contact_of[lead_row[lid]] if lid is not None and lid in lead_row else None for lid in lead_of_deal], object
    )
    deal_synced = np.asarray(deals["_loaded_at"], float)
    # duplicates opened by mistake and deleted minutes later
    mistakes = np.sort(rng.choice(n_deals, size=min(n_deals, max(1, n_deals // 150)), replace=False))
    m = len(mistakes)

    def both(values, extra):
        return np.concatenate([np.asarray(values, dtype=np.asarray(extra).dtype), extra])

    opp = {
        "id": w.text(both(deal_ids, _obj([f"{deal_ids[i]}_dup" for i in mistakes]))),
        "name": w.text(both(_obj(deals["deal_name"]), _obj(deals["deal_name"])[mistakes])),
        "account_id": w.text(both(_obj(deals["account_id"]), _obj(deals["account_id"])[mistakes])),
        "owner_id": w.text(both(_obj(deals["owner_id"]), _obj(deals["owner_id"])[mistakes])),
        "contact_id": w.text(both(contact_of_deal, np.full(m, None, object))),
        "type": w.text(
            both(_obj([label(t) for t in deals["deal_type"]]), _obj([label(deals["deal_type"][i]) for i in mistakes]))
        ),
        "stage_name": w.text(both(_obj([OPPORTUNITY_STAGE.get(s, s) for s in stage_code]), _obj(["Discovery"] * m))),
        "probability": w.integer(
            both(np.array([STAGE_PROBABILITY.get(s, np.nan) for s in stage_code], float), np.full(m, 10.0))
        ),
        "amount": w.money(both(_obj(deals["amount"]), _obj(deals["amount"])[mistakes])),
        "currency_iso_code": w.text(both(_obj(deals["currency_code"]), _obj(deals["currency_code"])[mistakes])),
        "close_date": w.date(both(close_date, np.asarray(deals["expected_close_date"], float)[mistakes])),
        "is_closed": w.boolean(both(is_closed, np.zeros(m, bool))),
        "is_won": w.boolean(both(stage_code == "closed_won", np.zeros(m, bool))),
        "created_date": w.ts(both(deals["created_at"], np.asarray(deals["created_at"], float)[mistakes] + 2 / 1440)),
        "last_modified_date": w.ts(both(last_change, np.asarray(deals["created_at"], float)[mistakes] + 7 / 1440)),
        "last_stage_change_date": w.ts(both(last_change, np.asarray(deals["created_at"], float)[mistakes] + 2 / 1440)),
        "is_deleted": w.boolean(both(deal_deleted, np.ones(m, bool))),
        "_fivetran_synced": None,
    }
    opp_synced = np.concatenate([deal_synced, np.minimum(deal_synced[mistakes], deals["created_at"][mistakes] + 0.01)])
    opp["_fivetran_synced"] = w.ts(opp_synced)
    # history mode: the version before the last stage change of deals that moved
    moved = np.array([i for i, d in enumerate(deal_ids) if len(entries.get(d, ())) >= 2], dtype=int)
    prev_entry = [entries[deal_ids[i]][-2] for i in moved]
    prev_stage = [_code(dsh["stage"][k], deal_stage) for k in prev_entry]
    prev_time = np.array([dsh["entered_at"][k] for k in prev_entry], float)
    keep = prev_time < deal_synced[moved] - 0.01 if len(moved) else np.zeros(0, bool)
    moved, prev_stage, prev_time = moved[keep], list(np.array(prev_stage, object)[keep]), prev_time[keep]
    prev_amount = [dsh["amount"][k] for k in np.array(prev_entry, int)[keep]]
    versions = [
        (
            moved,
            {
                "stage_name": w.text([OPPORTUNITY_STAGE.get(s, s) for s in prev_stage]),
                "probability": w.integer([STAGE_PROBABILITY.get(s, np.nan) for s in prev_stage]),
                "amount": w.money(prev_amount),
                "is_closed": w.boolean([False] * len(moved)),
                "is_won": w.boolean([False] * len(moved)),
                "close_date": w.date(np.asarray(deals["expected_close_date"], float)[moved]),
                "last_modified_date": w.ts(prev_time),
                "last_stage_change_date": w.ts(prev_time),
            },
            prev_time + 3 / 1440,
        )
    ]
    w.write("opportunity", _history_mode(w, opp, opp_synced, versions))

    w.write(
        "opportunity_history",
        {
            "id": w.text([f"oh_{i:08d}" for i in range(len(dsh_order))]),
            "opportunity_id": w.text(_obj(dsh["deal_id"])[dsh_order]),
            "created_by_id": w.text([INTEGRATION_USER_ID] * len(dsh_order)),
            "created_date": w.ts(np.asarray(dsh["entered_at"], float)[dsh_order]),
            "stage_name": w.text([OPPORTUNITY_STAGE.get(_code(s, deal_stage), s) for s in dsh["stage"][dsh_order]]),
            "amount": w.money(_obj(dsh["amount"])[dsh_order]),
            "currency_iso_code": w.text(_obj(dsh["currency_code"])[dsh_order]),
            "probability": w.integer(
                [STAGE_PROBABILITY.get(_code(s, deal_stage), np.nan) for s in dsh["stage"][dsh_order]]
            ),
            "is_deleted": w.boolean([False] * len(dsh_order)),
            "_fivetran_synced": w.ts(np.asarray(dsh["_loaded_at"], float)[dsh_order]),
        },
    )

    # --------------------------------------------------------- task and event
    act = tables["crm_activities"]
    a_type = np.array([str(t) if t is not None else None for t in act["activity_type"]], object)
    a_lead = _obj(act["lead_id"])
    a_deal = _obj(act["deal_id"])
    # on a deal, the person is the contact the lead was converted into
    who = np.array(
        [
            (contact_of[lead_row[lid]] if d is not None and lid in lead_row and contact_of[lead_row[lid]] else lid)
            for lid, d in zip(a_lead, a_deal, strict=True)
        ],
        object,
    )
    is_meeting = a_type == "meeting"
    tk = np.flatnonzero(~is_meeting)
    # calls logged by mistake and deleted: real Salesforce tasks with is_deleted
    junk = np.sort(rng.choice(tk, size=min(len(tk), max(2, len(tk) // 300)), replace=False))
    tk_all = np.concatenate([tk, junk])
    n_junk = len(junk)
    is_call = a_type[tk_all] == "call"
    when = np.asarray(act["occurred_at"], float)[tk_all]
    direction = _obj(act["direction"])[tk_all]
    outcome = _obj(act["outcome"])[tk_all]
    w.write(
        "task",
        {
            "id": w.text(
                np.concatenate(
                    [_obj(act["activity_id"])[tk], _obj([f"{a}_del" for a in _obj(act["activity_id"])[junk]])]
                )
            ),
            "who_id": w.text(who[tk_all]),
            "what_id": w.text(a_deal[tk_all]),
            "owner_id": w.text(_obj(act["owner_id"])[tk_all]),
            "subject": w.text([label(t) for t in a_type[tk_all]]),
            "type": w.text([label(t) for t in a_type[tk_all]]),
            "task_subtype": w.text([{"call": "Call", "email": "Email"}.get(t, "Task") for t in a_type[tk_all]]),
            "status": w.text(["Completed"] * len(tk_all)),
            "activity_date": w.date(when),
            "completed_date_time": w.ts(when + np.concatenate([np.zeros(len(tk)), np.full(n_junk, 1 / 1440)])),
            "call_type": w.text([label(d) if c else None for d, c in zip(direction, is_call, strict=True)]),
            "call_disposition": w.text([o if c else None for o, c in zip(outcome, is_call, strict=True)]),
            "direction__c": w.text([None if c else d for d, c in zip(direction, is_call, strict=True)]),
            "outcome__c": w.text([None if c else o for o, c in zip(outcome, is_call, strict=True)]),
            "created_date": w.ts(when),
            "is_deleted": w.boolean(np.concatenate([np.zeros(len(tk), bool), np.ones(n_junk, bool)])),
            "_fivetran_synced": w.ts(np.asarray(act["_loaded_at"], float)[tk_all]),
        },
    )
    ev = np.flatnonzero(is_meeting)
    start = np.asarray(act["occurred_at"], float)[ev]
    w.write(
        "event",
        {
            "id": w.text(_obj(act["activity_id"])[ev]),
            "who_id": w.text(who[ev]),
            "what_id": w.text(a_deal[ev]),
            "owner_id": w.text(_obj(act["owner_id"])[ev]),
            "subject": w.text(["Meeting"] * len(ev)),
            "type": w.text(["Meeting"] * len(ev)),
            "event_subtype": w.text(["Event"] * len(ev)),
            "start_date_time": w.ts(start),
            "end_date_time": w.ts(start + 30 / 1440),
            "activity_date_time": w.ts(start),
            "activity_date": w.date(start),
            "duration_in_minutes": w.integer(np.full(len(ev), 30.0)),
            "direction__c": w.text(_obj(act["direction"])[ev]),
            "outcome__c": w.text(_obj(act["outcome"])[ev]),
            "created_date": w.ts(start - 1),
            "is_deleted": w.boolean(np.zeros(len(ev), bool)),
            "_fivetran_synced": w.ts(np.asarray(act["_loaded_at"], float)[ev]),
        },
    )

    # -------------------------------------------------- campaign and members
    camp = tables["marketing_campaigns"]
    n_camp = len(camp["campaign_id"])
    # a campaign created twice by mistake, the copy deleted
    gone = np.append(np.arange(n_camp), int(rng.integers(n_camp)))
    budget = _obj(camp["budget"])[gone]
    end_date = np.asarray(camp["end_date"], float)[gone]
    w.write(
        "campaign",
        {
            "id": w.text(np.append(_obj(camp["campaign_id"]), f"{camp['campaign_id'][gone[-1]]}_del")),
            "name": w.text(_obj(camp["campaign_name"])[gone]),
            "type": w.text([label(c) for c in _obj(camp["channel"])[gone]]),
            "status": w.text(["Completed" if not np.isnan(e) else "In Progress" for e in end_date]),
            "is_active": w.boolean([bool(np.isnan(e)) for e in end_date]),
            "start_date": w.date(np.asarray(camp["start_date"], float)[gone]),
            "end_date": w.date(end_date),
            "budgeted_cost": w.money(budget),
            "currency_iso_code": w.text(_obj(camp["currency_code"])[gone]),
            "ad_platform__c": w.text([None if p == "none" else label(p) for p in _obj(camp["platform"])[gone]]),
            "utm_campaign__c": w.text(_obj(camp["utm_campaign"])[gone]),
            "is_deleted": w.boolean(np.arange(len(gone)) >= n_camp),
            "_fivetran_synced": w.ts(np.asarray(camp["_loaded_at"], float)[gone]),
        },
    )
    _campaign_members(w, tables, camp, leads, contact_of, lead_row)
    return dict(w.counts)


def _campaign_members(w: _Writer, tables: dict, camp: dict, leads: dict, contact_of, lead_row: dict) -> None:
    """Who responded to which campaign: a lead whose form carried the campaign's utm_campaign, a lead emailed."""
    utm_campaign = {
        str(u).strip().lower(): c
        for u, c in zip(camp["utm_campaign"], camp["campaign_id"], strict=True)
        if u is not None
    }
    members: dict = {}
    for i, u in enumerate(leads["utm_campaign"]):
        c = utm_campaign.get(str(u).strip().lower()) if u is not None else None
        if c is not None:
            t = float(leads["created_at"][i])
            members[(c, leads["lead_id"][i])] = ["Responded", t, t, float(leads["_loaded_at"][i])]
    email = tables.get("email_events")
    if email is not None:
        for c, lid, kind, t, synced in zip(
            email["campaign_id"],
            email["lead_id"],
            email["event_type"],
            email["occurred_at"],
            email["_loaded_at"],
            strict=True,
        ):
            if lid is None or c is None or lid not in lead_row or np.isnan(t):
                continue
            key = (c, lid)
            entry = members.setdefault(key, ["Sent", float(t), np.nan, float(synced)])
            entry[1] = min(entry[1], float(t))
            entry[3] = max(entry[3], float(synced))
            if str(kind).strip().lower() in ("clicked", "click") and entry[0] != "Responded":
                entry[0], entry[2] = "Responded", float(t)
    keys = sorted(members, key=lambda k: (members[k][1], k))
    rows = [members[k] for k in keys]
    w.write(
        "campaign_member",
        {
            "id": w.text([f"cm_{i:08d}" for i in range(len(keys))]),
            "campaign_id": w.text([k[0] for k in keys]),
            "lead_id": w.text([k[1] for k in keys]),
            "contact_id": w.text([contact_of[lead_row[k[1]]] for k in keys]),
            "status": w.text([r[0] for r in rows]),
            "has_responded": w.boolean([r[0] == "Responded" for r in rows]),
            "created_date": w.ts([r[1] for r in rows]),
            "first_responded_date": w.date([r[2] for r in rows]),
            "is_deleted": w.boolean([False] * len(keys)),
            "_fivetran_synced": w.ts([r[3] for r in rows]),
        },
    )
