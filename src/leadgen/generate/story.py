"""The clean demo world: one coherent story across every raw table.

Visitors browse the site (bots among them); some fill in a form or request a
demo (a CRM lead) or sign up for the product (an app user, who may invite
others); leads are routed, contacted and move through the lifecycle; some
become deals, some deals are won and become paying subscriptions with monthly
invoices.  Marketing runs campaigns, buys ads, sends emails and posts on
social networks.  Everything happens inside the 24 months of the clock and
is loaded (``_loaded_at``) after it happened and no later than the as-of day.

The story has no faults (faults.py adds them) but it is as messy as real
landed data always is: codes and emails in mixed case, a few null session
ids, bots, soft deletes, test leads of our own staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import vocab as V
from ._base import (
    HOURS, MINUTES, SECONDS, Clock, Frame, ids, lognormal_days, make_frame, pick, rng_for,
)


@dataclass
class World:
    clock: Clock
    seed: int
    scale: float
    tables: dict = field(default_factory=dict)

    def rng(self, stream: str) -> np.random.Generator:
        return rng_for(self.seed, stream)

    def loaded(self, rng, moments, median_minutes: float = 20.0) -> np.ndarray:
        """When the extractor wrote rows that happened at `moments`: a little later, never after the as-of day."""
        moments = np.asarray(moments, float)
        delay = (1 + lognormal_days(rng, median_minutes, 1.0, len(moments))) * MINUTES
        latest = self.clock.end - SECONDS
        return np.maximum(np.minimum(moments + delay, latest), moments)


def _weighted(rng, options, n):
    values, weights = zip(*options)
    return pick(rng, values, n, weights)


def _messy(rng, values: np.ndarray, variants: dict, share: float) -> np.ndarray:
    """Replace a share of canonical codes by a spelling variant people use."""
    values = values.copy()
    hit = np.flatnonzero(rng.random(len(values)) < share)
    for i in hit:
        options = variants.get(values[i])
        if options:
            values[i] = options[rng.integers(len(options))]
    return values


def _messy_email(rng, emails: np.ndarray, share: float) -> np.ndarray:
    """Emails as people type them: some capitalised, some with stray spaces."""
    emails = emails.copy()
    for i in np.flatnonzero(rng.random(len(emails)) < share):
        if emails[i] is None:
            continue
        local, _, domain = emails[i].partition("@")
        emails[i] = [f"{local.title()}@{domain}", f" {emails[i]}", f"{local}@{domain.upper()}"][rng.integers(3)]
    return emails


def _lower(values) -> np.ndarray:
    return np.array([None if v is None else v.lower() for v in values], dtype=object)


def _expand_paths(rng, templates: np.ndarray) -> np.ndarray:
    paths = templates.copy()
    for token, choices in (("BLOG", V.BLOG_PATHS), ("RESOURCE", V.RESOURCE_PATHS), ("WEBINAR", V.WEBINAR_PATHS)):
        where = np.flatnonzero(paths == token)
        weights = 1 / np.arange(1, len(choices) + 1) ** 0.8  # a few popular pages, a long tail
        paths[where] = pick(rng, choices, len(where), weights)
    return paths


# --------------------------------------------------------------------------- companies and staff

def companies(world: World) -> dict:
    rng = world.rng("companies")
    n = max(60, round(7000 * world.scale))
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
    return {
        "name": np.array(names, dtype=object),
        "domain": np.array(domains, dtype=object),
        "country": country,
        "industry": pick(rng, V.INDUSTRIES, n, V.INDUSTRY_P),
        "employees": employees,
        "account_id": ids("acc_", 1, n, 6),
        # bigger companies are likelier to show up
        "weight": employees ** 0.35,
    }


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
        "crm_users", n,
        user_id=ids("usr_crm_", 1, n, 3),
        full_name=np.array([f"{f} {l}" for f, l in zip(first, last)], dtype=object),
        email=np.array([f"{f}.{l}@{V.STAFF_DOMAIN}".lower() for f, l in zip(first, last)], dtype=object),
        team=np.array(teams, dtype=object),
        region=regions,
        is_active=active.astype(object),
        _loaded_at=np.full(n, 0.5),
    )
    world.tables["crm_users"] = frame
    return frame


# --------------------------------------------------------------------------- campaigns

# name, channel, platform, utm_campaign, daily budget in USD at scale 1, currency
ALWAYS_ON = (
    ("Search - Brand", "paid_search", "google_ads", "search_brand", 120, "USD"),
    ("Search - Generic", "paid_search", "google_ads", "search_generic", 300, "USD"),
    ("Search - Competitors", "paid_search", "google_ads", "search_competitor", 150, "USD"),
    ("LinkedIn - ABM", "paid_social", "linkedin_ads", "linkedin_abm", 200, "EUR"),
    ("LinkedIn - Lead Gen", "paid_social", "linkedin_ads", "linkedin_lead_gen", 250, "EUR"),
    ("Meta - Retargeting", "paid_social", "meta_ads", "meta_retargeting", 100, "USD"),
    ("Display - Retargeting", "display", "google_ads", "display_retargeting", 80, "USD"),
    ("Referral program", "referral_program", "none", "referral_program", 0, "USD"),
    ("Organic social", "organic_social", "none", "organic_social", 0, "USD"),
)
PAID_CHANNELS = ("paid_search", "paid_social", "display")


def campaigns(world: World) -> dict:
    rng = world.rng("campaigns")
    clock = world.clock
    rows = []  # name, channel, platform, utm, start, end (inclusive, days), daily budget, currency
    always_on_start = -30.0
    for name, channel, platform, utm, daily, currency in ALWAYS_ON:
        rows.append((name, channel, platform, utm, always_on_start, np.nan, daily, currency))
    months = clock.month_starts()
    month_ends = np.append(months[1:], clock.end) - 1
    for m, (start, end) in enumerate(zip(months, month_ends)):
        label = str(np.datetime64(clock.start, "M") + m)
        slug = label.replace("-", "_")
        rows.append((f"Newsletter {label}", "email", "email", f"newsletter_{slug}", start, end, 0, "USD"))
        rows.append((f"Nurture {label}", "email", "email", f"nurture_{slug}", start, end, 0, "USD"))
        rows.append((f"Webinar {label}", "webinar", "none", f"webinar_{slug}", start, end, 40, "USD"))
        if m % 3 == 0:
            quarter_end = month_ends[min(m + 2, len(months) - 1)]
            rows.append((f"Ebook {label}", "content", "none", f"ebook_{slug}", start, quarter_end, 30, "USD"))
            rows.append((f"Field event {label}", "event", "none", f"event_{slug}", start, start + 2, 0, "EUR"))
            rows.append((f"Search - Promo {label}", "paid_search", "google_ads", f"search_promo_{slug}",
                         start, end, 200, "USD"))
    n = len(rows)
    name, channel, platform, utm, start, end, daily, currency = (np.array(c, dtype=object) for c in zip(*rows))
    start = start.astype(float)
    end = end.astype(float)
    daily = daily.astype(float) * world.scale
    span = np.where(np.isnan(end), clock.end - start, end - start + 1)
    budget = np.round(daily * span * rng.uniform(0.9, 1.2, n), -1)
    budget = np.where(channel == "event", np.round(25000 * world.scale * rng.uniform(0.8, 1.2, n), -1), budget)
    local_budget = budget / np.array([V.USD_PER_UNIT.get(c, 1.0) for c in currency])
    campaign_id = ids("cmp_", 1, n, 4)
    # utm_campaign as the marketing team typed it in the tool: not always lower case
    typed_utm = utm.copy()
    upper = rng.random(n) < 0.1
    typed_utm[upper] = np.array([u.upper() for u in utm[upper]], dtype=object)
    frame = make_frame(
        "marketing_campaigns", n,
        campaign_id=campaign_id, campaign_name=name, channel=channel, platform=platform, utm_campaign=typed_utm,
        start_date=start, end_date=end, budget=np.round(local_budget, 2), currency_code=currency,
        _loaded_at=np.maximum(start - 3, 0.0) + rng.uniform(0.3, 0.7, n),
    )
    world.tables["marketing_campaigns"] = frame
    email_sends = np.flatnonzero(channel == "email")
    send_offset = np.where(np.char.startswith(utm[email_sends].astype(str), "newsletter"), 7, 18)
    return {
        "id": campaign_id, "name": name, "channel": channel, "platform": platform, "utm": utm,
        "start": start, "end": end, "daily": daily, "currency": currency,
        "email_index": email_sends,
        "email_send_time": start[email_sends] + send_offset + 15 * HOURS,
    }


# --------------------------------------------------------------------------- web

def web_sessions(world: World, camp: dict) -> dict:
    """Visitors and their sessions and page events (conversions are added once leads exist)."""
    rng = world.rng("web")
    clock = world.clock
    n_visitors = max(400, round(330_000 * world.scale))
    bot = rng.random(n_visitors) < 0.02
    channel = rng.choice(len(V.CHANNELS), n_visitors, p=V.CHANNEL_P)
    channel[bot] = V.CHANNELS.index("direct")
    device = pick(rng, ("desktop", "mobile", "tablet"), n_visitors, (0.58, 0.37, 0.05))
    device[bot] = "desktop"
    country = pick(rng, V.COUNTRIES, n_visitors, V.COUNTRY_P)
    user_agent = np.empty(n_visitors, dtype=object)
    for kind, agents in V.HUMAN_USER_AGENTS.items():
        where = np.flatnonzero(device == kind)
        user_agent[where] = pick(rng, agents, len(where))
    user_agent[bot] = pick(rng, V.BOT_USER_AGENTS, int(bot.sum()))
    first_visit = clock.sample_times(rng, n_visitors)

    # sessions: a first visit, then returns after a few days
    n_sessions = rng.geometric(0.68, n_visitors)
    n_sessions[bot] = rng.integers(1, 4, int(bot.sum()))
    visitor = np.repeat(np.arange(n_visitors), n_sessions)
    first_of_visitor = np.cumsum(n_sessions) - n_sessions
    order = np.arange(len(visitor)) - first_of_visitor[visitor]
    gaps = rng.exponential(11.0, len(visitor))
    gaps[order == 0] = 0
    running = np.cumsum(gaps)
    start = first_visit[visitor] + running - running[first_of_visitor][visitor]
    keep = start < clock.end - 5 * MINUTES
    visitor, order, start = visitor[keep], order[keep], start[keep]
    n_sess = len(visitor)

    s_channel = np.array(V.CHANNELS, dtype=object)[channel[visitor]]
    returning = (order > 0) & (rng.random(n_sess) < 0.45)
    s_channel[returning] = "direct"
    utm_source = np.full(n_sess, None, dtype=object)
    utm_medium = np.full(n_sess, None, dtype=object)
    utm_campaign = np.full(n_sess, None, dtype=object)

    def tag(where, source, medium, campaign):
        utm_source[where], utm_medium[where], utm_campaign[where] = source, medium, campaign

    search = np.flatnonzero(s_channel == "paid_search")
    always = pick(rng, ("search_brand", "search_generic", "search_competitor"), len(search), (0.35, 0.45, 0.2))
    promo_rows = np.flatnonzero(np.char.startswith(camp["utm"].astype(str), "search_promo"))
    promo_at = np.searchsorted(camp["start"][promo_rows], start[search], side="right") - 1
    in_promo = (promo_at >= 0) & (start[search] <= camp["end"][promo_rows][np.maximum(promo_at, 0)] + 1)
    use_promo = in_promo & (rng.random(len(search)) < 0.3)
    always[use_promo] = camp["utm"][promo_rows][promo_at[use_promo]]
    tag(search, "google", "cpc", always)
    social = np.flatnonzero(s_channel == "paid_social")
    social_campaign = pick(rng, ("linkedin_abm", "linkedin_lead_gen", "meta_retargeting"), len(social), (0.35, 0.4, 0.25))
    tag(social, np.where(social_campaign == "meta_retargeting", "facebook", "linkedin"), "paid_social", social_campaign)
    display = np.flatnonzero(s_channel == "display")
    tag(display, "google", "display", "display_retargeting")
    # email visits follow the latest send, if it went out in the last ten days
    email = np.flatnonzero(s_channel == "email")
    send_order = np.argsort(camp["email_send_time"])
    send_time = camp["email_send_time"][send_order]
    latest = np.searchsorted(send_time, start[email], side="right") - 1
    recent = (latest >= 0) & (start[email] - send_time[np.maximum(latest, 0)] < 10)
    email_utm = camp["utm"][camp["email_index"][send_order]][np.maximum(latest, 0)]
    tag(email[recent], "newsletter", "email", email_utm[recent])
    s_channel[email[~recent]] = "direct"
    organic_social = np.flatnonzero((s_channel == "organic_social") & (rng.random(n_sess) < 0.5))
    tag(organic_social, "linkedin", "social", "organic_social")
    # sources typed by hand are not always lower case
    shouty = np.flatnonzero((utm_source != None) & (rng.random(n_sess) < 0.04))  # noqa: E711
    utm_source[shouty] = np.array([s.title() for s in utm_source[shouty]], dtype=object)

    referrer = np.full(n_sess, None, dtype=object)
    landing = np.empty(n_sess, dtype=object)
    for name in V.CHANNELS:
        where = np.flatnonzero(s_channel == name)
        landing[where] = _weighted(rng, V.LANDING_PAGES[name], len(where))
        if name in V.REFERRERS:
            referrer[where] = _weighted(rng, V.REFERRERS[name], len(where))
    social_paid = np.flatnonzero(s_channel == "paid_social")
    referrer[social_paid] = np.where(
        utm_source[social_paid] == "facebook", "https://www.facebook.com/", "https://www.linkedin.com/"
    )
    landing = _expand_paths(rng, landing)
    is_bot_session = bot[visitor]
    bot_pages = np.flatnonzero(is_bot_session)
    landing[bot_pages] = _expand_paths(rng, _weighted(rng, V.INNER_PAGES, len(bot_pages)))
    referrer[bot_pages] = None

    # events of each session: the landing page, then a few more pages and clicks
    n_events = 1 + rng.poisson(1.2, n_sess)
    n_events[is_bot_session] = 4 + rng.poisson(8, int(is_bot_session.sum()))
    e_session = np.repeat(np.arange(n_sess), n_events)
    first_of_session = np.cumsum(n_events) - n_events
    e_order = np.arange(len(e_session)) - first_of_session[e_session]
    e_gap = rng.exponential(70, len(e_session)) * SECONDS
    e_gap[e_order == 0] = 0
    running = np.cumsum(e_gap)
    e_time = start[e_session] + running - running[first_of_session][e_session]
    inner = _expand_paths(rng, _weighted(rng, V.INNER_PAGES, len(e_session)))
    path = np.where(e_order == 0, landing[e_session], inner)
    event_type = np.where((e_order > 0) & (rng.random(len(e_session)) < 0.15), "click", "page_view").astype(object)
    clicks = np.flatnonzero(event_type == "click")
    path[clicks] = path[clicks - 1]  # a click happens on the page just viewed
    session_end = np.maximum.reduceat(e_time, first_of_session)
    inside = e_time < clock.end - SECONDS
    return {
        "n_visitors": n_visitors, "bot": bot, "channel": channel, "device": device, "country": country,
        "user_agent": user_agent, "first_session": first_of_visitor_kept(visitor, n_visitors),
        "last_session": last_of_visitor_kept(visitor, n_visitors),
        "s_visitor": visitor, "s_start": start, "s_end": session_end, "s_channel": s_channel,
        "s_utm_source": utm_source, "s_utm_medium": utm_medium, "s_utm_campaign": utm_campaign,
        "s_referrer": referrer, "s_landing": landing,
        "e_session": e_session[inside], "e_order": e_order[inside], "e_time": e_time[inside],
        "e_path": path[inside], "e_type": event_type[inside],
    }


def first_of_visitor_kept(visitor: np.ndarray, n_visitors: int) -> np.ndarray:
    first = np.full(n_visitors, -1)
    positions = np.arange(len(visitor))
    first[visitor[::-1]] = positions[::-1]
    return first


def last_of_visitor_kept(visitor: np.ndarray, n_visitors: int) -> np.ndarray:
    last = np.full(n_visitors, -1)
    last[visitor] = np.arange(len(visitor))
    return last


def web_conversions(world: World, rng, web: dict, share: float, exclude: np.ndarray | None = None) -> dict:
    """Human visitors who convert (a form or a sign-up) at the end of one of their sessions."""
    humans = ~web["bot"]
    n = round(share * humans.sum())
    weights = np.array(V.CHANNEL_CONVERSION_WEIGHT)[web["channel"]] * humans
    if exclude is not None:
        weights[exclude] = 0
    weights = weights / weights.sum()
    visitors = np.sort(rng.choice(web["n_visitors"], size=min(n, int((weights > 0).sum())), replace=False, p=weights))
    session = np.where(rng.random(len(visitors)) < 0.6, web["last_session"][visitors], web["first_session"][visitors])
    moment = web["s_end"][session] + rng.uniform(20, 150, len(visitors)) * SECONDS
    ok = moment < world.clock.end - 2 * HOURS
    return {"visitor": visitors[ok], "session": session[ok], "time": moment[ok]}


def web_events(world: World, web: dict, leads: dict, signups: dict) -> None:
    """The tracker's table: page events plus the conversions that created leads and users."""
    rng = world.rng("web_events")
    n_sess = len(web["s_visitor"])
    session_ids = np.array([f"{x:012x}" for x in rng.permutation(n_sess) * 7919 + 104729], dtype=object)
    anonymous_ids = np.array([f"anon-{x:08x}" for x in rng.permutation(web["n_visitors"]) + 1_000_000], dtype=object)

    lead_conv, user_conv = leads["conversion"], signups["conversion"]
    conv_session = np.concatenate([lead_conv["session"], user_conv["session"]])
    conv_time = np.concatenate([lead_conv["time"], user_conv["time"]])
    conv_type = np.concatenate([lead_conv["event_type"], np.full(len(user_conv["session"]), "signup", dtype=object)])
    conv_path = np.concatenate([lead_conv["path"], np.full(len(user_conv["session"]), "/signup", dtype=object)])
    conv_lead = np.concatenate([lead_conv["lead_id"], np.full(len(user_conv["session"]), None, dtype=object)])
    conv_user = np.concatenate([np.full(len(lead_conv["session"]), None, dtype=object), user_conv["user_id"]])

    session = np.concatenate([web["e_session"], conv_session])
    moment = np.concatenate([web["e_time"], conv_time])
    first_page = np.concatenate([web["e_order"] == 0, np.zeros(len(conv_session), bool)])
    path = np.concatenate([web["e_path"], conv_path])
    event_type = np.concatenate([web["e_type"], conv_type])
    lead_id = np.concatenate([np.full(len(web["e_session"]), None, dtype=object), conv_lead])
    user_id = np.concatenate([np.full(len(web["e_session"]), None, dtype=object), conv_user])
    order = np.lexsort((moment, session))  # by session, then time: referrers chain within a session
    session, moment, first_page, path, event_type, lead_id, user_id = (
        a[order] for a in (session, moment, first_page, path, event_type, lead_id, user_id)
    )
    visitor = web["s_visitor"][session]
    query = np.full(len(session), "", dtype=object)
    tagged = first_page & (web["s_utm_campaign"][session] != None)  # noqa: E711
    query[tagged] = [
        f"?utm_source={s}&utm_medium={m}&utm_campaign={c}"
        for s, m, c in zip(web["s_utm_source"][session[tagged]], web["s_utm_medium"][session[tagged]],
                           web["s_utm_campaign"][session[tagged]])
    ]
    page_url = np.array([V.SITE + p + q for p, q in zip(path, query)], dtype=object)
    referrer = np.empty(len(session), dtype=object)
    referrer[1:] = page_url[:-1]
    same_session = np.zeros(len(session), bool)
    same_session[1:] = session[1:] == session[:-1]
    referrer[~same_session] = web["s_referrer"][session[~same_session]]

    sid = session_ids[session]
    # some browsers block the tracker's session cookie: those visitors' events have no session id
    blocked = (rng.random(web["n_visitors"]) < 0.02)[visitor]
    sid[blocked] = None
    country = web["country"][visitor].copy()
    lower = rng.random(len(country)) < 0.05
    country[lower] = _lower(country[lower])
    typed = _messy(rng, event_type, V.WEB_EVENT_VARIANTS, 0.02)

    time_order = np.argsort(moment, kind="stable")
    n = len(time_order)
    frame = make_frame(
        "web_events", n,
        event_id=ids("evt_", 1, n, 9),
        anonymous_id=anonymous_ids[visitor][time_order],
        session_id=sid[time_order],
        event_type=typed[time_order],
        occurred_at=moment[time_order],
        page_url=page_url[time_order],
        page_path=path[time_order],
        referrer_url=referrer[time_order],
        user_agent=web["user_agent"][visitor][time_order],
        device_type=web["device"][visitor][time_order],
        country_code=country[time_order],
        lead_id=lead_id[time_order],
        user_id=user_id[time_order],
        _loaded_at=world.loaded(world.rng("loaded_at"), moment[time_order], median_minutes=3),
    )
    world.tables["web_events"] = frame


