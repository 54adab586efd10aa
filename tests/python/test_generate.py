"""The generator: contract schema, determinism, a believable funnel, a complete fault manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from leadgen.contract import EMAIL_EVENT_TYPES, LEAD_SOURCES, TABLES, TABLES_BY_NAME, arrow_schema
from leadgen.generate import DEFAULT_AS_OF, FAULT_TYPES, generate

SMALL = 0.02


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    counts = generate(out, scale=0.25, seed=7)
    return out, counts


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    out = tmp_path_factory.mktemp("faulty")
    counts = generate(out, scale=SMALL, seed=11, faults=True)
    return out, counts


def _digest(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(pq.read_table(p).to_pandas().to_csv().encode()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


def _sql(folder, query: str):
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"create view {table.name} as select * from read_parquet('{folder}/{table.name}/*.parquet')")
    return con.execute(query).fetchall()


def test_every_table_has_the_contract_schema(clean):
    out, counts = clean
    assert set(counts) == {t.name for t in TABLES}
    for table in TABLES:
        files = list((out / table.name).glob("*.parquet"))
        assert files, table.name
        for f in files:
            assert pq.read_schema(f).remove_metadata() == arrow_schema(table.name), table.name
        assert counts[table.name] > 0, table.name


def test_same_seed_same_data(tmp_path):
    generate(tmp_path / "a", scale=SMALL, seed=3, faults=True)
    generate(tmp_path / "b", scale=SMALL, seed=3, faults=True)
    generate(tmp_path / "c", scale=SMALL, seed=4, faults=True)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert (tmp_path / "a" / "_faults.json").read_text() == (tmp_path / "b" / "_faults.json").read_text()
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_streamed_web_events_do_not_depend_on_the_chunk_size(tmp_path, monkeypatch):
    """web_events is made and written a chunk of rows at a time: a referrer from
    the chunk before, an id or a session across a boundary, are made as in one go."""
    import leadgen.generate._base as base

    generate(tmp_path / "whole", scale=SMALL, seed=5)
    monkeypatch.setattr(base, "CHUNK_ROWS", 997)
    generate(tmp_path / "chunked", scale=SMALL, seed=5)
    whole = pq.read_table(tmp_path / "whole" / "web_events")
    chunked = pq.ParquetFile(tmp_path / "chunked" / "web_events" / "part-0.parquet")
    assert chunked.metadata.num_row_groups > 10  # really chunked
    assert chunked.read().equals(whole)


def test_regenerating_replaces_the_files_and_a_clean_set_has_no_manifest(tmp_path):
    generate(tmp_path, scale=SMALL, seed=3, faults=True)
    assert (tmp_path / "_faults.json").exists()
    generate(tmp_path, scale=SMALL, seed=3)
    assert not (tmp_path / "_faults.json").exists()
    assert all(len(list((tmp_path / t.name).glob("*.parquet"))) == 1 for t in TABLES)


def test_scale_sets_the_size(clean):
    _, counts = clean
    assert 4_000 <= counts["crm_leads"] <= 6_000  # 20k leads at scale 1
    assert 200_000 <= counts["web_events"] <= 400_000  # about 1M at scale 1


def test_funnel_rates_are_in_the_expected_ranges(clean):
    out, _ = clean
    # only leads old enough to have moved on (90 days before the as-of date)
    cutoff = DEFAULT_AS_OF - dt.timedelta(days=90)
    [(visitors, web_leads)] = _sql(
        out,
        """
        select
            count(distinct anonymous_id) filter (
                where not regexp_matches(lower(user_agent), 'bot|spider|crawl|headless')
            ),
            count(distinct lead_id)
        from web_events
    """,
    )
    [(leads, mqls, sqls_from_mql, opportunities, sqls)] = _sql(
        out,
        f"""
        with stages as (
            select lead_id, lower(trim(stage)) as stage from crm_lead_stage_changes
        ),
        mql as (select distinct lead_id from stages where stage in ('mql', 'marketing qualified lead')),
        sqls as (select distinct lead_id from stages where stage in ('sql', 'sales qualified')),
        cohort as (select lead_id from crm_leads where created_at < date '{cutoff}')
        select
            count(*),
            count(*) filter (where lead_id in (select lead_id from mql)),
            count(*) filter (where lead_id in (select lead_id from mql) and lead_id in (select lead_id from sqls)),
            count(*) filter (where lead_id in (select lead_id from sqls)
                             and lead_id in (select lead_id from crm_deals)),
            count(*) filter (where lead_id in (select lead_id from sqls))
        from cohort
    """,
    )
    [(won, closed)] = _sql(
        out,
        """
        select count(*) filter (where lower(stage) in ('closed_won', 'closed won', 'won')),
               count(*) filter (where closed_at is not null)
        from crm_deals
    """,
    )
    assert 0.01 <= web_leads / visitors <= 0.03
    assert 0.20 <= mqls / leads <= 0.40
    assert 0.30 <= sqls_from_mql / mqls <= 0.50
    assert 0.50 <= opportunities / sqls <= 0.70
    assert 0.20 <= won / closed <= 0.30


def test_loaded_at_is_after_the_event_and_ends_on_the_as_of_day(clean):
    out, _ = clean
    [(latest,)] = _sql(out, "select max(_loaded_at) from web_events")
    assert latest.date() == DEFAULT_AS_OF
    for table in TABLES:
        [(late,)] = _sql(out, f"select count(*) from {table.name} where _loaded_at >= date '{DEFAULT_AS_OF}' + 1")
        assert late == 0, table.name
        if table.event_time and table.name != "billing_invoices":
            [(early,)] = _sql(out, f"select count(*) from {table.name} where _loaded_at < {table.event_time}")
            assert early == 0, table.name


def test_the_clean_set_has_no_duplicate_keys(clean):
    out, _ = clean
    for table in TABLES:
        key = ", ".join(table.key)
        [(dupes,)] = _sql(
            out, f"select count(*) from (select {key} from {table.name} group by {key} having count(*) > 1)"
        )
        assert dupes == 0, table.name


def test_fault_manifest_covers_every_fault_with_consistent_counts(faulty):
    out, counts = faulty
    manifest = json.loads((out / "_faults.json").read_text())
    assert manifest["seed"] == 11 and manifest["as_of"] == DEFAULT_AS_OF.isoformat()
    entries = manifest["faults"]
    assert {e["fault"] for e in entries} == set(FAULT_TYPES)
    for e in entries:
        assert e["count"] >= 3, e["table"] + "/" + e["fault"]
        assert e["keys"] == sorted(e["keys"]), e["fault"]
        if e["fault"] == "null_key":
            assert e["keys"] == []
        elif e["fault"] in ("duplicate_delivery", "ad_spend_restated"):
            assert len(e["keys"]) <= e["count"]  # one key may be delivered more than twice
        elif e["table"] != "crm_lead_stage_changes" and e["fault"] not in ("bot_user_agent", "null_session_id"):
            assert len(e["keys"]) == e["count"], e["table"] + "/" + e["fault"]
    # every table gets duplicate deliveries and null keys; the key column really is null or blank
    for table in TABLES:
        assert {"duplicate_delivery", "null_key"} <= {e["fault"] for e in entries if e["table"] == table.name}
        key = table.key[0]
        [(blank,)] = _sql(
            out, f"select count(*) from {table.name} where nullif(trim(cast({key} as varchar)), '') is null"
        )
        [null_keys] = [e["count"] for e in entries if e["table"] == table.name and e["fault"] == "null_key"]
        assert blank == null_keys, table.name
    # duplicated keys in the data are exactly the ones the manifest names
    for table in TABLES:
        key = ", ".join(table.key)
        [(extra,)] = _sql(
            out,
            f"""
            select coalesce(sum(n - 1), 0) from (
                select count(*) as n from {table.name} where {table.key[0]} is not null
                group by {key} having count(*) > 1)
        """,
        )
        expected = sum(
            e["count"]
            for e in entries
            if e["table"] == table.name
            and e["fault"] in ("duplicate_delivery", "ad_spend_restated", "invalid_rate_redelivery")
        )
        assert extra == expected, table.name


def _entry(entries, fault: str, table: str) -> dict:
    [entry] = [e for e in entries if e["fault"] == fault and e["table"] == table]
    return entry


def _in(keys) -> str:
    return ", ".join("'" + k.replace("'", "''") + "'" for k in keys)


@pytest.mark.parametrize(("scale", "seed"), [(0.01, 2), (0.01, 11), (0.02, 2), (0.02, 5), (0.05, 7)])
def test_stage_log_faults_land_on_live_leads_and_small_tables_have_room(scale, seed, tmp_path):
    """The stage-log faults are checked in the marts, which only live leads reach; a small
    table gets room for its faults (these data sets once put a fault on a soft-deleted
    lead, or stopped the generator)."""
    generate(tmp_path, scale=scale, seed=seed, faults=True)
    entries = json.loads((tmp_path / "_faults.json").read_text())["faults"]
    assert {e["fault"] for e in entries} == set(FAULT_TYPES)
    assert all(e["count"] >= 3 for e in entries)
    stage_leads = sorted(
        {
            k
            for e in entries
            if e["table"] == "crm_lead_stage_changes" and e["fault"].startswith("stage")
            for k in e["keys"]
        }
    )
    [(dead,)] = _sql(
        tmp_path,
        f"""
        select count(*) from crm_leads where lead_id in ({_in(stage_leads)})
        and (coalesce(is_deleted, false)
             or regexp_matches(lower(trim(email)), '@(leadgen[.]internal|example[.]test|mailinator[.]com)$'))
    """,
    )
    assert dead == 0, "a stage-log fault landed on a soft-deleted or internal test lead"
    [(live,)] = _sql(tmp_path, f"select count(distinct lead_id) from crm_leads where lead_id in ({_in(stage_leads)})")
    assert live == len(stage_leads)
    out_of_order = _entry(entries, "stage_log_out_of_order", "crm_lead_stage_changes")["keys"]
    [(with_lead_entry,)] = _sql(
        tmp_path,
        f"""
        select count(distinct lead_id) from crm_lead_stage_changes
        where lead_id in ({_in(out_of_order)}) and lower(trim(stage)) = 'lead'
    """,
    )
    assert with_lead_entry == len(out_of_order)


def test_hostile_values_are_injected_as_described(faulty):
    out, _ = faulty
    entries = json.loads((out / "_faults.json").read_text())["faults"]

    def keyed(table: str, columns: str, keys, key_sql: str | None = None) -> list[tuple]:
        key_sql = key_sql or TABLES_BY_NAME[table].key[0]
        return _sql(out, f"select {columns} from {table} where {key_sql} in ({_in(keys)}) order by all")

    # NaN and both infinities, each under a key of its own
    entry = _entry(entries, "non_finite_value", "fx_rates")
    rates = keyed("fx_rates", "usd_per_unit", entry["keys"], "cast(month as varchar) || '|' || currency_code")
    assert entry["count"] == len(rates) == 3
    values = [r[0] for r in rates]
    assert sum(v != v for v in values) == 1 and sorted(v for v in values if v == v) == [float("-inf"), float("inf")]

    # a later, unusable delivery of a good rate; the manifest holds the good rate and the reason
    entry = _entry(entries, "invalid_rate_redelivery", "fx_rates")
    assert entry["count"] == len(entry["keys"]) >= 3
    rows = keyed(
        "fx_rates",
        "cast(month as varchar) || '|' || currency_code, usd_per_unit, _loaded_at",
        entry["keys"],
        "cast(month as varchar) || '|' || currency_code",
    )
    assert len(rows) == 2 * entry["count"]
    for key in entry["keys"]:
        first, later = sorted((r for r in rows if r[0] == key), key=lambda r: r[2])
        assert first[2] < later[2] and first[1] == entry["staged_rate"][key] > 0
        bad = later[1]
        assert entry["reason"][key] == ("non_finite_value" if bad != bad else "invalid_rate")
        assert bad != bad or bad <= 0
    assert set(entry["reason"].values()) == {"non_finite_value", "invalid_rate"}

    # money above the plausible bound, exact to the cent, in DECIMAL(18,2)
    for table, column in (("crm_deals", "amount"), ("billing_invoices", "amount"), ("ad_spend", "spend")):
        entry = _entry(entries, "implausible_amount", table)
        key_sql = (
            None if table != "ad_spend" else "cast(report_date as varchar) || '|' || platform || '|' || campaign_id"
        )
        amounts = [r[0] for r in keyed(table, column, entry["keys"], key_sql)]
        assert entry["count"] == len(amounts) == 3
        assert all(a > Decimal(10_000_000_000) for a in amounts)
        assert Decimal("9999999999999999.99") in amounts

    # loads without a time, and loads in 2200 that leave the as-of day where it was
    for table in ("crm_users", "web_events"):
        entry = _entry(entries, "null_loaded_at", table)
        assert [r[0] for r in keyed(table, "_loaded_at", entry["keys"])] == [None] * entry["count"]
    for table in ("crm_users", "product_events"):
        entry = _entry(entries, "loaded_in_future", table)
        loads = [r[0] for r in keyed(table, "_loaded_at", entry["keys"])]
        assert len(loads) == entry["count"] == 3 and all(load.year == 2200 for load in loads)
        assert entry["as_of_date"] == DEFAULT_AS_OF.isoformat()
    loads = " union all ".join(
        f"select max(_loaded_at) as latest from {t.name} where _loaded_at < timestamp '2100-01-01'" for t in TABLES
    )
    [(latest,)] = _sql(out, f"select max(latest) from ({loads})")
    assert latest.date() == DEFAULT_AS_OF

    # negative counts
    entry = _entry(entries, "negative_count", "ad_spend")
    counts = keyed(
        "ad_spend",
        "impressions, clicks",
        entry["keys"],
        "cast(report_date as varchar) || '|' || platform || '|' || campaign_id",
    )
    assert len(counts) == 3 and all(min(c) < 0 for c in counts)
    assert any(c[0] < 0 for c in counts) and any(c[1] < 0 for c in counts)
    entry = _entry(entries, "negative_count", "social_post_metrics")
    likes = keyed("social_post_metrics", "likes", entry["keys"], "post_id || '|' || cast(metric_date as varchar)")
    assert len(likes) == 3 and all(r[0] < 0 for r in likes)

    # codes and emails wrapped in whitespace a plain trim misses; Python's strip() is Unicode-aware
    wraps = set()
    for table, code, email, values in (
        ("crm_leads", "lead_source", "email", LEAD_SOURCES),
        ("email_events", "event_type", "recipient_email", EMAIL_EVENT_TYPES),
    ):
        entry = _entry(entries, "unicode_whitespace_codes", table)
        rows = keyed(table, f"{code}, {email}", entry["keys"])
        assert len(rows) == entry["count"] >= 3
        for raw_code, raw_email in rows:
            assert raw_code != raw_code.strip() and raw_code.strip().lower() in values
            assert raw_email != raw_email.strip() and "@" in raw_email.strip() and " " not in raw_email.strip()
            wraps |= {c for c in raw_code + raw_email if c.isspace()}
    assert {"\t", "\n", "\u00a0", "\u3000"} <= wraps

    # emails with a misplaced dot in the domain
    entry = _entry(entries, "email_double_dot", "crm_leads")
    emails = [r[0] for r in keyed("crm_leads", "email", entry["keys"])]
    assert len(emails) == entry["count"] == 3
    domains = [e.partition("@")[2] for e in emails]
    assert sum(".." in d for d in domains) == 1 and sum(d.startswith(".") for d in domains) == 1
    assert sum(d.endswith(".") for d in domains) == 1
