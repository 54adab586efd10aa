"""HubSpot as its Fivetran connector lands it: the generator's writer (see leadgen.vendors).

The story's CRM and email tables are written as the tables Fivetran's HubSpot
connector creates (its published schema: ``contact`` with ``property_*``
columns, ``contact_property_history``, ``company``, ``deal``, ``deal_stage``,
``engagement`` with one table per engagement type, ``email_event``, ...), under
``out_dir/hubspot/<table>/part-0.parquet``.  models/adapters/hubspot/ maps
them back onto the raw contract; tests/python/test_crm_hubspot.py checks that
the same story gives the same kpi_monthly in both shapes.

Choices the writer makes, and the adapter relies on:

- Object ids are the story's ids (HubSpot's are numbers; Fivetran lands them
  as BIGINT): the web tracker, the product and billing refer to leads and
  accounts by these ids, so they must survive the round trip.  The adapter
  casts every id to text, so numeric ids read the same way.
- Codes are HubSpot's internal values (lifecycle stages, lead statuses, call
  dispositions, meeting outcomes, email event types), not the contract's
  words; the contract's spelling variants are folded back to the canonical
  code first, since HubSpot stores option values exactly.
- Lifecycle stages: lead, mql and sql are ``lifecyclestage`` changes;
  nurture and disqualified, which are no lifecycle stages in HubSpot, are
  ``hs_lead_status`` changes (BAD_TIMING, UNQUALIFIED).  Every contact also
  gets the status NEW at creation, which the adapter leaves out.
- Lead routing: each assignment is a ``hubspot_owner_id`` change; the
  routing rule is the workflow that made it (source AUTOMATION_PLATFORM,
  source_id the workflow's name), a manual one a CRM_UI change.
- Vendor facts that are not part of the story: a few duplicate contacts
  merged into a story lead (``contact_merge_audit``, and
  ``property_hs_calculated_merged_vids`` on the survivor), one of the
  survivor's activities logged on the duplicate before the merge; a few
  contacts and deals created by mistake and deleted (``_fivetran_deleted``,
  ``is_deleted``).  The adapter collapses the duplicates onto the survivor
  and marks the deleted records ``is_deleted``, so none of them reaches a mart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# The raw contract tables models/adapters/hubspot/ provides (dbt macro hubspot_contract_tables).
CONTRACT_TABLES: tuple[str, ...] = (
    "crm_leads",
    "crm_lead_stage_changes",
    "crm_accounts",
    "crm_users",
    "crm_lead_assignments",
    "crm_activities",
    "crm_deals",
    "crm_deal_stage_history",
    "email_events",
)

# KPIs (kpi_id -> why) the HubSpot shape cannot carry: the same story gives a
# different kpi_monthly for them.  tests/python/test_crm_hubspot.py checks each
# listed KPI really differs, so the list cannot hide a KPI that works.
UNSUPPORTED_KPIS: dict[str, str] = {}

PORTAL_ID = 4_021_733
EMAIL_APP_ID = 113  # HubSpot's id of its marketing email tool

LIFECYCLE_STAGES = {"lead": "lead", "mql": "marketingqualifiedlead", "sql": "salesqualifiedlead"}
LEAD_STATUSES = {"nurture": "BAD_TIMING", "disqualified": "UNQUALIFIED"}
# HubSpot's default call outcomes (hs_call_disposition holds their ids)
CALL_DISPOSITIONS = {
    "connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "no_answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0",
}
MEETING_OUTCOMES = {"attended": "COMPLETED", "no_show": "NO_SHOW", "scheduled": "SCHEDULED"}
ENGAGEMENT_TYPES = {"call": "CALL", "email": "EMAIL", "meeting": "MEETING", "linkedin": "COMMUNICATION"}
EMAIL_EVENT_TYPES = {
    "sent": "SENT",
    "delivered": "DELIVERED",
    "bounced": "BOUNCE",
    "opened": "OPEN",
    "clicked": "CLICK",
    "complained": "SPAMREPORT",
    "unsubscribed": "STATUSCHANGE",
}
DEAL_STAGES = (  # (stage id, label, display order, probability, closed won)
    ("discovery", "appointmentscheduled", "Discovery", 0, 0.1),
    ("demo", "qualifiedtobuy", "Demo", 1, 0.2),
    ("proposal", "presentationscheduled", "Proposal", 2, 0.4),
    ("negotiation", "contractsent", "Negotiation", 3, 0.8),
    ("closed_won", "closedwon", "Closed Won", 4, 1.0),
    ("closed_lost", "closedlost", "Closed Lost", 5, 0.0),
)
DEAL_TYPES = {"new_business": "newbusiness", "expansion": "existingbusiness", "renewal": "renewal"}
TEAM_LABELS = {"sdr": "SDR", "ae": "AE", "csm": "CSM", "marketing": "Marketing"}


def write(out_dir: Path, tables: dict, clock) -> dict[str, int]:
    """Write the story's CONTRACT_TABLES in HubSpot's landed shape under out_dir/hubspot/."""
    import pyarrow.parquet as pq

    shaped = HubSpotShape(tables, clock).tables()
    root = Path(out_dir) / "hubspot"
    counts = {}
    for name, table in shaped.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.parquet"):
            stale.unlink()
        pq.write_table(table, folder / "part-0.parquet")
        counts[f"hubspot.{name}"] = table.num_rows
    return counts


# --------------------------------------------------------------------------- values


def canonical(values, variants: dict[str, tuple[str, ...]]) -> np.ndarray:
    """The contract's code for each value as the story typed it (case, spaces and known spellings folded)."""
    lookup = {}
    for code, spellings in variants.items():
        lookup[code] = code
        for spelling in spellings:
            lookup[spelling.strip().lower()] = code
    out = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        key = str(value).strip().lower()
        out.append(lookup.get(key, lookup.get(key.replace(" ", "_"), key)))
    return np.array(out, dtype=object)


