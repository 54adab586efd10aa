"""`leadgen load` lands raw Parquet in PostgreSQL value for value, and names the culprit when it cannot.

Runs against a throwaway PostgreSQL 15 (leadgen.pgserver): the machine image's
server binaries, or LEADGEN_PG_BIN.
"""

from __future__ import annotations

import decimal
import math

import psycopg2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadgen.load import LoadError, load
from leadgen.pgserver import dsn, throwaway_server


@pytest.fixture(scope="module")
def server():
    with throwaway_server() as env:
        yield dsn(env)


def _fetch(dsn: str, sql: str) -> list[tuple]:
    with psycopg2.connect(dsn) as con, con.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _write(folder, name: str, table: pa.Table) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / name)


def test_values_round_trip_and_extra_columns_land(server, tmp_path):
    raw = tmp_path / "it's raw"  # a quote in the path must not break the SQL
    fx = pa.table(
        {
            "month": pa.array([None, None, None, None], pa.date32()),
            "currency_code": ["EUR", "", None, 'a,"b"'],
            "usd_per_unit": [float("nan"), float("inf"), float("-inf"), 1.25],
            "_loaded_at": pa.array([None] * 4, pa.timestamp("us")),
        }
    )
    _write(raw / "fx_rates", "part-0.parquet", fx)
    # a later file with a column beyond the contract, as a CRM custom field
    later = fx.slice(3).append_column("rate_source", pa.array(["ecb"]))
    _write(raw / "fx_rates", "part-1.parquet", later)

    assert load(raw, tables=["fx_rates"], batch_rows=2, dsn=server) == 5
    rows = _fetch(server, "select currency_code, usd_per_unit, rate_source from raw.fx_rates order by 2, 1")
    codes = [r[0] for r in rows]
    assert "" in codes and None in codes and 'a,"b"' in codes  # empty text stays distinct from null
    values = [r[1] for r in rows]
    assert any(math.isnan(v) for v in values) and math.inf in values and -math.inf in values
    assert sorted(r[2] for r in rows if r[2]) == ["ecb"]
    types = dict(
        _fetch(
            server,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'fx_rates'",
        )
    )
    assert types["usd_per_unit"] == "double precision" and types["month"] == "date"


def test_money_keeps_its_contract_type(server, tmp_path):
    raw = tmp_path / "raw"
    spend = pa.table(
        {
            "spend_date": pa.array([None], pa.date32()),
            "spend": pa.array([decimal.Decimal("9999999999999999.99")], pa.decimal128(18, 2)),
        }
    )
    _write(raw / "ad_spend", "part-0.parquet", spend)
    load(raw, tables=["ad_spend"], dsn=server)
    assert _fetch(server, "select spend from raw.ad_spend") == [(decimal.Decimal("9999999999999999.99"),)]


def test_a_value_that_does_not_fit_the_contract_names_table_and_column(server, tmp_path):
    raw = tmp_path / "raw"
    _write(raw / "crm_accounts", "part-0.parquet", pa.table({"account_id": ["a1"], "employee_count": ["many"]}))
    with pytest.raises(LoadError, match=r"crm_accounts: values of employee_count \(INTEGER, 1 rows\)"):
        load(raw, tables=["crm_accounts"], dsn=server)


def test_a_failed_load_leaves_the_previous_table_whole(server, tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    _write(good / "crm_users", "part-0.parquet", pa.table({"user_id": ["u1", "u2"]}))
    _write(bad / "crm_users", "part-0.parquet", pa.table({"user_id": ["u3"], "is_active": ["perhaps"]}))
    load(good, tables=["crm_users"], dsn=server)
    with pytest.raises(LoadError):
        load(bad, tables=["crm_users"], dsn=server)
    assert _fetch(server, "select user_id from raw.crm_users order by 1") == [("u1",), ("u2",)]


def test_a_schema_name_that_is_not_an_identifier_is_refused(server, tmp_path):
    with pytest.raises(LoadError, match="schema 'raw; drop table x' is not a plain lowercase SQL identifier"):
        load(tmp_path, schema="raw; drop table x", dsn=server)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_throwaway_server_stops_and_leaves_nothing_when_the_block_fails():
    from pathlib import Path

    seen = {}
    with pytest.raises(RuntimeError, match="boom"), throwaway_server() as env:
        seen["port"], seen["root"] = int(env["PGPORT"]), Path(env["LEADGEN_PG_ROOT"])
        assert _listening(seen["port"]) and seen["root"].is_dir()
        raise RuntimeError("boom")
    assert not _listening(seen["port"])
    assert not seen["root"].exists()


def test_a_reload_keeps_the_views_on_the_table_and_adds_new_columns(server, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _write(first / "crm_lead_assignments", "part-0.parquet", pa.table({"assignment_id": ["a1", "a2"]}))
    _write(second / "crm_lead_assignments", "part-0.parquet", pa.table({"assignment_id": ["a3"], "region": ["emea"]}))
    load(first, tables=["crm_lead_assignments"], dsn=server)
    with psycopg2.connect(server) as con, con.cursor() as cur:  # dbt's staging views read the raw tables
        cur.execute("create view public.assignments_view as select assignment_id from raw.crm_lead_assignments")
    load(second, tables=["crm_lead_assignments"], dsn=server)
    assert _fetch(server, "select assignment_id from public.assignments_view") == [("a3",)]
    assert _fetch(server, "select region from raw.crm_lead_assignments") == [("emea",)]
    # a column whose type changed cannot be refilled under the view: the error says which
    third = pa.table({"assignment_id": ["a4"], "region": [7]})  # a custom column outside the contract changed type
    _write(tmp_path / "third" / "crm_lead_assignments", "part-0.parquet", third)
    with pytest.raises(LoadError, match=r"region \(text -> bigint\)"):
        load(tmp_path / "third", tables=["crm_lead_assignments"], dsn=server)
    assert _fetch(server, "select assignment_id from public.assignments_view") == [("a3",)]