# --------------------------------------------------------------------------- people

def people(rng, n: int, domains: np.ndarray) -> dict:
    first = pick(rng, V.FIRST_NAMES, n)
    last = pick(rng, V.LAST_NAMES, n)
    number = rng.integers(1, 99, n)
    free = np.isin(domains, V.FREE_EMAIL_DOMAINS)
    email = np.array([
        f"{f}.{l}{k if is_free else ''}@{d}".lower()
        for f, l, k, d, is_free in zip(first, last, number, domains, free)
    ], dtype=object)
    return {"first": first, "last": last, "email": email}


# --------------------------------------------------------------------------- product sign-ups and referrals

def app_users(world: World, web: dict, comp: dict, lead_visitors: np.ndarray) -> dict:
    rng = world.rng("app_users")
    conversion = web_conversions(world, rng, web, 0.0068, lead_visitors)
    n_web = len(conversion["visitor"])
    session = conversion["session"]
    # who signs up: a person at a CRM company, at a company the CRM does not know, or with a free address
    kind = pick(rng, ("crm", "other", "free"), n_web, (0.42, 0.23, 0.35))
    company = rng.choice(len(comp["name"]), n_web, p=comp["weight"] / comp["weight"].sum())
    own_domain = np.array([f"{w.lower()}{i}.io" for w, i in zip(pick(rng, V.COMPANY_WORDS_B, n_web), rng.integers(10, 999, n_web))], dtype=object)
    domain = np.where(kind == "crm", comp["domain"][company], np.where(kind == "other", own_domain, pick(rng, V.FREE_EMAIL_DOMAINS, n_web)))
    users = {
        "signed_up_at": conversion["time"] + rng.uniform(3, 30, n_web) * SECONDS,
        "domain": domain,
        "company": np.where(kind == "crm", company, -1),
        "country": web["country"][conversion["visitor"]],
        "utm_source": web["s_utm_source"][session],
        "utm_medium": web["s_utm_medium"][session],
        "utm_campaign": web["s_utm_campaign"][session],
        "referrer": np.full(n_web, -1),
        "invite": np.full(n_web, -1),
        "workspace": np.arange(n_web),  # index of the user whose workspace they joined
    }
    invites = {k: [] for k in ("inviter", "sent", "accepted", "invitee", "email")}
    end = world.clock.end
    generation = np.arange(n_web)
    next_user = n_web
    for rate in (0.3, 0.18):  # users invite people; some of those invite again
        inviters = generation[rng.random(len(generation)) < rate]
        count = 1 + rng.poisson(0.9, len(inviters))
        inviter = np.repeat(inviters, count)
        sent = users["signed_up_at"][inviter] + rng.exponential(6, len(inviter)) + 10 * MINUTES
        live = sent < end - HOURS
        inviter, sent = inviter[live], sent[live]
        accepted = sent + rng.exponential(2, len(inviter)) + MINUTES
        accepted[(rng.random(len(inviter)) >= 0.35) | (accepted >= end - HOURS)] = np.nan
        teammate = (users["domain"][inviter] != None) & ~np.isin(users["domain"][inviter], V.FREE_EMAIL_DOMAINS)  # noqa: E711
        teammate &= rng.random(len(inviter)) < 0.6
        domain = np.where(teammate, users["domain"][inviter], pick(rng, V.FREE_EMAIL_DOMAINS, len(inviter)))
        joined = np.flatnonzero(~np.isnan(accepted))
        new_users = np.arange(next_user, next_user + len(joined))
        invitee = np.full(len(inviter), -1)
        invitee[joined] = new_users
        first_invite = sum(len(x) for x in invites["inviter"])
        for key, value in (("inviter", inviter), ("sent", sent), ("accepted", accepted), ("invitee", invitee), ("email", domain)):
            invites[key].append(value)
        team = teammate[joined]
        users_new = {
            "signed_up_at": accepted[joined] + rng.uniform(1, 10, len(joined)) * MINUTES,
            "domain": domain[joined],
            "company": np.where(team, users["company"][inviter[joined]], -1),
            "country": users["country"][inviter[joined]],
            "utm_source": np.full(len(joined), "referral", dtype=object),
            "utm_medium": np.full(len(joined), "referral", dtype=object),
            "utm_campaign": np.full(len(joined), "referral_program", dtype=object),
            "referrer": inviter[joined],
            "invite": first_invite + joined,
            "workspace": np.where(team, users["workspace"][inviter[joined]], new_users),
        }
        users = {k: np.concatenate([users[k], users_new[k]]) for k in users}
        generation = new_users
        next_user += len(joined)

    n = len(users["signed_up_at"])
    person = people(rng, n, users["domain"])
    users.update(person)
    # ids follow sign-up order, as a product database hands them out
    order = np.argsort(users["signed_up_at"], kind="stable")
    rank = np.empty(n, int)
    rank[order] = np.arange(n)
    users["user_id"] = ids("u_", 1, n, 7)[rank]
    # the workspace is the CRM account when the company is known, else the product's own id
    workspace_owner = users["workspace"]
    crm_company = users["company"][workspace_owner]
    users["account_id"] = np.where(
        crm_company >= 0, comp["account_id"][np.maximum(crm_company, 0)],
        np.array([f"ws_{rank[w] + 1:07d}" for w in workspace_owner], dtype=object),
    )
    users["activated"] = rng.random(n) < np.where(users["referrer"] >= 0, 0.55, 0.4)
    users["is_deleted"] = rng.random(n) < 0.005

    inv = {k: np.concatenate(v) if v else np.array([]) for k, v in invites.items()}
    n_inv = len(inv["inviter"])
    invitee_person = people(rng, n_inv, inv["email"])
    invitee_email = invitee_person["email"]
    accepted_idx = np.flatnonzero(inv["invitee"] >= 0)
    invitee_email[accepted_idx] = users["email"][inv["invitee"][accepted_idx]]
    inv_order = np.argsort(inv["sent"], kind="stable")
    inv_rank = np.empty(n_inv, int)
    inv_rank[inv_order] = np.arange(n_inv)
    invite_ids = ids("ri_", 1, n_inv, 7)[inv_rank]
    users["referral_invite_id"] = np.where(users["invite"] >= 0, invite_ids[np.maximum(users["invite"], 0)], None)
    users["referred_by_user_id"] = np.where(users["referrer"] >= 0, users["user_id"][np.maximum(users["referrer"], 0)], None)

    loaded_rng = world.rng("loaded_at")
    world.tables["app_users"] = make_frame(
        "app_users", n,
        user_id=users["user_id"], account_id=users["account_id"],
        email=_messy_email(rng, users["email"], 0.06), signed_up_at=users["signed_up_at"],
        utm_source=users["utm_source"], utm_medium=users["utm_medium"], utm_campaign=users["utm_campaign"],
        referred_by_user_id=users["referred_by_user_id"], referral_invite_id=users["referral_invite_id"],
        is_deleted=np.where(users["is_deleted"], True, np.where(rng.random(n) < 0.3, None, False)).astype(object),
        _loaded_at=world.loaded(loaded_rng, users["signed_up_at"], 10),
    )
    accepted_at = inv["accepted"]
    world.tables["referral_invites"] = make_frame(
        "referral_invites", n_inv,
        invite_id=invite_ids, inviter_user_id=users["user_id"][inv["inviter"].astype(int)],
        invitee_email=_messy_email(rng, invitee_email, 0.05), sent_at=inv["sent"], accepted_at=accepted_at,
        invitee_user_id=np.where(inv["invitee"] >= 0, users["user_id"][np.maximum(inv["invitee"].astype(int), 0)], None),
        _loaded_at=world.loaded(loaded_rng, np.where(np.isnan(accepted_at), inv["sent"], accepted_at), 15),
    )
    users["conversion"] = {
        "session": conversion["session"], "time": conversion["time"],
        "user_id": users["user_id"][:n_web],
    }
    return users


