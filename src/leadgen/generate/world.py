"""The world the story happens in: the clock and seed, companies, staff, and shared helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import MINUTES, SECONDS, Clock, Frame, Streamed, ids, lognormal_days, make_frame, pick, rng_for


@dataclass
class World:
    clock: Clock
    seed: int
    scale: float
    tables: dict = field(default_factory=dict)
    # What becomes of a streamed table once made (put_streamed): by default
    # it is kept as it is; generate() writes it at once, append_next_day()
    # keeps the new day's rows, so that its arrays are let go of before the
    # rest of the story is made (several GB at scale 100).
    sink: Callable[[str, Streamed], object] | None = None

    def rng(self, stream: str) -> np.random.Generator:
        return rng_for(self.seed, stream)

    def put_streamed(self, name: str, table: Streamed) -> None:
        self.tables[name] = table if self.sink is None else self.sink(name, table)

    def loaded(self, rng, moments, median_minutes: float = 20.0) -> np.ndarray:
        """When the extractor wrote rows that happened at `moments`: a little later, never after the as-of day."""
        moments = np.asarray(moments, float)
        latest = self.clock.end - SECONDS
        out = np.empty(len(moments))
        # a few million rows at a time: the same draws as in one go, without
        # its float temporaries of the size of web_events (1 GB each at scale 100)
        for lo in range(0, len(moments), LOADED_CHUNK):
            part = moments[lo : lo + LOADED_CHUNK]
            delay = (1 + lognormal_days(rng, median_minutes, 1.0, len(part))) * MINUTES
            out[lo : lo + LOADED_CHUNK] = np.maximum(np.minimum(part + delay, latest), part)
        return out


LOADED_CHUNK = 4_000_000


def weighted(rng, options, n):
    values, weights = zip(*options, strict=False)
    return pick(rng, values, n, weights)


def messy(rng, values: np.ndarray, variants: dict, share: float) -> np.ndarray:
    """Replace a share of canonical codes by a spelling variant people use."""
    values = values.copy()
    hit = np.flatnonzero(rng.random(len(values)) < share)
    for i in hit:
        options = variants.get(values[i])
        if options:
            values[i] = options[rng.integers(len(options))]
    return values


def messy_email(rng, emails: np.ndarray, share: float) -> np.ndarray:
    """Emails as people type them: some capitalised, some with stray spaces."""
    emails = emails.copy()
    for i in np.flatnonzero(rng.random(len(emails)) < share):
        if emails[i] is None:
            continue
        local, _, domain = emails[i].partition("@")
        emails[i] = [f"{local.title()}@{domain}", f" {emails[i]}", f"{local}@{domain.upper()}"][rng.integers(3)]
    return emails


def lowercase(values) -> np.ndarray:
    return np.array([None if v is None else v.lower() for v in values], dtype=object)


def expand_paths(rng, templates: np.ndarray) -> np.ndarray:
    paths = templates.copy()
    for token, choices in (("BLOG", V.BLOG_PATHS), ("RESOURCE", V.RESOURCE_PATHS), ("WEBINAR", V.WEBINAR_PATHS)):
        where = np.flatnonzero(paths == token)
        weights = 1 / np.arange(1, len(choices) + 1) ** 0.8  # a few popular pages, a long tail
        paths[where] = pick(rng, choices, len(where), weights)
    return paths


def scaled(world: World, volume: tuple[int, int]) -> int:
    """A volume of calibration (count at scale 1, minimum) at the world's scale."""
    at_scale_1, minimum = volume
    return max(minimum, round(at_scale_1 * world.scale))


def people(rng, n: int, domains: np.ndarray) -> dict:
    first = pick(rng, V.FIRST_NAMES, n)
    last = pick(rng, V.LAST_NAMES, n)
    number = rng.integers(1, 99, n)
    free = np.isin(domains, V.FREE_EMAIL_DOMAINS)
    email = np.array(
        [
            f"{f}.{last_name}{k if is_free else ''}@{d}".lower()
            for f, last_name, k, d, is_free in zip(first, last, number, domains, free, strict=False)
        ],
        dtype=object,
    )
    return {"first": first, "last": last, "email": email}


def case_mix(rng, codes: np.ndarray, share: float) -> np.ndarray:
    codes = codes.copy()
    hit = np.flatnonzero(rng.random(len(codes)) < share)
    codes[hit] = [f" {c.lower()}" if c else c for c in codes[hit]]
    return codes


def currency_of(country: np.ndarray) -> np.ndarray:
    return np.array([V.COUNTRY_CURRENCY.get(c, "USD") for c in country], dtype=object)


# --------------------------------------------------------------------------- companies and staff


@dataclass
class Companies:
    """The companies of the market, one entry each (the CRM's accounts)."""

    name: np.ndarray
    domain: np.ndarray
    country: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    account_id: np.ndarray
    weight: np.ndarray  # relative chance the company shows up (as a lead, a sign-up)


def companies(world: World) -> Companies:
    rng = world.rng("companies")
    n = scaled(world, C.COMPANIES)
    a = rng.integers(len(V.COMPANY_WORDS_A), size=n)
    b = rng.integers(len(V.COMPANY_WORDS_B), size=n)
    country = pick(rng, V.COUNTRIES, n, V.COUNTRY_P)
    seen: dict[str, int] = {}
    names, domains = [], []
    for i in range(n):
        base = f"{V.COMPANY_WORDS_A[a[i]]} {V.COMPANY_WORDS_B[b[i]]}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        name = base if k == 0 else f"{base} {k + 1}"
        names.append(name)
        slug = name.lower().replace(" ", "")
        domains.append(slug + V.COUNTRY_TLD.get(country[i], ".com"))
    employees = np.clip(np.round(lognormal_days(rng, 120, 1.5, n)), 2, 60000)
    return Companies(
        name=np.array(names, dtype=object),
        domain=np.array(domains, dtype=object),
        country=country,
        industry=pick(rng, V.INDUSTRIES, n, V.INDUSTRY_P),
        employees=employees,
        account_id=ids("acc_", 1, n, 6),
        weight=employees**0.35,  # bigger companies are likelier to show up
    )


def is_icp_fit(employees: np.ndarray, industry: np.ndarray) -> np.ndarray:
    """The demo's ideal customer: 50 to 5000 people in software, finance, services or health."""
    icp = np.isin(industry, ("software", "financial_services", "professional_services", "healthcare"))
    return (employees >= 50) & (employees <= 5000) & icp


def staff(world: World) -> Frame:
    rng = world.rng("staff")
    teams = ["sdr"] * 12 + ["ae"] * 8 + ["csm"] * 4 + ["marketing"] * 4
    n = len(teams)
    first = pick(rng, V.FIRST_NAMES, n)
    last = pick(rng, V.LAST_NAMES, n)
    regions = np.array(["NA", "EMEA", "APAC", "NA"] * 7, dtype=object)[:n]
    active = np.ones(n, bool)
    active[[10, 11]] = False  # two SDRs who left the company
    frame = make_frame(
        "crm_users",
        n,
        user_id=ids("usr_crm_", 1, n, 3),
        full_name=np.array([f"{f} {surname}" for f, surname in zip(first, last, strict=False)], dtype=object),
        email=np.array(
            [f"{f}.{surname}@{V.STAFF_DOMAIN}".lower() for f, surname in zip(first, last, strict=False)], dtype=object
        ),
        team=np.array(teams, dtype=object),
        region=regions,
        is_active=active.astype(object),
        _loaded_at=np.full(n, 0.5),
    )
    world.tables["crm_users"] = frame
    return frame
