"""The generator's output, pinned: the same seed gives exactly these tables.

A refactoring of leadgen.generate must not change a single value or the order
of the random draws.  Each case generates a small data set and compares a
sha256 per table (over every value of every column, in file order) and of the
fault manifest with the constants below, recorded with the code as it was
before the split of the generator into modules (issue #20).  A deliberate
change to the story or the faults updates these constants in the same commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pyarrow.parquet as pq
import pytest

from leadgen.contract import TABLES
from leadgen.generate import generate

CASES = {
    "clean-0.01-seed1": dict(scale=0.01, seed=1, faults=False),
    "faults-0.02-seed42": dict(scale=0.02, seed=42, faults=True),
    "faults-0.01-seed7-as-of-2025-06-15": dict(scale=0.01, seed=7, faults=True, as_of=dt.date(2025, 6, 15)),
}

EXPECTED: dict[str, dict[str, str]] = {
    "clean-0.01-seed1": {
        "crm_leads": "6282d91c564da447cdcaa2ac63896c3f3810fc004d856812d4a69494a6835594",
        "crm_lead_stage_changes": "40c6fed2a2f7f8cd55088ca4b8de5c3ba339f54034b0dfdcfaaf0aaf4cd7400b",
        "crm_accounts": "9efef2d0754750780cde878e5e5e25910e8a1bef26178531a4064f88e74e137b",
        "crm_users": "544457311ebb6b1e7be64056195efd10f899fb75395db1508875cc9d6c7680cf",
        "crm_lead_assignments": "44942e437dec63571ee176225ee6cc2ec83a61ae745d36306884193db952a931",
        "crm_activities": "8522d7926e5f5dbedfc2a986bf07accf934441072bbaf4db3af674eb1df18188",
        "crm_deals": "ecfdab62aae6b080b9775d56f08ae65878952a298131d6c6709c209f8e3b723e",
        "crm_deal_stage_history": "1240477606d3746303937e8d31c64be4c18c1071999902304b244402485ad185",
        "marketing_campaigns": "bfc1791d3e1fd0d444e65b88b2eda939556d4ff24be1ec6fdbe8c7b714ab3758",
        "ad_spend": "7e79b6924f112865c3a71dfde4232de93135ff22c39f13bfaa0c7eb162d0ad85",
        "marketing_expenses": "6746972558a1d6d8cae7b87cfe8ceb2bc300d58f93bceed28fb0906cb36373fe",
        "fx_rates": "ebb756b00cb01125d2acca359f4d43020ac4fc9c6ab409365ca23e1ec67fa47d",
        "web_events": "2cc45a13f5b34d20802bdbbacafc57093d7245d914be2737ffe8425c4d2fda21",
        "email_events": "603868f57ea08300eb783afcea3a765ed8e66f34e800bc53d2f0d4c405ab157e",
        "newsletter_subscriptions": "f5fa618b7991db1c1a5a13d2d15eb98eebe2ff1effda4f16e8a268b0f31071c4",
        "social_post_metrics": "9b8446222f96bbbd9d2fc80c09e0846528f0dbf3de4fe844edf08d0513af3981",
        "app_users": "40427e7ec8580e49e6dcc94c0ca4f0da990b8e74010209d2249dba9ea779905d",
        "product_events": "f09c9454d74e132a6b7a0cbb9c803d7b36e197ae6934c2b6d821b2c33fc4edb6",
        "referral_invites": "c96f612cd97a6fb7aa2d11a3a7f51f903ff2c8fec09332eacbea719051309576",
        "billing_subscriptions": "66aa8d1cb206b54f90317a5f5c08ffbab2e3f73b591db336a1aa9e7256785bcf",
        "billing_invoices": "357bdf98711f97176d088abdb3e9d5f2a28cdb3be454cd378822b32f0ead57d3",
        "_faults.json": "absent",
    },
    "faults-0.01-seed7-as-of-2025-06-15": {
        "crm_leads": "e30385012d06c12468576984359ed9cef30e94a3b5ccd85c9f44b9031084f47c",
        "crm_lead_stage_changes": "1ff4b7ec48f259897a6b577d386d9c98ef2544f185f2be48164b9a5bbfa57795",
        "crm_accounts": "528d919b86bcb4915dde231e2082cc64d81c3c2cf8503df4cebf59210e879bb6",
        "crm_users": "92e8413e6c6f82ba9e202a2ac08ddf4a619d43f33dd24bf3210003e3382549fd",
        "crm_lead_assignments": "c1840ac1dfe4acf15c155e1ee85c13567747464bb03b7db476bea71b46d24763",
        "crm_activities": "935c499d66a42410094f54e7b7a23b8bcbbab9d64fc389d8afe0368d9f4ae734",
        "crm_deals": "077611523b806a1fcd96702ad344f67f8a3d12e0d3e8439d6ef95d01fac07269",
        "crm_deal_stage_history": "faf607eb47d61edbab2ce753d8e7a14e29a889d611c7d2535a862b1b65225faf",
        "marketing_campaigns": "c3ab6fb2eb2d787c469f31df2436b7489e72536216d7d6a803cf80195a2876ac",
        "ad_spend": "1a3028d595a68986d73438204f4c2f617f35680d8cd55ff712fa950ef90bac35",
        "marketing_expenses": "b36a437186a889ad2974c72141338b48637bab638302813a5844e82cd476914b",
        "fx_rates": "c8944484ac707d3fb41a4d39631d08435d17603a5d1c28d934b7387ffe6c313b",
        "web_events": "68d6b93c23ded8de34734c3d230029e83f594d74fd7deaa7ca6d8ea0dc02b443",
        "email_events": "21336df360253d6f21082c92898a73f8b4f7be02a1a182542e1816aa77acf16c",
        "newsletter_subscriptions": "0e878ac936cf8005b72f46648faf63e52c523a2de6722fc5d51d792e09a29744",
        "social_post_metrics": "bfacc430625252990be8a0efd8efd3eec24296b609991afd52df3ba4e46a4708",
        "app_users": "9abf2f134acdfb3259249e033411f67f2d774e9663e559b410bf31651eac02c8",
        "product_events": "f7c540bd10d0f84d99b1eef7d6c3cbc170bf06647b171287b0dfe56621390000",
        "referral_invites": "98728c34de110e1f3df651770512b3e55cdcd1d2529b056e5893834365e6b57e",
        "billing_subscriptions": "b121de63aaffa978ad0f384f7c55c9023ad6ec55feed4001a3d57ed1113e3222",
        "billing_invoices": "4334c34f66085cf3310e091e7b4798f962347660d73bab4e09fc6ee7b1c3f01f",
        "_faults.json": "e189072ffe32802c6ac1889a59c1b6863054e5caeed5765b9740cc846730be60",
    },
    "faults-0.02-seed42": {
        "crm_leads": "cbd19278e5659865e37fd0a72590b66cef382968e304a56b770c88322430d7f2",
        "crm_lead_stage_changes": "e21c87ef8e88dc52e38691a193212f6735107116a9e9d2cc0491d875fbea29fa",
        "crm_accounts": "8cf01c2f38f86e017c5b7ccef20ce0298fbcae0d2d105e1dc996f03d7342d330",
        "crm_users": "086fcca5dbad8936a18bd536efe43efd20dc6b13934d788a7d00d6c53811032a",
        "crm_lead_assignments": "e7240b679afbbdf6989b5cd22116bfc143a9b1675ee74e71fa1205e3da2a7262",
        "crm_activities": "5b239832dc9a33bcbe3b24f81928b62da4d5396a8040a0b27a9918bb4c7d0e8c",
        "crm_deals": "43a130989686c8e5569b1954d47db3e793ae71629fb9385380c3e6ca80d962e2",
        "crm_deal_stage_history": "f56faa72d239829832bdbfd2fb84107f2d8ea9c77c41a3552137f7df37cdbf5b",
        "marketing_campaigns": "37c667d1171fca89677be03064195f570a2bf5979e65c5157b45ace726bd2853",
        "ad_spend": "62937e9d7e8a39dcd774a22ea0f574b454bb825049d76c93722bd754c9813f26",
        "marketing_expenses": "506393c23e2f4c5c2c4ec79695f1cd6d9fbb13f290b1687b2558c09beee4508f",
        "fx_rates": "6e6f68ed15e5e8d74d60b8f3a690d4a372cbebb4c25957420eaf2a99e0e197e3",
        "web_events": "6c6307bf65ed103930564f5a774f6119b39dc3d3a8bde05e0e95bf5297329901",
        "email_events": "a90364c9279d81974fd80fc4e2cde1751a39d6d1dbc038d6f1d47fae46447a49",
        "newsletter_subscriptions": "2a8262ae63cb18ceba05d193458bf561214d3c4f8cbd47ca72ea45bcf4bd588a",
        "social_post_metrics": "074c818faed7d7a1dd112cb46baf9811b8381b5b518e698c4034bd2f734dcb5d",
        "app_users": "0908187fcc6b47f63a52e6ba214740ba30358244ed6efb77d94e2e4dede68c32",
        "product_events": "6a6471d0a0d4d0600e9ea864f6f5853a0b2c21c4320fdf7861ea8502a27d844d",
        "referral_invites": "61b836fed6035c08d8b7aab6664bd7393a1d2034ca00d5c57a2bcfd99ef28149",
        "billing_subscriptions": "c4bed3b5c359fa7af6b678564bcdfdc74d274c8463ae14afe03fa15e8066ce3f",
        "billing_invoices": "07fac99ec7e165d1c2b75426b9dfc1ba39e578d1d8c5d42d1037132843603438",
        "_faults.json": "3538b026a1f65e5ec1448259acb93b384b9649ef7989960df2c013754729f8f4",
    },
}

NEXT_DAY = {
    "ad_spend": "1e2f62539847227d451f9d415f13ce3abf6718563941465810c33a6edb74687a",
    "billing_invoices": "d9333d4e217e560cc3a95373d2898d800679ff98930829eeb6903356c2de4977",
    "crm_activities": "b69ee5df4a98922c7f3153c7ea76c3a47201a27e6a234c31d862cb847cd79104",
    "crm_lead_stage_changes": "aa1dbdfdbd16d1ba9f0afa9a7d17b243faaae058165c8b429adb29ba3da7e0e3",
    "crm_leads": "4c843c4642ae082e209e267c8af99badae058d5b36ecede95571ac13811ea819",
    "fx_rates": "1203d3071a1c32c8d1d0c16628ef7d499701ed041d7a09c1d64e94e8358f3483",
    "marketing_expenses": "d0e61ac1f89c50ace4d02fa1aa34e0c5c7102cc7b2d9086e32c1e967af7f0c30",
    "product_events": "9425c77a096990ec45b7c540b3a8673ed4069bd9b52fef326a4255662908764c",
    "web_events": "621886eab31f563a91539441ebe4b2e5d754daddc64f27371acd593d51333ff3",
    "_counts": "ee9e9fe17e08670ac3e8516b2117ed73e903729f07bca0d609cd7040c9edbce7",
}


def table_digest(path) -> str:
    """sha256 over the schema and every value of every column, in the order the file holds them."""
    table = pq.read_table(path)
    digest = hashlib.sha256(str(table.schema.remove_metadata()).encode())
    for name in table.column_names:
        digest.update(name.encode())
        digest.update(repr(table.column(name).to_pylist()).encode())
    return digest.hexdigest()


def checksums(out) -> dict[str, str]:
    sums = {t.name: table_digest(out / t.name / "part-0.parquet") for t in TABLES}
    manifest = out / "_faults.json"
    sums["_faults.json"] = hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.exists() else "absent"
    return sums


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_seed_gives_the_recorded_data(case, tmp_path):
    generate(tmp_path, **CASES[case])
    got = checksums(tmp_path)
    changed = sorted(name for name in got if got[name] != EXPECTED[case].get(name))
    assert not changed, f"{case}: these tables changed: {changed}"
    assert set(got) == set(EXPECTED[case])


def test_the_next_day_appended_by_bench_is_the_recorded_data(tmp_path):
    """bench's incremental run: one more day of loads, reconciled with the first data set (part-1 files)."""
    from leadgen.bench import append_next_day

    as_of = dt.date(2026, 10, 31)
    generate(tmp_path / "raw", scale=0.05, seed=1, as_of=as_of)
    counts = append_next_day(tmp_path / "raw", 0.05, 1, as_of, tmp_path / "scratch")
    got = {
        name: table_digest(p) for name in sorted(counts) if (p := tmp_path / "raw" / name / "part-1.parquet").exists()
    }
    got["_counts"] = hashlib.sha256(repr(sorted(counts.items())).encode()).hexdigest()
    assert got == NEXT_DAY