# --------------------------------------------------------------------------- leads and their lifecycle

WEB_LEAD_SOURCES = (("demo_request", 20), ("web_form", 35), ("content_download", 30), ("webinar", 15))
OTHER_LEAD_SOURCES = (("referral", 5), ("event", 7), ("partner", 6), ("outbound", 20), ("list_import", 9))
P_MQL = {
    "web_form": 0.35, "content_download": 0.22, "webinar": 0.3, "demo_request": 0.6, "trial_signup": 0.35,
    "referral": 0.45, "event": 0.3, "partner": 0.35, "outbound": 0.12, "list_import": 0.08,
}
INBOUND = ("web_form", "content_download", "webinar", "demo_request", "trial_signup", "referral", "event", "partner")


def _company_fields(comp: dict, company: np.ndarray, rng) -> dict:
    known = company >= 0
    c = np.maximum(company, 0)
    n = len(company)
    employees = np.where(known, comp["employees"][c], np.nan)
    return {
        "company_name": np.where(known, comp["name"][c], None),
        "company_domain": np.where(known, comp["domain"][c], None),
        "industry": np.where(known, comp["industry"][c], None),
        "employees": employees,
        "country": np.where(known, comp["country"][c], pick(rng, V.COUNTRIES, n, V.COUNTRY_P)),
    }