def _mapped(values, mapping: dict) -> np.ndarray:
    return np.array([None if v is None else mapping[v] for v in values], dtype=object)


def _present(values) -> np.ndarray:
    """Whether each value of a text column is given."""
    return np.array([v is not None for v in values], dtype=bool)


class HubSpotShape:
    """The story's contract-shaped frames, re-cut into the tables Fivetran's HubSpot connector lands."""

    def __init__(self, tables: dict, clock):
        from leadgen.generate import vocab

        self.t = tables
        self.clock = clock
        self.v = vocab
        self.rng = np.random.default_rng(20_261_204)
        self.out: dict = {}

    # ---- arrow columns
    def ts(self, days):
        import pyarrow as pa

        days = np.asarray(days, dtype=float)
        missing = np.isnan(days)
        micros = np.round(np.where(missing, 0, days) * 86_400_000_000).astype("int64")
        base = int((np.datetime64(self.clock.start, "us") - np.datetime64(0, "us")).astype("int64"))
        return pa.array(micros + base, mask=missing, type=pa.int64()).cast(pa.timestamp("us"))

    @staticmethod
    def text(values):
        import pyarrow as pa

        return pa.array([None if v is None else str(v) for v in values], type=pa.string())

    @staticmethod
    def number(values):
        import pyarrow as pa

        values = np.asarray(values, dtype=float)
        return pa.array(np.where(np.isnan(values), 0, values), mask=np.isnan(values), type=pa.float64())

    @staticmethod
    def integer(values):
        import pyarrow as pa

        return pa.array(np.asarray(values, dtype="int64"), type=pa.int64())

    @staticmethod
    def boolean(values):
        import pyarrow as pa

        return pa.array([None if v is None else bool(v) for v in values], type=pa.bool_())

    def add(self, table: str, /, **columns) -> None:
        import pyarrow as pa

        self.out[table] = pa.table(columns)

    def tables(self) -> dict:
        self.owners()
        self.companies()
        merged = self.contacts()
        self.contact_history()
        self.deals()
        self.engagements(merged)
        self.email()
        return self.out

    # ---- owners and their teams (crm_users)
    def owners(self) -> None:
        u = self.t["crm_users"]
        n = len(u["user_id"])
        first = np.array([None if f is None else f.split(" ", 1)[0] for f in u["full_name"]], dtype=object)
        last = np.array(
            [None if f is None or " " not in f else f.split(" ", 1)[1] for f in u["full_name"]], dtype=object
        )
        user_ids = np.array([f"hsu_{o}" for o in u["user_id"]], dtype=object)
        created = np.full(n, -400.0)
        self.add(
            "owner",
            owner_id=self.text(u["user_id"]),
            active_user_id=self.text(user_ids),
            user_id_including_inactive=self.text(user_ids),
            email=self.text(u["email"]),
            first_name=self.text(first),
            last_name=self.text(last),
            type=self.text(np.full(n, "PERSON", dtype=object)),
            is_active=self.boolean(u["is_active"]),
            created_at=self.ts(created),
            updated_at=self.ts(u["_loaded_at"] - 1 / 1440),
            portal_id=self.integer(np.full(n, PORTAL_ID)),
            _fivetran_synced=self.ts(u["_loaded_at"]),
        )
        teams = [f"{TEAM_LABELS.get(t, t)} - {r}" for t, r in zip(u["team"], u["region"], strict=True)]
        names = sorted(set(teams))
        team_ids = {name: f"{9_100 + i}" for i, name in enumerate(names)}
        synced = float(np.min(u["_loaded_at"]))
        self.add(
            "team",
            id=self.text([team_ids[t] for t in names]),
            name=self.text(names),
            _fivetran_synced=self.ts(np.full(len(names), synced)),
        )
        self.add(
            "team_user",
            team_id=self.text([team_ids[t] for t in teams]),
            user_id=self.text(user_ids),
            is_secondary_user=self.boolean(np.zeros(n, bool)),
            _fivetran_synced=self.ts(u["_loaded_at"]),
        )

    # ---- companies (crm_accounts)
    def companies(self) -> None:
        a = self.t["crm_accounts"]
        n = len(a["account_id"])
        self.add(
            "company",
            id=self.text(a["account_id"]),
            portal_id=self.integer(np.full(n, PORTAL_ID)),
            is_deleted=self.boolean([v is True for v in a["is_deleted"]]),
            property_name=self.text(a["name"]),
            property_domain=self.text(a["domain"]),
            property_industry=self.text(a["industry"]),
            property_numberofemployees=self.number(a["employee_count"]),
            property_country=self.text(a["country_code"]),
            property_createdate=self.ts(a["created_at"]),
            _fivetran_synced=self.ts(a["_loaded_at"]),
        )

    # ---- contacts (crm_leads), with duplicates merged away and mistakes deleted
    def contacts(self) -> dict:
        lead = self.t["crm_leads"]
        n = len(lead["lead_id"])
        rng = self.rng
        deleted = np.array([v is True for v in lead["is_deleted"]])
        acts = self.t["crm_activities"]
        with_activity = {lid for lid in acts["lead_id"] if lid is not None}
        candidates = np.flatnonzero(~deleted & _present(lead["email"]) & np.isin(lead["lead_id"], list(with_activity)))
        survivors = np.sort(rng.choice(candidates, size=min(len(candidates), max(3, n // 80)), replace=False))
        m = len(survivors)
        loser_ids = np.array([f"ctm_{i:07d}" for i in range(1, m + 1)], dtype=object)
        # the activity logged on the duplicate: the survivor's first one
        first_activity = {}
        for i in np.argsort(acts["occurred_at"], kind="stable"):
            lid = acts["lead_id"][i]
            if lid is not None and lid not in first_activity:
                first_activity[lid] = i
        moved_activity = np.array([first_activity[lid] for lid in lead["lead_id"][survivors]])
        end = self.clock.end - 1 / 86400
        merged_at = np.minimum(acts["occurred_at"][moved_activity] + 1 / 24, end)
        loser_created = np.maximum(lead["created_at"][survivors] - rng.uniform(20, 200, m), 0.0)
        loser_synced = np.minimum(loser_created + 0.02, merged_at)
        loser_email = [
            f"{e.strip().lower().split('@')[0]}.{k}@gmail.com" for k, e in enumerate(lead["email"][survivors])
        ]
        merged_vids = np.full(n, None, dtype=object)
        for s, loser, at in zip(survivors, loser_ids, merged_at, strict=True):
            epoch_ms = int(round((at * 86400 + _epoch_seconds(self.clock)) * 1000))
            merged_vids[s] = f"{loser}:{epoch_ms}"

        # contacts created by mistake (a test import) and deleted again
        k = 3
        mistake_ids = np.array([f"ctd_{i:07d}" for i in range(1, k + 1)], dtype=object)
        mistake_created = np.sort(rng.uniform(30, self.clock.end - 30, k))

        stages = self.current_stages()
        lifecycle = np.array([stages[0].get(lid) for lid in lead["lead_id"]], dtype=object)
        status = np.array([stages[1].get(lid, "NEW") for lid in lead["lead_id"]], dtype=object)

        def col(values, loser_values, mistake_values):
            return np.concatenate(
                [np.asarray(values, dtype=object), np.asarray(loser_values, dtype=object), mistake_values]
            )

        none_m = np.full(m, None, dtype=object)
        none_k = np.full(k, None, dtype=object)
        s = survivors
        numbers = np.concatenate([lead["employee_count"], lead["employee_count"][s], np.full(k, np.nan)])
        created = np.concatenate([lead["created_at"], loser_created, mistake_created])
        updated = np.concatenate([lead["updated_at"], loser_synced - 0.001, mistake_created + 0.5])
        synced = np.concatenate([lead["_loaded_at"], loser_synced, mistake_created + 0.6])
        self.add(
            "contact",
            id=self.text(col(lead["lead_id"], loser_ids, mistake_ids)),
            _fivetran_deleted=self.boolean(np.concatenate([deleted, np.zeros(m, bool), np.ones(k, bool)])),
            _fivetran_synced=self.ts(synced),
            property_createdate=self.ts(created),
            property_lastmodifieddate=self.ts(updated),
            property_email=self.text(
                col(lead["email"], loser_email, [f"import.test{i}@example.org" for i in range(k)])
            ),
            property_firstname=self.text(col(lead["first_name"], lead["first_name"][s], none_k)),
            property_lastname=self.text(col(lead["last_name"], lead["last_name"][s], none_k)),
            property_jobtitle=self.text(col(lead["job_title"], lead["job_title"][s], none_k)),
            property_company=self.text(col(lead["company_name"], lead["company_name"][s], none_k)),
            property_website=self.text(col(lead["company_domain"], lead["company_domain"][s], none_k)),
            property_associatedcompanyid=self.text(col(lead["account_id"], none_m, none_k)),
            property_country=self.text(col(lead["country_code"], lead["country_code"][s], none_k)),
            property_industry=self.text(col(lead["industry"], lead["industry"][s], none_k)),
            property_employee_count=self.number(numbers),
            property_lead_source=self.text(col(lead["lead_source"], lead["lead_source"][s], ["list_import"] * k)),
            property_utm_source=self.text(col(lead["utm_source"], none_m, none_k)),
            property_utm_medium=self.text(col(lead["utm_medium"], none_m, none_k)),
            property_utm_campaign=self.text(col(lead["utm_campaign"], none_m, none_k)),
            property_referred_by_user_id=self.text(col(lead["referred_by_user_id"], none_m, none_k)),
            property_hubspot_owner_id=self.text(col(lead["owner_id"], lead["owner_id"][s], none_k)),
            property_lifecyclestage=self.text(col(lifecycle, np.full(m, "lead", dtype=object), ["lead"] * k)),
            property_hs_lead_status=self.text(col(status, np.full(m, "NEW", dtype=object), ["NEW"] * k)),
            property_hs_calculated_merged_vids=self.text(col(merged_vids, none_m, none_k)),
        )
        self.add(
            "contact_merge_audit",
            contact_id=self.text(lead["lead_id"][s]),
            canonical_vid=self.text(lead["lead_id"][s]),
            vid_to_merge=self.text(loser_ids),
            timestamp=self.ts(merged_at),
            entity_id=self.text([f"{PORTAL_ID}-{v}" for v in loser_ids]),
            user_id=self.text([f"hsu_{o}" if o is not None else None for o in lead["owner_id"][s]]),
            first_name=self.text(lead["first_name"][s]),
            last_name=self.text(lead["last_name"][s]),
            num_properties_moved=self.integer(rng.integers(3, 25, m)),
            _fivetran_synced=self.ts(np.maximum(lead["_loaded_at"][s], merged_at)),
        )
        return {"activity": moved_activity, "loser": loser_ids}

    def current_stages(self) -> tuple[dict, dict]:
        """Each lead's lifecycle stage and lead status after its last change."""
        ch = self.t["crm_lead_stage_changes"]
        stage = canonical(ch["stage"], self.v.LEAD_STAGE_VARIANTS)
        lifecycle, status = {}, {}
        for i in np.argsort(ch["changed_at"], kind="stable"):
            if stage[i] in LIFECYCLE_STAGES:
                lifecycle[ch["lead_id"][i]] = LIFECYCLE_STAGES[stage[i]]
            elif stage[i] in LEAD_STATUSES:
                status[ch["lead_id"][i]] = LEAD_STATUSES[stage[i]]
        return lifecycle, status

    # ---- contact_property_history: lifecycle stages, lead statuses, owners
    def contact_history(self) -> None:
        ch = self.t["crm_lead_stage_changes"]
        stage = canonical(ch["stage"], self.v.LEAD_STAGE_VARIANTS)
        lifecycle = np.isin(stage, list(LIFECYCLE_STAGES))
        name_stage = np.where(lifecycle, "lifecyclestage", "hs_lead_status").astype(object)
        value_stage = np.array(
            [LIFECYCLE_STAGES.get(s) or LEAD_STATUSES.get(s) for s in stage],
            dtype=object,
        )
        lead = self.t["crm_leads"]
        asg = self.t["crm_lead_assignments"]
        rule = canonical(asg["rule"], {})
        automated = rule != "manual"
        parts = [
            # every contact starts with the lead status NEW (not a contract stage: the adapter leaves it out)
            (lead["lead_id"], "hs_lead_status", np.full(len(lead["lead_id"]), "NEW", dtype=object),
             lead["created_at"], "CRM_UI", None, lead["_loaded_at"]),
            (ch["lead_id"], name_stage, value_stage, ch["changed_at"], "AUTOMATION_PLATFORM",
             np.full(len(stage), "lifecycle_sync", dtype=object), ch["_loaded_at"]),
            (asg["lead_id"], "hubspot_owner_id", asg["owner_id"], asg["assigned_at"],
             np.where(automated, "AUTOMATION_PLATFORM", "CRM_UI").astype(object),
             np.where(automated, rule, None).astype(object), asg["_loaded_at"]),
        ]  # fmt: skip
        columns = {"contact_id": [], "name": [], "value": [], "timestamp": [], "source": [], "source_id": []}
        synced = []
        for who, name, value, when, source, source_id, loaded in parts:
            k = len(who)
            columns["contact_id"].append(np.asarray(who, dtype=object))
            columns["name"].append(np.broadcast_to(np.asarray(name, dtype=object), (k,)))
            columns["value"].append(np.asarray(value, dtype=object))
            columns["timestamp"].append(np.asarray(when, dtype=float))
            columns["source"].append(np.broadcast_to(np.asarray(source, dtype=object), (k,)))
            columns["source_id"].append(np.broadcast_to(np.asarray(source_id, dtype=object), (k,)))
            synced.append(np.asarray(loaded, dtype=float))
        flat = {key: np.concatenate(values) for key, values in columns.items()}
        self.add(
            "contact_property_history",
            contact_id=self.text(flat["contact_id"]),
            name=self.text(flat["name"]),
            value=self.text(flat["value"]),
            timestamp=self.ts(flat["timestamp"]),
            source=self.text(flat["source"]),
            source_id=self.text(flat["source_id"]),
            _fivetran_synced=self.ts(np.concatenate(synced)),
        )

    # ---- deals: the deal, its pipeline, its stage history, associations, amount history
    def deals(self) -> None:
        d = self.t["crm_deals"]
        n = len(d["deal_id"])
        stage = canonical(d["stage"], self.v.DEAL_STAGE_VARIANTS)
        stage_id = {s[0]: s[1] for s in DEAL_STAGES}
        deleted = np.array([v is True for v in d["is_deleted"]])
        closed = np.isin(stage, ("closed_won", "closed_lost"))
        # HubSpot's closedate is the expected close date while the deal is open, the close once it closes
        closedate = np.where(closed & ~np.isnan(d["closed_at"]), d["closed_at"], d["expected_close_date"])
        # deals created by mistake and deleted: on a story account, never with a stage history
        k = 2
        rng = self.rng
        mistake = rng.choice(n, size=min(k, n), replace=False) if n else np.array([], int)
        k = len(mistake)
        ids = np.concatenate([d["deal_id"], np.array([f"dlx_{i:05d}" for i in range(1, k + 1)], dtype=object)])
        created = np.concatenate([d["created_at"], d["created_at"][mistake] + 0.01])
        synced = np.concatenate([d["_loaded_at"], np.minimum(d["created_at"][mistake] + 0.02, self.clock.end - 1e-5)])
        self.add(
            "deal",
            deal_id=self.text(ids),
            portal_id=self.integer(np.full(n + k, PORTAL_ID)),
            deal_pipeline_id=self.text(np.full(n + k, "default", dtype=object)),
            deal_pipeline_stage_id=self.text(
                np.concatenate([_mapped(stage, stage_id), np.full(k, "appointmentscheduled", dtype=object)])
            ),
            owner_id=self.text(np.concatenate([d["owner_id"], d["owner_id"][mistake]])),
            is_deleted=self.boolean(np.concatenate([deleted, np.ones(k, bool)])),
            property_dealname=self.text(np.concatenate([d["deal_name"], d["deal_name"][mistake]])),
            property_dealtype=self.text(
                _mapped(canonical(np.concatenate([d["deal_type"], d["deal_type"][mistake]]), {}), DEAL_TYPES)
            ),
            property_createdate=self.ts(created),
            property_closedate=self.ts(np.concatenate([closedate, np.full(k, np.nan)])),
            property_amount=self.number(np.concatenate([d["amount"], np.full(k, np.nan)])),
            property_deal_currency_code=self.text(np.concatenate([d["currency_code"], d["currency_code"][mistake]])),
            property_hs_is_closed=self.boolean(np.concatenate([closed, np.zeros(k, bool)])),
            _fivetran_synced=self.ts(synced),
        )
        self.add(
            "deal_pipeline",
            pipeline_id=self.text(["default"]),
            label=self.text(["Sales Pipeline"]),
            active=self.boolean([True]),
            display_order=self.integer([0]),
            _fivetran_deleted=self.boolean([False]),
            _fivetran_synced=self.ts([0.0]),
        )
        self.add(
            "deal_pipeline_stage",
            stage_id=self.text([s[1] for s in DEAL_STAGES]),
            pipeline_id=self.text(["default"] * len(DEAL_STAGES)),
            label=self.text([s[2] for s in DEAL_STAGES]),
            display_order=self.integer([s[3] for s in DEAL_STAGES]),
            probability=self.number([s[4] for s in DEAL_STAGES]),
            closed_won=self.boolean([s[0] == "closed_won" for s in DEAL_STAGES]),
            active=self.boolean([True] * len(DEAL_STAGES)),
            _fivetran_deleted=self.boolean([False] * len(DEAL_STAGES)),
            _fivetran_synced=self.ts(np.zeros(len(DEAL_STAGES))),
        )
        has_lead = _present(d["lead_id"])
        self.add(
            "deal_contact",
            deal_id=self.text(d["deal_id"][has_lead]),
            contact_id=self.text(d["lead_id"][has_lead]),
            category=self.text(np.full(int(has_lead.sum()), "HUBSPOT_DEFINED", dtype=object)),
            type_id=self.integer(np.full(int(has_lead.sum()), 3)),
            _fivetran_synced=self.ts(d["_loaded_at"][has_lead]),
        )
        all_account = np.concatenate([d["account_id"], d["account_id"][mistake]])
        has_account = _present(all_account)
        self.add(
            "deal_company",
            deal_id=self.text(ids[has_account]),
            company_id=self.text(all_account[has_account]),
            category=self.text(np.full(int(has_account.sum()), "HUBSPOT_DEFINED", dtype=object)),
            type_id=self.integer(np.full(int(has_account.sum()), 5)),
            _fivetran_synced=self.ts(synced[has_account]),
        )
        h = self.t["crm_deal_stage_history"]
        m = len(h["deal_id"])
        h_stage = canonical(h["stage"], self.v.DEAL_STAGE_VARIANTS)
        self.add(
            "deal_stage",
            deal_id=self.text(h["deal_id"]),
            value=self.text(_mapped(h_stage, stage_id)),
            date_entered=self.ts(h["entered_at"]),
            source=self.text(np.full(m, "CRM_UI", dtype=object)),
            source_id=self.text(np.full(m, None, dtype=object)),
            _fivetran_start=self.ts(h["entered_at"]),
            _fivetran_synced=self.ts(h["_loaded_at"]),
        )
        # the amount as it stood when the deal entered each stage
        amount = np.asarray(h["amount"], dtype=float)
        self.add(
            "deal_property_history",
            deal_id=self.text(h["deal_id"]),
            name=self.text(np.full(m, "amount", dtype=object)),
            value=self.text(["" if np.isnan(a) else f"{a:.2f}" for a in amount]),
            timestamp=self.ts(h["entered_at"]),
            source=self.text(np.full(m, "CRM_UI", dtype=object)),
            source_id=self.text(np.full(m, None, dtype=object)),
            _fivetran_synced=self.ts(h["_loaded_at"]),
        )

    # ---- engagements (crm_activities)
    def engagements(self, merged: dict) -> None:
        a = self.t["crm_activities"]
        n = len(a["activity_id"])
        kind = canonical(a["activity_type"], {})
        outcome = canonical(a["outcome"], self.v.OUTCOME_VARIANTS)
        direction = canonical(a["direction"], {})
        self.add(
            "engagement",
            id=self.text(a["activity_id"]),
            # an email the lead sent us is its own engagement type in HubSpot
            type=self.text(
                np.where(
                    (kind == "email") & (direction == "inbound"), "INCOMING_EMAIL", _mapped(kind, ENGAGEMENT_TYPES)
                )
            ),
            timestamp=self.ts(a["occurred_at"]),
            created_at=self.ts(a["occurred_at"]),
            last_updated=self.ts(a["_loaded_at"] - 1e-6),
            owner_id=self.text(a["owner_id"]),
            portal_id=self.integer(np.full(n, PORTAL_ID)),
            active=self.boolean(np.ones(n, bool)),
            _fivetran_synced=self.ts(a["_loaded_at"]),
        )

        def detail(table, where, **columns):
            self.add(
                table,
                engagement_id=self.text(a["activity_id"][where]),
                **columns,
                _fivetran_synced=self.ts(a["_loaded_at"][where]),
            )

        call = np.flatnonzero(kind == "call")
        detail(
            "engagement_call",
            call,
            property_hs_call_direction=self.text([d.upper() for d in direction[call]]),
            property_hs_call_disposition=self.text(_mapped(outcome[call], CALL_DISPOSITIONS)),
            property_hs_call_status=self.text(np.full(len(call), "COMPLETED", dtype=object)),
            property_hs_timestamp=self.ts(a["occurred_at"][call]),
        )
        meeting = np.flatnonzero(kind == "meeting")
        detail(
            "engagement_meeting",
            meeting,
            property_hs_meeting_outcome=self.text(_mapped(outcome[meeting], MEETING_OUTCOMES)),
            property_hs_meeting_start_time=self.ts(a["occurred_at"][meeting]),
            property_hs_meeting_end_time=self.ts(a["occurred_at"][meeting] + 1 / 48),
            property_hs_timestamp=self.ts(a["occurred_at"][meeting]),
        )
        email = np.flatnonzero(kind == "email")
        inbound = direction[email] == "inbound"
        detail(
            "engagement_email",
            email,
            property_hs_email_direction=self.text(np.where(inbound, "INCOMING_EMAIL", "EMAIL").astype(object)),
            property_hs_email_status=self.text(np.where(outcome[email] == "bounced", "BOUNCED", "SENT").astype(object)),
            # HubSpot keeps no reply flag on a logged email: the team ticks this custom activity property
            property_reply_received=self.boolean(outcome[email] == "replied"),
            property_hs_timestamp=self.ts(a["occurred_at"][email]),
        )
        linkedin = np.flatnonzero(kind == "linkedin")
        detail(
            "engagement_communication",
            linkedin,
            property_hs_communication_channel_type=self.text(np.full(len(linkedin), "LINKEDIN_MESSAGE", dtype=object)),
            property_hs_communication_logged_from=self.text(np.full(len(linkedin), "CRM", dtype=object)),
            property_reply_received=self.boolean(outcome[linkedin] == "replied"),
            property_hs_timestamp=self.ts(a["occurred_at"][linkedin]),
        )
        contact = np.asarray(a["lead_id"], dtype=object).copy()
        contact[merged["activity"]] = merged["loser"]  # logged on the duplicate before the merge
        has_contact = _present(contact)
        self.add(
            "engagement_contact",
            engagement_id=self.text(a["activity_id"][has_contact]),
            contact_id=self.text(contact[has_contact]),
            _fivetran_synced=self.ts(a["_loaded_at"][has_contact]),
        )
        has_deal = _present(a["deal_id"])
        self.add(
            "engagement_deal",
            engagement_id=self.text(a["activity_id"][has_deal]),
            deal_id=self.text(a["deal_id"][has_deal]),
            _fivetran_synced=self.ts(a["_loaded_at"][has_deal]),
        )

    # ---- marketing email (email_events)
    def email(self) -> None:
        e = self.t["email_events"]
        c = self.t["marketing_campaigns"]
        kind = canonical(e["event_type"], self.v.EMAIL_EVENT_VARIANTS)
        sent = np.flatnonzero(np.isin(c["campaign_id"], list(set(e["campaign_id"]) - {None})))
        email_campaign_id = {cid: f"{70_000_000 + i}" for i, cid in enumerate(c["campaign_id"][sent])}
        self.add(
            "email_campaign",
            id=self.text([email_campaign_id[cid] for cid in c["campaign_id"][sent]]),
            app_id=self.integer(np.full(len(sent), EMAIL_APP_ID)),
            app_name=self.text(np.full(len(sent), "Batch", dtype=object)),
            name=self.text(c["campaign_name"][sent]),
            subject=self.text([f"{name}: what's new" for name in c["campaign_name"][sent]]),
            type=self.text(np.full(len(sent), "BATCH_EMAIL", dtype=object)),
            _fivetran_synced=self.ts(c["_loaded_at"][sent]),
        )
        n = len(e["event_id"])
        self.add(
            "email_event",
            id=self.text(e["event_id"]),
            type=self.text(_mapped(kind, EMAIL_EVENT_TYPES)),
            created=self.ts(e["occurred_at"]),
            recipient=self.text(e["recipient_email"]),
            email_campaign_id=self.text([email_campaign_id.get(cid) for cid in e["campaign_id"]]),
            portal_id=self.integer(np.full(n, PORTAL_ID)),
            app_id=self.integer(np.full(n, EMAIL_APP_ID)),
            filtered_event=self.boolean(np.zeros(n, bool)),
            _fivetran_synced=self.ts(e["_loaded_at"]),
        )
        change = np.flatnonzero(kind == "unsubscribed")
        self.add(
            "email_event_status_change",
            id=self.text(e["event_id"][change]),
            source=self.text(np.full(len(change), "SOURCE_RECIPIENT", dtype=object)),
            requested_by=self.text(e["recipient_email"][change]),
            portal_subscription_status=self.text(np.full(len(change), "UNSUBSCRIBED", dtype=object)),
            bounced=self.boolean(np.zeros(len(change), bool)),
            _fivetran_synced=self.ts(e["_loaded_at"][change]),
        )


def _epoch_seconds(clock) -> float:
    import datetime as dt

    return (dt.datetime.combine(clock.start, dt.time()) - dt.datetime(1970, 1, 1)).total_seconds()
