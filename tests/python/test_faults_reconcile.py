"""The reconciliation of the hostile-value faults, on hand-made warehouses (no dbt).

`leadgen validate faults` must pass when staging did what docs/raw_contract.md
("Hostile values") says and fail, naming the fault, when it did not: a
redelivered rate that is not usable erasing the good one, a row loaded in the
future moving the as-of date, a row quarantined under another reason.
"""

from __future__ import annotations

import duckdb
import pytest

from leadgen.validate.faults import reconcile

AS_OF = "2026-10-31"
GOOD_RATES = {"2025-01-01|EUR": 1.0838, "2025-02-01|GBP": 1.2611, "2025-03-01|CAD": 0.7133}
REASONS = {"2025-01-01|EUR": "non_finite_value", "2025-02-01|GBP": "invalid_rate", "2025-03-01|CAD": "invalid_rate"}
MANIFEST = {
    "faults": [
        {
            "table": "fx_rates",
            "fault": "invalid_rate_redelivery",
            "count": 3,
            "keys": sorted(GOOD_RATES),
            "staged_rate": GOOD_RATES,
            "reason": REASONS,
        },
        {
            "table": "fx_rates",
            "fault": "non_finite_value",
            "count": 3,
            "keys": ["2019-11-01|USD", "2019-12-01|GBP", "2020-01-01|AUD"],
        },
        {
            "table": "crm_users",
            "fault": "loaded_in_future",
            "count": 2,
            "keys": ["u1-fut0", "u2-fut1"],
            "as_of_date": AS_OF,
        },
        {"table": "web_events", "fault": "null_loaded_at", "count": 2, "keys": ["e1-nla0", "e2-nla1"]},
        {"table": "ad_spend", "fault": "negative_count", "count": 1, "keys": ["2026-05-30|google_ads|cmp_0003-neg0"]},
    ]
}


def _warehouse(path, *, quarantined=None, staged_rates=None, as_of=AS_OF):
    """A warehouse holding only what the reconciliation reads, as a correct build leaves it unless told otherwise."""
    if quarantined is None:
        quarantined = [("fx_rates", key, reason) for key, reason in REASONS.items()]
        quarantined += [
            ("fx_rates", key, "non_finite_value") for key in ("2019-11-01|USD", "2019-12-01|GBP", "2020-01-01|AUD")
        ]
        quarantined += [
            ("crm_users", "u1-fut0", "loaded_in_future"),
            ("crm_users", "u2-fut1", "loaded_in_future"),
            ("web_events", "e1-nla0", "null_loaded_at"),
            ("web_events", "e2-nla1", "null_loaded_at"),
            ("ad_spend", "2026-05-30|google_ads|cmp_0003-neg0", "negative_count"),
        ]
    staged_rates = GOOD_RATES if staged_rates is None else staged_rates
    with duckdb.connect(str(path)) as con:
        con.execute("create schema staging; create schema utilities")
        con.execute("create table staging.staging_row_accounting (source_table varchar, duplicate_rows bigint)")
        con.execute(
            "create table staging.quarantine_rows (source_table varchar, natural_key varchar,"
            " quarantine_reason varchar)"
        )
        con.executemany("insert into staging.quarantine_rows values (?, ?, ?)", quarantined)
        con.execute(
            "create table staging.stg_finance__fx_rates (rate_month date, currency_code varchar, usd_per_unit double)"
        )
        con.executemany(
            "insert into staging.stg_finance__fx_rates values (?, ?, ?)",
            [(*key.split("|"), rate) for key, rate in staged_rates.items()],
        )
        con.execute(
            "create table utilities.util_as_of_date as"
            f" select date '{as_of}' as as_of_date, 'greatest _loaded_at of the raw tables' as as_of_source"
        )
    return path


def _results(path) -> dict[tuple[str, str], object]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {(r.fault, r.table): r for r in reconcile(con, MANIFEST)}


def test_a_build_that_handles_every_hostile_value_passes(tmp_path):
    results = _results(_warehouse(tmp_path / "w.duckdb"))
    assert all(r.ok and r.found == r.injected for r in results.values()), [r.line() for r in results.values()]


@pytest.mark.parametrize(
    "staged",
    [
        {**GOOD_RATES, "2025-02-01|GBP": 0.0},  # the newer, unusable copy won
        {**GOOD_RATES, "2025-01-01|EUR": float("nan")},
        {k: v for k, v in GOOD_RATES.items() if k != "2025-03-01|CAD"},  # the key lost its rate
    ],
    ids=["zero-staged", "nan-staged", "rate-gone"],
)
def test_a_redelivery_that_erased_the_good_rate_fails(staged, tmp_path):
    result = _results(_warehouse(tmp_path / "w.duckdb", staged_rates=staged))[("invalid_rate_redelivery", "fx_rates")]
    assert not result.ok and "lost their good rate" in result.detail


def test_a_redelivery_quarantined_under_another_reason_fails(tmp_path):
    quarantined = [("fx_rates", key, "invalid_rate") for key in REASONS]  # the NaN copy must say non_finite_value
    result = _results(_warehouse(tmp_path / "w.duckdb", quarantined=quarantined))[
        ("invalid_rate_redelivery", "fx_rates")
    ]
    assert not result.ok and result.detail.startswith("1 redeliveries not quarantined")


def test_rows_loaded_in_the_future_that_moved_the_as_of_date_fail(tmp_path):
    result = _results(_warehouse(tmp_path / "w.duckdb", as_of="2200-03-04"))[("loaded_in_future", "crm_users")]
    assert not result.ok and "2200-03-04" in result.detail


def test_a_hostile_row_quarantined_under_another_key_or_reason_fails(tmp_path):
    quarantined = [
        ("web_events", "e1-nla0", "null_loaded_at"),
        ("web_events", "e2-nla1", "null_timestamp"),
        ("ad_spend", "2026-05-30|google_ads|cmp_0003-other", "negative_count"),
    ]
    results = _results(_warehouse(tmp_path / "w.duckdb", quarantined=quarantined))
    assert not results[("null_loaded_at", "web_events")].ok and results[("null_loaded_at", "web_events")].found == 1
    assert not results[("negative_count", "ad_spend")].ok
    assert not results[("non_finite_value", "fx_rates")].ok