def leads(world: World, rng, conversion: dict, web: dict, comp: dict, users: dict) -> dict:
    clock = world.clock
    target = max(60, round(20_000 * world.scale))
    weights = comp["weight"] / comp["weight"].sum()

    # leads from the website: a form or a demo request at the end of a visit
    n_web = len(conversion["visitor"])
    web_source = _weighted(rng, WEB_LEAD_SOURCES, n_web)
    web_company = np.where(rng.random(n_web) < 0.88, rng.choice(len(weights), n_web, p=weights), -1)
    first_session = web["first_session"][conversion["visitor"]]
    part_web = {
        "source": web_source,
        "created": conversion["time"] + rng.uniform(2, 60, n_web) * SECONDS,
        "company": web_company,
        "utm_source": web["s_utm_source"][first_session],
        "utm_medium": web["s_utm_medium"][first_session],
        "utm_campaign": web["s_utm_campaign"][first_session],
        "referred_by": np.full(n_web, None, dtype=object),
        "user": np.full(n_web, -1),
        "web": np.arange(n_web),
    }

    # product sign-ups with a work address become trial leads in the CRM
    business = ~np.isin(users["domain"], V.FREE_EMAIL_DOMAINS)
    trial = np.flatnonzero(business & ((users["company"] >= 0) | (rng.random(len(business)) < 0.5)))
    trial_created = users["signed_up_at"][trial] + rng.uniform(2, 30, len(trial)) * MINUTES
    in_time = trial_created < clock.end - HOURS
    trial, trial_created = trial[in_time], trial_created[in_time]
    part_trial = {
        "source": np.full(len(trial), "trial_signup", dtype=object),
        "created": trial_created,
        "company": users["company"][trial],
        "utm_source": users["utm_source"][trial],
        "utm_medium": users["utm_medium"][trial],
        "utm_campaign": users["utm_campaign"][trial],
        "referred_by": np.full(len(trial), None, dtype=object),
        "user": trial,
        "web": np.full(len(trial), -1),
    }

    # everything else: referrals, events, partners, outbound prospecting, list imports
    n_other = max(10, target - n_web - len(trial))
    other_source = _weighted(rng, OTHER_LEAD_SOURCES, n_other)
    first_signup = users["signed_up_at"].min() if len(users["signed_up_at"]) else 0.0
    created = clock.sample_times(rng, n_other)
    referral = np.flatnonzero(other_source == "referral")
    created[referral] = clock.sample_times(rng, len(referral), lo=first_signup + 1)
    imports = np.flatnonzero(other_source == "list_import")
    batch_days = clock.sample_times(rng, 14)
    created[imports] = batch_days[rng.integers(len(batch_days), size=len(imports))] + rng.uniform(0, 300, len(imports)) * SECONDS
    referred_by = np.full(n_other, None, dtype=object)
    signed = np.sort(users["signed_up_at"])
    signed_order = np.argsort(users["signed_up_at"])
    for i in referral:
        available = np.searchsorted(signed, created[i])
        if available:
            referred_by[i] = users["user_id"][signed_order[rng.integers(available)]]
    part_other = {
        "source": other_source,
        "created": created,
        "company": rng.choice(len(weights), n_other, p=weights),
        "utm_source": np.full(n_other, None, dtype=object),
        "utm_medium": np.full(n_other, None, dtype=object),
        "utm_campaign": np.full(n_other, None, dtype=object),
        "referred_by": referred_by,
        "user": np.full(n_other, -1),
        "web": np.full(n_other, -1),
    }
    lead = {k: np.concatenate([part_web[k], part_trial[k], part_other[k]]) for k in part_web}
    n = len(lead["source"])
    lead.update(_company_fields(comp, lead["company"], rng))
    from_user = lead["user"] >= 0
    lead["country"][from_user] = users["country"][lead["user"][from_user]]
    domain = np.where(lead["company"] >= 0, lead["company_domain"], pick(rng, V.FREE_EMAIL_DOMAINS, n))
    person = people(rng, n, domain)
    for key in ("first", "last", "email"):
        person[key][from_user] = users[key][lead["user"][from_user]]
    lead.update(person)
    # business sign-ups at companies the CRM does not know yet: the company is typed from the domain
    unknown_business = from_user & (lead["company"] < 0)
    lead["company_domain"][unknown_business] = users["domain"][lead["user"][unknown_business]]
    lead["company_name"][unknown_business] = [d.split(".")[0].title() for d in lead["company_domain"][unknown_business]]
    lead["employees"][unknown_business] = np.round(lognormal_days(rng, 30, 1.0, int(unknown_business.sum())))
    lead["industry"][unknown_business] = pick(rng, V.INDUSTRIES, int(unknown_business.sum()), V.INDUSTRY_P)
    # a few test leads from our own QA team (the project must leave them out)
    test = rng.choice(n, size=max(2, round(0.003 * n)), replace=False)
    test = test[lead["web"][test] < 0]
    lead["email"][test] = [f"qa+{i}@{V.TEST_EMAIL_DOMAINS[i % 3]}" for i in range(len(test))]
    lead["is_test"] = np.zeros(n, bool)
    lead["is_test"][test] = True
    no_email = (lead["source"] == "list_import") & (rng.random(n) < 0.05)
    lead["email"][no_email] = None

    order = np.argsort(lead["created"], kind="stable")
    lead = {k: v[order] for k, v in lead.items()}
    lead["lead_id"] = ids("ld_", 1, n, 7)
    lead["account_id_all"] = np.where(lead["company"] >= 0, comp["account_id"][np.maximum(lead["company"], 0)], None)
    lead["fit"] = is_icp_fit(np.nan_to_num(lead["employees"]), lead["industry"])
    lead["is_deleted"] = (rng.random(n) < 0.01) & ~lead["is_test"]
    # the web conversion that created each web lead, in lead order
    web_rows = np.flatnonzero(lead["web"] >= 0)
    conv = lead["web"][web_rows]
    lead["conversion"] = {
        "session": conversion["session"][conv],
        "time": conversion["time"][conv],
        "lead_id": lead["lead_id"][web_rows],
        "event_type": np.where(lead["source"][web_rows] == "demo_request", "demo_request", "form_submit").astype(object),
        "path": _expand_paths(rng, pick_path(lead["source"][web_rows])),
    }
    return lead


def pick_path(sources: np.ndarray) -> np.ndarray:
    return np.select(
        [sources == "demo_request", sources == "web_form", sources == "content_download"],
        ["/demo", "/contact", "RESOURCE"], "WEBINAR",
    ).astype(object)


def funnel(world: World, lead: dict) -> None:
    """When each lead became MQL, SQL and opportunity (NaN: not yet), or was disqualified or parked."""
    rng = world.rng("funnel")
    end = world.clock.end - MINUTES
    n = len(lead["lead_id"])
    source = lead["source"]
    fit_factor = np.where(lead["fit"], 1.35, 0.7)
    free = np.array([e is not None and e.endswith(V.FREE_EMAIL_DOMAINS) for e in lead["email"]])
    p_mql = np.array([P_MQL[s] for s in source]) * fit_factor * np.where(free, 0.5, 1.0)
    p_mql[lead["is_test"]] = 0
    mql = np.where(
        rng.random(n) < np.clip(p_mql, 0, 0.95),
        lead["created"] + np.where(source == "demo_request", lognormal_days(rng, 0.05, 0.8, n), lognormal_days(rng, 2.5, 1.0, n)),
        np.nan,
    )
    p_sql = np.where(source == "demo_request", 0.55, 0.38) * np.where(lead["fit"], 1.2, 0.7)
    sql = np.where(rng.random(n) < np.clip(p_sql, 0, 0.9), mql + lognormal_days(rng, 5, 0.8, n), np.nan)
    # sales-sourced leads often skip marketing qualification and go straight to SQL
    direct = np.isin(source, ("outbound",)) & np.isnan(mql) & (rng.random(n) < 0.1) & ~lead["is_test"]
    sql[direct] = lead["created"][direct] + lognormal_days(rng, 6, 0.8, int(direct.sum()))
    # a deal needs a company the CRM knows
    p_opp = np.where(lead["company"] < 0, 0.0, 0.62)
    opp = np.where(rng.random(n) < p_opp, sql + lognormal_days(rng, 4, 0.7, n), np.nan)
    for moment in (mql, sql, opp):
        moment[moment >= end] = np.nan
    sql[np.isnan(mql) & ~direct] = np.nan
    opp[np.isnan(sql)] = np.nan

    # leads that stop: disqualified or parked in nurture, after their last step
    last = np.fmax(np.fmax(lead["created"], np.nan_to_num(mql, nan=-1e9)), np.nan_to_num(sql, nan=-1e9))
    stop = np.where(~np.isnan(sql), 0.6, np.where(~np.isnan(mql), 0.75, 0.5))
    stopped = np.isnan(opp) & (rng.random(n) < stop) & ~lead["is_test"]
    to_nurture = rng.random(n) < 0.35
    when = last + lognormal_days(rng, 12, 0.8, n)
    stopped &= when < end
    lead["mql"], lead["sql"], lead["opp"] = mql, sql, opp
    lead["nurture"] = np.where(stopped & to_nurture, when, np.nan)
    lead["disqualified"] = np.where(stopped & ~to_nurture, when, np.nan)


def stage_log(world: World, lead: dict) -> None:
    rng = world.rng("stage_log")
    rows_lead, rows_stage, rows_time = [], [], []
    for stage in ("lead", "mql", "sql", "nurture", "disqualified"):
        moment = lead["created"] if stage == "lead" else lead[stage]
        has = ~np.isnan(moment)
        rows_lead.append(np.flatnonzero(has))
        rows_stage.append(np.full(int(has.sum()), stage, dtype=object))
        rows_time.append(moment[has])
    who = np.concatenate(rows_lead)
    stage = np.concatenate(rows_stage)
    moment = np.concatenate(rows_time)
    # the CRM stamps the change a moment after the lead record (never before it)
    moment = np.where(stage == "lead", moment + 1 * SECONDS, moment)
    order = np.argsort(moment, kind="stable")
    who, stage, moment = who[order], stage[order], moment[order]
    n = len(who)
    world.tables["crm_lead_stage_changes"] = make_frame(
        "crm_lead_stage_changes", n,
        change_id=ids("chg_", 1, n, 8), lead_id=lead["lead_id"][who],
        stage=_messy(rng, stage, V.LEAD_STAGE_VARIANTS, 0.06), changed_at=moment,
        _loaded_at=world.loaded(world.rng("loaded_at"), moment, 30),
    )
    updated = np.fmax.reduce([lead["created"], lead["mql"], lead["sql"], lead["nurture"], lead["disqualified"]])
    lead["updated"] = np.minimum(updated + 2 * SECONDS, world.clock.end - 2 * SECONDS)


def routing(world: World, lead: dict, users_frame: Frame) -> None:
    """Assignments of leads to SDRs when created, to AEs when they become SQL."""
    rng = world.rng("routing")
    teams = users_frame["team"]
    sdr = np.flatnonzero(teams == "sdr")
    active_sdr = sdr[users_frame["is_active"][sdr].astype(bool)]
    ae = np.flatnonzero(teams == "ae")
    n = len(lead["lead_id"])
    half = world.clock.end / 2
    inbound = np.isin(lead["source"], INBOUND)
    owner = np.where(lead["created"] < half, sdr[rng.integers(len(sdr), size=n)], active_sdr[rng.integers(len(active_sdr), size=n)])
    rule = np.where(inbound, _weighted(rng, (("territory", 40), ("segment", 20), ("round_robin", 40)), n), "manual").astype(object)
    at = lead["created"] + np.where(inbound, lognormal_days(rng, 3, 1.0, n) * MINUTES, rng.uniform(0, 2, n) * MINUTES)
    rows = [(np.arange(n), owner, at, rule)]
    moved = np.flatnonzero((rng.random(n) < 0.08))
    moved_at = at[moved] + lognormal_days(rng, 1, 0.7, len(moved))
    moved_to = active_sdr[rng.integers(len(active_sdr), size=len(moved))]
    rows.append((moved, moved_to, moved_at, np.full(len(moved), "manual", dtype=object)))
    # after a reassignment the new SDR works the lead
    lead["moved_to"] = np.full(n, -1)
    lead["moved_to"][moved] = moved_to
    lead["moved_at"] = np.full(n, np.nan)
    lead["moved_at"][moved] = moved_at
    to_ae = np.flatnonzero(~np.isnan(lead["sql"]))
    ae_owner = ae[rng.integers(len(ae), size=len(to_ae))]
    rows.append((to_ae, ae_owner, lead["sql"][to_ae] + rng.uniform(5, 60, len(to_ae)) * MINUTES, np.full(len(to_ae), "segment", dtype=object)))
    who, owner_all, when, rule_all = (np.concatenate(c) for c in zip(*rows))
    keep = when < world.clock.end - SECONDS
    who, owner_all, when, rule_all = who[keep], owner_all[keep], when[keep], rule_all[keep]
    order = np.argsort(when, kind="stable")
    who, owner_all, when, rule_all = who[order], owner_all[order], when[order], rule_all[order]
    m = len(who)
    user_ids = users_frame["user_id"]
    world.tables["crm_lead_assignments"] = make_frame(
        "crm_lead_assignments", m,
        assignment_id=ids("asg_", 1, m, 8), lead_id=lead["lead_id"][who], owner_id=user_ids[owner_all],
        assigned_at=when, rule=rule_all, _loaded_at=world.loaded(world.rng("loaded_at"), when, 15),
    )
    # the current owner is the one of the latest assignment
    newest_first_who, newest_first_owner = who[::-1], owner_all[::-1]
    _, latest = np.unique(newest_first_who, return_index=True)
    current = np.full(n, -1)
    current[newest_first_who[latest]] = newest_first_owner[latest]
    lead["owner"] = current
    lead["sdr"] = owner
    ae_of = np.full(n, -1)
    ae_of[to_ae] = ae_owner
    lead["ae"] = ae_of
    last_assigned = np.full(n, -np.inf)
    np.maximum.at(last_assigned, who, when)
    lead["updated"] = np.fmax(lead["updated"], last_assigned + SECONDS)
    lead["updated"] = np.minimum(lead["updated"], world.clock.end - SECONDS)


ACTIVITY_OUTCOMES = {
    "call": (("connected", 25), ("no_answer", 50), ("voicemail", 25)),
    "email": (("sent", 82), ("replied", 12), ("bounced", 6)),
    "linkedin": (("sent", 80), ("replied", 20)),
}


def _touches(rng, n, types_p=(("call", 40), ("email", 45), ("linkedin", 15))):
    kind = _weighted(rng, types_p, n)
    outcome = np.empty(n, dtype=object)
    for name, options in ACTIVITY_OUTCOMES.items():
        where = np.flatnonzero(kind == name)
        outcome[where] = _weighted(rng, options, len(where))
    meeting = np.flatnonzero(kind == "meeting")
    outcome[meeting] = _weighted(rng, (("attended", 85), ("no_show", 15)), len(meeting))
    return kind, outcome


def lead_activities(world: World, lead: dict, users_frame: Frame) -> dict:
    rng = world.rng("activities")
    n = len(lead["lead_id"])
    source = lead["source"]
    inbound = np.isin(source, INBOUND)
    contacted = np.where(inbound, rng.random(n) < 0.9, True) & ~lead["is_test"]
    delay = np.where(
        source == "demo_request", lognormal_days(rng, 0.6, 1.0, n) * HOURS,
        np.where(inbound, lognormal_days(rng, 3, 1.3, n) * HOURS, rng.uniform(1, 20, n) * MINUTES),
    )
    first = lead["created"] + delay
    who = np.flatnonzero(contacted)
    count = 1 + rng.poisson(2.2, len(who))
    lead_of = np.repeat(who, count)
    step = np.arange(len(lead_of)) - np.repeat(np.cumsum(count) - count, count)
    gap = lognormal_days(rng, 2, 0.6, len(lead_of))
    gap[step == 0] = 0
    running = np.cumsum(gap)
    start_of = np.repeat(np.cumsum(count) - count, count)
    when = first[lead_of] + running - running[start_of]
    kind, outcome = _touches(rng, len(lead_of))
    engaged_more = ~np.isnan(lead["mql"][lead_of]) & (kind == "call") & (rng.random(len(lead_of)) < 0.15)
    outcome[engaged_more] = "connected"
    direction = np.full(len(lead_of), "outbound", dtype=object)
    owner = lead["sdr"][lead_of]
    taken_over = (lead["moved_to"][lead_of] >= 0) & (when >= np.nan_to_num(lead["moved_at"][lead_of], nan=np.inf))
    owner[taken_over] = lead["moved_to"][lead_of][taken_over]

    replies = who[rng.random(len(who)) < 0.12]
    reply_at = first[replies] + lognormal_days(rng, 1, 0.8, len(replies))
    # meetings: booked around the SQL decision, sometimes for MQLs that never get there
    sql_leads = np.flatnonzero(~np.isnan(lead["sql"]))
    mql_only = np.flatnonzero(~np.isnan(lead["mql"]) & np.isnan(lead["sql"]) & (rng.random(n) < 0.2))
    meet = np.concatenate([sql_leads, mql_only])
    meet_at = np.concatenate([
        lead["sql"][sql_leads] + rng.uniform(0.5, 4, len(sql_leads)),
        lead["mql"][mql_only] + rng.uniform(1, 6, len(mql_only)),
    ])
    meet_outcome = np.where(rng.random(len(meet)) < np.where(np.arange(len(meet)) < len(sql_leads), 0.85, 0.7), "attended", "no_show").astype(object)
    meet_owner = np.where(lead["ae"][meet] >= 0, lead["ae"][meet], lead["sdr"][meet])
    return {
        "lead": np.concatenate([lead_of, replies, meet]),
        "deal": np.full(len(lead_of) + len(replies) + len(meet), -1),
        "owner": np.concatenate([owner, lead["sdr"][replies], meet_owner]),
        "type": np.concatenate([kind, np.full(len(replies), "email", dtype=object), np.full(len(meet), "meeting", dtype=object)]),
        "direction": np.concatenate([direction, np.full(len(replies), "inbound", dtype=object), np.full(len(meet), "outbound", dtype=object)]),
        "outcome": np.concatenate([outcome, np.full(len(replies), "replied", dtype=object), meet_outcome]),
        "when": np.concatenate([when, reply_at, meet_at]),
    }


# --------------------------------------------------------------------------- deals

OPEN_STAGES = ("discovery", "demo", "proposal", "negotiation")
STAGE_AT = np.array([0.0, 0.15, 0.4, 0.7])  # share of the sales cycle when each stage is entered


def _currency_of(country: np.ndarray) -> np.ndarray:
    return np.array([V.COUNTRY_CURRENCY.get(c, "USD") for c in country], dtype=object)


def deals(world: World, lead: dict, comp: dict, users_frame: Frame) -> dict:
    rng = world.rng("deals")
    end = world.clock.end - MINUTES
    ae = np.flatnonzero(users_frame["team"] == "ae")
    opp = np.flatnonzero(~np.isnan(lead["opp"]))
    company = lead["company"][opp]
    employees = comp["employees"][company]
    p_win = np.where(lead["source"][opp] == "demo_request", 0.29, np.where(lead["source"][opp] == "referral", 0.3, 0.22))
    p_win = p_win * np.where(lead["fit"][opp], 1.15, 0.85)
    new = {
        "lead": opp, "company": company, "type": np.full(len(opp), "new_business", dtype=object),
        "created": lead["opp"][opp],
        "amount": _deal_size(rng, employees),
        "cycle": lognormal_days(rng, 38, 0.6, len(opp)) * np.where(employees >= 1000, 1.4, 1.0),
        "p_win": p_win,
        "owner": np.where(lead["ae"][opp] >= 0, lead["ae"][opp], ae[rng.integers(len(ae), size=len(opp))]),
    }
    parts = [new]
    won_new = _close(rng, new, end)
    # customers come back: expansions a few months later, renewals after a year
    won = np.flatnonzero(won_new)
    expand = won[rng.random(len(won)) < 0.25]
    renew = won[(new["created"][won] + new["cycle"][won] + 330 < end) & (rng.random(len(won)) < 0.7)]
    for rows, deal_type, offset, cycle, p, size in (
        (expand, "expansion", lognormal_days(rng, 150, 0.4, len(expand)), 25, 0.4, 0.3),
        (renew, "renewal", np.full(len(renew), 330.0), 30, 0.75, 1.05),
    ):
        closed = new["created"][rows] + new["cycle"][rows]
        part = {
            "lead": np.full(len(rows), -1), "company": new["company"][rows],
            "type": np.full(len(rows), deal_type, dtype=object), "created": closed + offset,
            "amount": np.round(new["amount"][rows] * size, -2), "cycle": lognormal_days(rng, cycle, 0.4, len(rows)),
            "p_win": np.full(len(rows), p), "owner": new["owner"][rows],
        }
        keep = part["created"] < end - 1
        part = {k: v[keep] for k, v in part.items()}
        _close(rng, part, end)
        parts.append(part)
    deal = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(deal["created"], kind="stable")
    deal = {k: v[order] for k, v in deal.items()}
    n = len(deal["created"])
    deal["deal_id"] = ids("dl_", 1, n, 6)
    deal["currency"] = _currency_of(comp["country"][deal["company"]])
    deal["local_amount"] = np.round(deal["amount"] / np.array([V.USD_PER_UNIT.get(c, 1.0) for c in deal["currency"]]), -1)
    deal["is_deleted"] = rng.random(n) < 0.005
    _deal_frames(world, rng, deal, lead, comp, users_frame)
    return deal


def _deal_size(rng, employees):
    median = np.where(employees < 100, 9000, np.where(employees < 1000, 28000, 95000))
    return np.round(median * np.exp(rng.normal(0, 0.5, len(employees))), -2)


def _close(rng, deal: dict, end: float) -> np.ndarray:
    n = len(deal["created"])
    closed = deal["created"] + deal["cycle"]
    is_closed = closed < end
    won = is_closed & (rng.random(n) < np.clip(deal["p_win"], 0, 0.95))
    lost = is_closed & ~won
    # how far a deal got: all four stages when won, fewer when lost, by elapsed time when open
    lost_at = rng.choice(4, size=n, p=(0.3, 0.3, 0.25, 0.15))
    elapsed = (end - deal["created"]) / deal["cycle"]
    open_at = np.searchsorted(STAGE_AT, elapsed, side="right") - 1
    deal["last_stage"] = np.where(won, 3, np.where(lost, lost_at, np.clip(open_at, 0, 3)))
    deal["won"], deal["lost"] = won, lost
    deal["closed"] = np.where(is_closed, closed, np.nan)
    return won


def _deal_frames(world: World, rng, deal: dict, lead: dict, comp: dict, users_frame: Frame) -> None:
    n = len(deal["deal_id"])
    stage = np.where(deal["won"], "closed_won", np.where(deal["lost"], "closed_lost",
                     np.array(OPEN_STAGES, dtype=object)[deal["last_stage"]])).astype(object)
    has_lead = deal["lead"] >= 0
    user_ids = users_frame["user_id"]
    label = {"new_business": "New Business", "expansion": "Expansion", "renewal": "Renewal"}
    updated = np.fmax(deal["created"], np.nan_to_num(deal["closed"], nan=-1e9))
    world.tables["crm_deals"] = make_frame(
        "crm_deals", n,
        deal_id=deal["deal_id"],
        lead_id=np.where(has_lead, lead["lead_id"][np.maximum(deal["lead"], 0)], None),
        account_id=comp["account_id"][deal["company"]],
        owner_id=user_ids[deal["owner"]],
        deal_name=np.array([f"{comp['name'][c]} - {label[t]}" for c, t in zip(deal["company"], deal["type"])], dtype=object),
        deal_type=deal["type"],
        created_at=deal["created"],
        stage=_messy(rng, stage, V.DEAL_STAGE_VARIANTS, 0.04),
        amount=deal["local_amount"],
        currency_code=_case_mix(rng, deal["currency"], 0.05),
        expected_close_date=np.floor(deal["created"] + lognormal_days(rng, 40, 0.3, n)),
        closed_at=deal["closed"],
        is_deleted=np.where(deal["is_deleted"], True, np.where(rng.random(n) < 0.5, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), updated, 30),
    )
    # stage history: each stage reached, the amount firming up at the proposal
    rows_deal, rows_stage, rows_time, rows_amount = [], [], [], []
    for k, name in enumerate(OPEN_STAGES):
        reached = deal["last_stage"] >= k
        at = deal["created"] + STAGE_AT[k] * deal["cycle"]
        if k == 0:
            at = deal["created"] + SECONDS
        reached &= at < np.fmin(np.nan_to_num(deal["closed"], nan=np.inf), world.clock.end - MINUTES)
        where = np.flatnonzero(reached)
        estimate = np.round(deal["local_amount"][where] * rng.uniform(0.8, 1.3, len(where)), -2)
        amount = deal["local_amount"][where] if k >= 2 else estimate
        if k == 0:
            amount = np.where(rng.random(len(where)) < 0.08, np.nan, amount)
        rows_deal.append(where)
        rows_stage.append(np.full(len(where), name, dtype=object))
        rows_time.append(at[where])
        rows_amount.append(amount)
    closed = np.flatnonzero(~np.isnan(deal["closed"]))
    rows_deal.append(closed)
    rows_stage.append(stage[closed])
    rows_time.append(deal["closed"][closed])
    rows_amount.append(deal["local_amount"][closed])
    who = np.concatenate(rows_deal)
    moment = np.concatenate(rows_time)
    order = np.lexsort((moment, who))
    who, moment = who[order], moment[order]
    m = len(who)
    world.tables["crm_deal_stage_history"] = make_frame(
        "crm_deal_stage_history", m,
        deal_id=deal["deal_id"][who], stage=np.concatenate(rows_stage)[order], entered_at=moment,
        amount=np.concatenate(rows_amount)[order], currency_code=deal["currency"][who],
        _loaded_at=world.loaded(world.rng("loaded_at"), moment, 30),
    )


def _case_mix(rng, codes: np.ndarray, share: float) -> np.ndarray:
    codes = codes.copy()
    hit = np.flatnonzero(rng.random(len(codes)) < share)
    codes[hit] = [f" {c.lower()}" if c else c for c in codes[hit]]
    return codes


def deal_activities(world: World, deal: dict, lead: dict) -> dict:
    rng = world.rng("deal_activities")
    end = world.clock.end
    count = 2 + rng.poisson(3, len(deal["deal_id"]))
    of = np.repeat(np.arange(len(count)), count)
    stop = np.fmin(np.nan_to_num(deal["closed"], nan=end), end)
    when = deal["created"][of] + rng.random(len(of)) * (stop[of] - deal["created"][of])
    kind, outcome = _touches(rng, len(of), (("meeting", 35), ("email", 40), ("call", 25)))
    direction = np.where((kind == "email") & (rng.random(len(of)) < 0.15), "inbound", "outbound").astype(object)
    outcome[direction == "inbound"] = "replied"
    return {
        "lead": deal["lead"][of], "deal": of, "owner": deal["owner"][of], "type": kind,
        "direction": direction, "outcome": outcome, "when": when,
    }


def activities_frame(world: World, parts: list[dict], lead: dict, deal: dict, users_frame: Frame) -> None:
    rng = world.rng("activity_rows")
    act = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    keep = act["when"] < world.clock.end - SECONDS
    act = {k: v[keep] for k, v in act.items()}
    order = np.argsort(act["when"], kind="stable")
    act = {k: v[order] for k, v in act.items()}
    n = len(act["when"])
    world.tables["crm_activities"] = make_frame(
        "crm_activities", n,
        activity_id=ids("act_", 1, n, 8),
        lead_id=np.where(act["lead"] >= 0, lead["lead_id"][np.maximum(act["lead"], 0)], None),
        deal_id=np.where(act["deal"] >= 0, deal["deal_id"][np.maximum(act["deal"], 0)] if len(deal["deal_id"]) else None, None),
        owner_id=users_frame["user_id"][act["owner"]],
        activity_type=act["type"], direction=act["direction"], occurred_at=act["when"],
        outcome=_messy(rng, act["outcome"], V.OUTCOME_VARIANTS, 0.03),
        _loaded_at=world.loaded(world.rng("loaded_at"), act["when"], 45),
    )


def leads_frame(world: World, lead: dict, users_frame: Frame) -> None:
    rng = world.rng("lead_rows")
    n = len(lead["lead_id"])
    country = lead["country"].copy()
    lower = rng.random(n) < 0.08
    country[lower] = _lower(country[lower])
    industry = lead["industry"].copy()
    titled = np.flatnonzero((industry != None) & (rng.random(n) < 0.1))  # noqa: E711
    industry[titled] = [i.replace("_", " ").title() for i in industry[titled]]
    employees = np.where(rng.random(n) < 0.05, np.nan, lead["employees"])
    matched = (lead["company"] >= 0) & ((rng.random(n) < 0.7) | ~np.isnan(lead["opp"]) | (lead["user"] >= 0))
    user_ids = users_frame["user_id"]
    world.tables["crm_leads"] = make_frame(
        "crm_leads", n,
        lead_id=lead["lead_id"], created_at=lead["created"], updated_at=lead["updated"],
        email=_messy_email(rng, lead["email"], 0.06), first_name=lead["first"], last_name=lead["last"],
        job_title=pick(rng, V.JOB_TITLES, n), company_name=lead["company_name"], company_domain=lead["company_domain"],
        account_id=np.where(matched, lead["account_id_all"], None), country_code=country, industry=industry,
        employee_count=employees, lead_source=_messy(rng, lead["source"], V.LEAD_SOURCE_VARIANTS, 0.05),
        utm_source=lead["utm_source"], utm_medium=lead["utm_medium"], utm_campaign=lead["utm_campaign"],
        referred_by_user_id=lead["referred_by"],
        owner_id=np.where(lead["owner"] >= 0, user_ids[np.maximum(lead["owner"], 0)], None),
        is_deleted=np.where(lead["is_deleted"], True, np.where(rng.random(n) < 0.4, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), lead["updated"], 20),
    )


def accounts_frame(world: World, comp: dict, lead: dict, users: dict, deal: dict) -> None:
    rng = world.rng("account_rows")
    n = len(comp["name"])
    first_seen = np.full(n, np.inf)
    known = lead["company"] >= 0
    np.minimum.at(first_seen, lead["company"][known], lead["created"][known])
    crm_users = users["company"] >= 0
    np.minimum.at(first_seen, users["company"][crm_users], users["signed_up_at"][crm_users])
    # most accounts exist before anyone from them shows up; the others are created on first contact
    created = np.where(rng.random(n) < 0.55, rng.uniform(-700, -1, n), first_seen - rng.uniform(0.01, 2, n))
    unseen = ~np.isfinite(created)
    created[unseen] = rng.uniform(-700, world.clock.end - 1, int(unseen.sum()))
    created = np.minimum(created, np.where(np.isfinite(first_seen), first_seen - 0.001, np.inf))
    country = comp["country"].copy()
    lower = rng.random(n) < 0.05
    country[lower] = _lower(country[lower])
    with_deals = np.zeros(n, bool)
    with_deals[deal["company"]] = True
    deleted = (rng.random(n) < 0.005) & ~with_deals
    world.tables["crm_accounts"] = make_frame(
        "crm_accounts", n,
        account_id=comp["account_id"], name=comp["name"], domain=comp["domain"], industry=comp["industry"],
        employee_count=np.where(rng.random(n) < 0.05, np.nan, comp["employees"]), country_code=country,
        created_at=created,
        is_deleted=np.where(deleted, True, np.where(rng.random(n) < 0.4, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), np.maximum(created, 0), 60),
    )


# --------------------------------------------------------------------------- billing

PLAN_PRICE = {"starter": 49.0, "pro": 149.0, "enterprise": 600.0}
MONTH = 30.4375


def billing(world: World, users: dict, deal: dict, comp: dict) -> dict:
    rng = world.rng("subscriptions")
    end = world.clock.end - MINUTES
    # one trial per workspace, started by its first sign-up
    accounts, first_user = np.unique(users["account_id"], return_index=True)
    order_in_time = np.argsort(users["signed_up_at"], kind="stable")
    first_by_account = {}
    for u in order_in_time:
        first_by_account.setdefault(users["account_id"][u], u)
    first_user = np.array([first_by_account[a] for a in accounts])
    activated = np.zeros(len(accounts), bool)
    position = np.searchsorted(accounts, users["account_id"])
    np.logical_or.at(activated, position, users["activated"])
    trial_start = users["signed_up_at"][first_user] + rng.uniform(1, 5, len(accounts)) * MINUTES
    trial_end = trial_start + 14
    converts = (rng.random(len(accounts)) < np.where(activated, 0.3, 0.07)) & (trial_end < end)
    paid_start = np.where(converts, trial_end + rng.uniform(0, 0.4, len(accounts)), np.nan)
    plan = _weighted(rng, (("starter", 65), ("pro", 30), ("enterprise", 5)), len(accounts))
    seats = 1 + rng.poisson(2, len(accounts))
    currency = _currency_of(users["country"][first_user])
    rate = np.array([V.USD_PER_UNIT.get(c, 1.0) for c in currency])
    mrr = np.round(np.array([PLAN_PRICE[p] for p in plan]) * seats / np.where(currency == "USD", 1.0, 1.0), 2)
    sub = {
        "account": accounts.astype(object), "trial_start": trial_start, "trial_end": trial_end,
        "paid_start": paid_start, "plan": plan, "mrr": mrr, "currency": currency, "sales_led": np.zeros(len(accounts), bool),
    }
    # won new-business deals start (or upgrade to) a paid subscription at the close
    won = np.flatnonzero(deal["won"] & (deal["type"] == "new_business"))
    index = {a: i for i, a in enumerate(sub["account"])}
    extra = {k: [] for k in sub}
    for d in won:
        account = comp["account_id"][deal["company"][d]]
        closed = deal["closed"][d]
        plan_d = "enterprise" if deal["amount"][d] >= 40_000 else "pro"
        mrr_d = round(deal["local_amount"][d] / 12, 2)
        i = index.get(account)
        if i is not None:
            if np.isnan(sub["paid_start"][i]) or sub["paid_start"][i] > closed:
                if sub["trial_start"][i] < closed:
                    sub["paid_start"][i], sub["plan"][i], sub["mrr"][i] = closed, plan_d, mrr_d
                    sub["currency"][i], sub["sales_led"][i] = deal["currency"][d], True
            continue
        index[account] = -1
        for k, v in (("account", account), ("trial_start", np.nan), ("trial_end", np.nan), ("paid_start", closed),
                     ("plan", plan_d), ("mrr", mrr_d), ("currency", deal["currency"][d]), ("sales_led", True)):
            extra[k].append(v)
    if extra["account"]:
        sub = {k: np.concatenate([sub[k], np.array(extra[k], dtype=sub[k].dtype)]) for k in sub}
    n = len(sub["account"])
    hazard = np.where(sub["sales_led"], 0.01, 0.028)
    canceled = sub["paid_start"] + rng.exponential(MONTH / hazard)
    canceled[canceled >= end] = np.nan
    trial_over = sub["trial_end"] < end
    never_paid = np.isnan(sub["paid_start"])
    canceled = np.where(never_paid & trial_over, np.minimum(sub["trial_end"] + rng.uniform(0, 0.2, n), end), canceled)
    status = np.where(~np.isnan(canceled), "canceled", np.where(never_paid, "trialing", "active")).astype(object)
    past_due = (status == "active") & (rng.random(n) < 0.04)
    status[past_due] = "past_due"
    created = np.fmin(sub["trial_start"], sub["paid_start"])
    order = np.argsort(created, kind="stable")
    sub = {k: v[order] for k, v in sub.items()}
    canceled, status, created = canceled[order], status[order], created[order]
    sub["subscription_id"] = ids("sub_", 1, n, 6)
    trial_end_seen = np.where(sub["trial_end"] < end, sub["trial_end"], np.nan)
    updated = np.fmax.reduce([created, trial_end_seen, sub["paid_start"], canceled])
    world.tables["billing_subscriptions"] = make_frame(
        "billing_subscriptions", n,
        subscription_id=sub["subscription_id"], account_id=sub["account"], plan=sub["plan"], status=status,
        trial_started_at=sub["trial_start"], trial_ended_at=trial_end_seen, paid_started_at=sub["paid_start"],
        canceled_at=canceled, mrr_amount=sub["mrr"], currency_code=sub["currency"],
        _loaded_at=world.loaded(world.rng("loaded_at"), updated, 60),
    )
    _invoices(world, rng, sub, canceled, status == "past_due")
    sub["canceled"] = canceled
    return sub


def _invoices(world: World, rng, sub: dict, canceled: np.ndarray, past_due: np.ndarray) -> None:
    end = world.clock.end - MINUTES
    paying = np.flatnonzero(~np.isnan(sub["paid_start"]))
    stop = np.fmin(np.nan_to_num(canceled[paying], nan=end), end)
    months = np.ceil((stop - sub["paid_start"][paying]) / MONTH).astype(int)
    months = np.maximum(months, 1)
    of = np.repeat(paying, months)
    k = np.arange(len(of)) - np.repeat(np.cumsum(months) - months, months)
    issued = sub["paid_start"][of] + k * MONTH
    keep = issued < np.repeat(stop, months)
    of, k, issued = of[keep], k[keep], issued[keep]
    paid = issued + lognormal_days(rng, 0.6, 1.0, len(of))
    status = np.where(paid < end, "paid", "open").astype(object)
    last = np.r_[of[1:] != of[:-1], True]
    status[last & past_due[of]] = "open"
    roll = rng.random(len(of))
    status[(status == "paid") & (roll < 0.015)] = "void"
    status[(status == "paid") & (roll > 0.993)] = "refunded"
    paid = np.where(np.isin(status, ("paid", "refunded")), paid, np.nan)
    order = np.argsort(issued, kind="stable")
    of, issued, paid, status = of[order], issued[order], paid[order], status[order]
    n = len(of)
    world.tables["billing_invoices"] = make_frame(
        "billing_invoices", n,
        invoice_id=ids("in_", 1, n, 8), subscription_id=sub["subscription_id"][of], account_id=sub["account"][of],
        issued_at=issued, paid_at=paid, amount=sub["mrr"][of], currency_code=sub["currency"][of], status=status,
        _loaded_at=world.loaded(world.rng("loaded_at"), np.fmax(issued, paid), 60),
    )


# --------------------------------------------------------------------------- product usage

def product_events(world: World, users: dict, sub: dict) -> None:
    rng = world.rng("product")
    end = world.clock.end - SECONDS
    n = len(users["user_id"])
    act = users["activated"]
    counts = {
        "login": 2 + rng.poisson(np.where(act, 3.0, 1.0)),
        "project_created": np.where(act, 1 + rng.poisson(1.0, n), rng.binomial(1, 0.3, n)),
        "teammate_invited": np.where(act, 1 + rng.poisson(0.8, n), 0),
        "integration_connected": np.where(act, rng.binomial(1, 0.7, n), rng.binomial(1, 0.05, n)),
        "report_shared": np.where(act, rng.poisson(1.0, n), 0),
        "dashboard_viewed": rng.poisson(np.where(act, 4.0, 1.0)),
    }
    who, name, when = [], [], []
    for event, count in counts.items():
        u = np.repeat(np.arange(n), count)
        who.append(u)
        name.append(np.full(len(u), event, dtype=object))
        when.append(users["signed_up_at"][u] + rng.uniform(0.001, 14, len(u)))
    # paying workspaces keep using the product: a few logins and views a week
    paid_start = dict(zip(sub["account"], sub["paid_start"]))
    cancel = dict(zip(sub["account"], sub["canceled"]))
    start = np.array([paid_start.get(a, np.nan) for a in users["account_id"]])
    stop = np.array([cancel.get(a, np.nan) for a in users["account_id"]])
    stop = np.fmin(np.nan_to_num(stop, nan=end), end)
    start = np.fmax(start, users["signed_up_at"] + 14)
    weeks = np.where(np.isnan(start) | (stop <= start), 0, (stop - np.nan_to_num(start)) / 7)
    count = rng.poisson(weeks * np.where(act, 2.5, 0.8))
    u = np.repeat(np.arange(n), count)
    who.append(u)
    name.append(pick(rng, ("login", "dashboard_viewed", "report_shared", "project_created"), len(u), (50, 30, 12, 8)))
    when.append(start[u] + rng.random(len(u)) * (stop[u] - start[u]))
    who, name, when = np.concatenate(who), np.concatenate(name), np.concatenate(when)
    keep = when < end
    who, name, when = who[keep], name[keep], when[keep]
    order = np.argsort(when, kind="stable")
    who, name, when = who[order], name[order], when[order]
    m = len(who)
    world.tables["product_events"] = make_frame(
        "product_events", m,
        event_id=ids("pe_", 1, m, 9), user_id=users["user_id"][who], account_id=users["account_id"][who],
        event_name=name, occurred_at=when, _loaded_at=world.loaded(world.rng("loaded_at"), when, 5),
    )


# --------------------------------------------------------------------------- email and newsletter

def email_events(world: World, camp: dict, lead: dict) -> None:
    rng = world.rng("email")
    end = world.clock.end - SECONDS
    reachable = np.flatnonzero((lead["email"] != None) & ~lead["is_test"])  # noqa: E711
    created = lead["created"][reachable]
    outsiders = people(rng, max(20, round(300 * world.scale)), pick(rng, V.FREE_EMAIL_DOMAINS, max(20, round(300 * world.scale))))["email"]
    rows = {k: [] for k in ("campaign", "lead", "email", "type", "when")}

    def add(campaign, lead_idx, email, kind, when):
        for key, value in (("campaign", campaign), ("lead", lead_idx), ("email", email), ("type", kind), ("when", when)):
            rows[key].append(value)

    for c, send_time in zip(camp["email_index"], camp["email_send_time"]):
        if send_time >= end:
            continue
        pool = reachable[created < send_time - 1]
        to_leads = pool[rng.random(len(pool)) < 0.15]
        to_others = outsiders[rng.random(len(outsiders)) < 0.3]
        recipient_lead = np.concatenate([to_leads, np.full(len(to_others), -1)])
        address = np.concatenate([lead["email"][to_leads], to_others])
        r = len(recipient_lead)
        sent = send_time + rng.uniform(0, 30, r) * MINUTES
        add(np.full(r, c), recipient_lead, address, np.full(r, "sent", dtype=object), sent)
        bounced = rng.random(r) < 0.03
        arrive = sent + rng.uniform(1, 60, r) * SECONDS
        add(np.full(int(bounced.sum()), c), recipient_lead[bounced], address[bounced],
            np.full(int(bounced.sum()), "bounced", dtype=object), arrive[bounced])
        ok = np.flatnonzero(~bounced)
        add(np.full(len(ok), c), recipient_lead[ok], address[ok], np.full(len(ok), "delivered", dtype=object), arrive[ok])
        interested = np.where(recipient_lead[ok] >= 0, ~np.isnan(lead["mql"][np.maximum(recipient_lead[ok], 0)]), False)
        opener = ok[rng.random(len(ok)) < np.where(interested, 0.38, 0.22)]
        opens = 1 + rng.geometric(0.6, len(opener)) - 1
        o = np.repeat(opener, opens)
        open_at = arrive[o] + lognormal_days(rng, 3, 1.5, len(o)) * HOURS
        add(np.full(len(o), c), recipient_lead[o], address[o], np.full(len(o), "opened", dtype=object), open_at)
        clicker = opener[rng.random(len(opener)) < 0.2]
        add(np.full(len(clicker), c), recipient_lead[clicker], address[clicker], np.full(len(clicker), "clicked", dtype=object),
            arrive[clicker] + lognormal_days(rng, 4, 1.2, len(clicker)) * HOURS)
        leaving = ok[rng.random(len(ok)) < 0.007]
        add(np.full(len(leaving), c), recipient_lead[leaving], address[leaving], np.full(len(leaving), "unsubscribed", dtype=object),
            arrive[leaving] + lognormal_days(rng, 1, 1.0, len(leaving)))
        angry = ok[rng.random(len(ok)) < 0.0005]
        add(np.full(len(angry), c), recipient_lead[angry], address[angry], np.full(len(angry), "complained", dtype=object),
            arrive[angry] + lognormal_days(rng, 1, 1.0, len(angry)))
    ev = {k: np.concatenate(v) for k, v in rows.items()}
    keep = ev["when"] < end
    ev = {k: v[keep] for k, v in ev.items()}
    order = np.argsort(ev["when"], kind="stable")
    ev = {k: v[order] for k, v in ev.items()}
    n = len(ev["when"])
    world.tables["email_events"] = make_frame(
        "email_events", n,
        event_id=ids("em_", 1, n, 9), campaign_id=camp["id"][ev["campaign"]],
        recipient_email=_messy_email(rng, ev["email"], 0.04),
        lead_id=np.where(ev["lead"] >= 0, lead["lead_id"][np.maximum(ev["lead"], 0)], None),
        event_type=_messy(rng, ev["type"], V.EMAIL_EVENT_VARIANTS, 0.02), occurred_at=ev["when"],
        _loaded_at=world.loaded(world.rng("loaded_at"), ev["when"], 10),
    )


def newsletter(world: World, lead: dict) -> None:
    rng = world.rng("newsletter")
    end = world.clock.end - SECONDS
    n = max(20, round(2500 * world.scale))
    known = lead["email"][(lead["email"] != None) & ~lead["is_test"]]  # noqa: E711
    strangers = people(rng, n, pick(rng, V.FREE_EMAIL_DOMAINS + ("acme.io", "example.org"), n))["email"]
    from_leads = rng.random(n) < 0.55
    email = np.where(from_leads & (len(known) > 0), known[rng.integers(max(1, len(known)), size=n)] if len(known) else strangers, strangers)
    email = np.unique(email)
    n = len(email)
    subscribed = world.clock.sample_times(rng, n)
    source = _weighted(rng, (("footer", 35), ("blog", 30), ("webinar", 15), ("event", 10), ("checkout", 10)), n)
    unsub = np.where(rng.random(n) < 0.18, subscribed + lognormal_days(rng, 60, 0.8, n), np.nan)
    back = np.where((rng.random(n) < 0.04) & ~np.isnan(unsub), unsub + lognormal_days(rng, 30, 0.6, n), np.nan)
    # a second 'subscribed' while already subscribed: changes nothing, but it is in the feed
    again = np.where(rng.random(n) < 0.03, subscribed + lognormal_days(rng, 10, 0.6, n), np.nan)
    again[~np.isnan(unsub) & (again >= unsub)] = np.nan
    who, kind, when, src = [], [], [], []
    for moment, event_type in ((subscribed, "subscribed"), (unsub, "unsubscribed"), (back, "subscribed"), (again, "subscribed")):
        has = np.flatnonzero(~np.isnan(moment) & (moment < end))
        who.append(has)
        kind.append(np.full(len(has), event_type, dtype=object))
        when.append(moment[has])
        src.append(np.where(event_type == "unsubscribed", None, source[has]))
    who, kind, when, src = (np.concatenate(x) for x in (who, kind, when, src))
    order = np.argsort(when, kind="stable")
    who, kind, when, src = who[order], kind[order], when[order], src[order]
    m = len(who)
    typed = kind.copy()
    typed[rng.random(m) < 0.03] = "Subscribed"
    typed = np.where((kind == "unsubscribed") & (typed == "Subscribed"), "Unsubscribed", typed)
    world.tables["newsletter_subscriptions"] = make_frame(
        "newsletter_subscriptions", m,
        event_id=ids("nl_", 1, m, 7), email=_messy_email(rng, email[who], 0.05), event_type=typed,
        occurred_at=when, source=src, _loaded_at=world.loaded(world.rng("loaded_at"), when, 10),
    )


# --------------------------------------------------------------------------- social, ad spend, expenses, rates

def social(world: World, camp: dict) -> None:
    rng = world.rng("social")
    clock = world.clock
    n = max(30, round(900 * world.scale))
    network = pick(rng, ("linkedin", "x", "facebook", "instagram", "youtube"), n, (45, 20, 12, 13, 10))
    posted = clock.sample_times(rng, n)
    organic = np.flatnonzero(camp["channel"] == "organic_social")[0]
    content = np.flatnonzero(np.isin(camp["channel"], ("webinar", "content")))
    at = np.searchsorted(camp["start"][content], posted, side="right") - 1
    roll = rng.random(n)
    campaign = np.where(roll < 0.45, camp["id"][organic], np.where((roll < 0.65) & (at >= 0), camp["id"][content][np.maximum(at, 0)], None))
    days = np.minimum(14, clock.days - np.floor(posted)).astype(int)
    of = np.repeat(np.arange(n), days)
    d = np.arange(len(of)) - np.repeat(np.cumsum(days) - days, days)
    base = lognormal_days(rng, 900, 0.8, n)
    impressions = rng.poisson(base[of] * 0.6 ** d)
    metric_date = np.floor(posted[of]) + d
    frame = make_frame(
        "social_post_metrics", len(of),
        post_id=ids("post_", 1, n, 5)[of], network=network[of], campaign_id=campaign[of], posted_at=posted[of],
        metric_date=metric_date, impressions=impressions.astype(float),
        likes=rng.binomial(impressions, 0.02).astype(float), shares=rng.binomial(impressions, 0.004).astype(float),
        comments=rng.binomial(impressions, 0.003).astype(float),
        _loaded_at=np.maximum(np.minimum(metric_date + 1 + rng.uniform(2, 8, len(of)) * HOURS, clock.end - SECONDS), posted[of]),
    )
    world.tables["social_post_metrics"] = frame


COST_PER_CLICK = {"google_ads": 3.2, "linkedin_ads": 8.5, "meta_ads": 1.4}
CLICK_THROUGH = {"paid_search": 0.04, "paid_social": 0.007, "display": 0.002}


def ad_spend(world: World, camp: dict) -> None:
    rng = world.rng("ad_spend")
    clock = world.clock
    weights = clock.day_weights() / clock.day_weights().mean()
    paid = np.flatnonzero(np.isin(camp["channel"], PAID_CHANNELS))
    rows = {k: [] for k in ("campaign", "day", "spend")}
    for c in paid:
        first = int(max(camp["start"][c], 0))
        last = int(min(np.nan_to_num(camp["end"][c], nan=clock.days - 1), clock.days - 1))
        days = np.arange(first, last + 1)
        rows["campaign"].append(np.full(len(days), c))
        rows["day"].append(days.astype(float))
        rows["spend"].append(camp["daily"][c] * weights[days] * rng.uniform(0.85, 1.15, len(days)))
    c, day, spend_usd = (np.concatenate(v) for v in (rows["campaign"], rows["day"], rows["spend"]))
    platform = camp["platform"][c]
    cpc = np.array([COST_PER_CLICK.get(p, 1.0) for p in platform]) * np.where(camp["channel"][c] == "display", 0.3, 1.0)
    clicks = np.round(spend_usd / cpc * rng.uniform(0.9, 1.1, len(c)))
    ctr = np.array([CLICK_THROUGH[ch] for ch in camp["channel"][c]])
    impressions = np.round(clicks / ctr * rng.uniform(0.8, 1.2, len(c)))
    currency = camp["currency"][c]
    local = spend_usd / np.array([V.USD_PER_UNIT.get(x, 1.0) for x in currency])
    n = len(c)
    world.tables["ad_spend"] = make_frame(
        "ad_spend", n,
        report_date=day, platform=_messy(rng, platform, V.PLATFORM_VARIANTS, 0.02), campaign_id=camp["id"][c],
        impressions=impressions, clicks=clicks, spend=np.round(local, 2), currency_code=currency,
        # the platform reports a day the next morning; today's figures arrive the same evening
        _loaded_at=np.minimum(day + 1 + 6 * HOURS + rng.uniform(0, 2, n) * HOURS, clock.end - rng.uniform(1, 60, n) * MINUTES),
    )


EXPENSES = (  # category, currency, monthly amount in USD at scale 1
    ("salaries", "USD", 60000), ("tools", "USD", 9000), ("agencies", "EUR", 12000), ("agencies", "USD", 3000),
    ("events", "EUR", 6000), ("content", "USD", 5000),
)


def expenses(world: World) -> None:
    rng = world.rng("expenses")
    clock = world.clock
    months = clock.month_starts()
    growth = np.linspace(0.85, 1.2, len(months))
    rows = []
    for category, currency, amount in EXPENSES:
        usd = amount * world.scale * growth * rng.uniform(0.9, 1.1, len(months))
        if category == "events":
            usd = usd * np.where(np.arange(len(months)) % 3 == 0, 2.5, 0.4)
        local = np.round(usd / V.USD_PER_UNIT.get(currency, 1.0), 2)
        rows.append((months, np.full(len(months), category, dtype=object), local, np.full(len(months), currency, dtype=object)))
    month, category, amount, currency = (np.concatenate(x) for x in zip(*rows))
    n = len(month)
    world.tables["marketing_expenses"] = make_frame(
        "marketing_expenses", n, month=month, category=category, amount=amount, currency_code=currency,
        _loaded_at=np.minimum(month + 3 + 9 * HOURS, clock.end - rng.uniform(1, 5, n) * HOURS),
    )


def fx_rates(world: World) -> None:
    rng = world.rng("fx_rates")
    clock = world.clock
    months = clock.month_starts(before=12)
    rows = [(months, np.full(len(months), "USD", dtype=object), np.ones(len(months)))]
    for currency in V.CURRENCIES:
        walk = V.USD_PER_UNIT[currency] * np.exp(np.cumsum(rng.normal(0, 0.012, len(months))))
        rows.append((months, np.full(len(months), currency, dtype=object), np.round(walk, 6)))
    month, currency, rate = (np.concatenate(x) for x in zip(*rows))
    n = len(month)
    world.tables["fx_rates"] = make_frame(
        "fx_rates", n, month=month, currency_code=currency, usd_per_unit=rate,
        _loaded_at=np.clip(month + 1 + 2 * HOURS, 0.5, clock.end - 2 * HOURS),
    )


# --------------------------------------------------------------------------- the whole story

def build(world: World, progress=None) -> dict:
    step = progress.update if progress is not None else (lambda n=1: None)
    comp = companies(world)
    users_frame = staff(world)
    camp = campaigns(world)
    step()
    web = web_sessions(world, camp)
    step()
    lead_rng = world.rng("leads")
    conversion = web_conversions(world, lead_rng, web, 0.02)
    users = app_users(world, web, comp, conversion["visitor"])
    lead = leads(world, lead_rng, conversion, web, comp, users)
    web_events(world, web, lead, users)
    del web
    step()
    funnel(world, lead)
    stage_log(world, lead)
    routing(world, lead, users_frame)
    deal = deals(world, lead, comp, users_frame)
    activities_frame(world, [lead_activities(world, lead, users_frame), deal_activities(world, deal, lead)], lead, deal, users_frame)
    leads_frame(world, lead, users_frame)
    accounts_frame(world, comp, lead, users, deal)
    step()
    sub = billing(world, users, deal, comp)
    product_events(world, users, sub)
    email_events(world, camp, lead)
    newsletter(world, lead)
    social(world, camp)
    ad_spend(world, camp)
    expenses(world)
    fx_rates(world)
    step()
    return world.tables
