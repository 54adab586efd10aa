"""Marketing: campaigns, email sends and the newsletter, social posts, ad spend, expenses, FX rates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import HOURS, MINUTES, SECONDS, ids, lognormal_days, make_frame, pick
from .records import Leads
from .world import World, messy, messy_email, people, scaled, weighted

# --------------------------------------------------------------------------- campaigns


@dataclass
class Campaigns:
    """The marketing campaigns, one entry each; times in days since the clock's start."""

    id: np.ndarray
    name: np.ndarray
    channel: np.ndarray
    platform: np.ndarray
    utm: np.ndarray  # utm_campaign as the campaign defines it (lower case)
    start: np.ndarray
    end: np.ndarray  # inclusive; NaN for always-on campaigns
    daily: np.ndarray  # daily budget in USD at the world's scale
    currency: np.ndarray
    email_index: np.ndarray  # the email campaigns (newsletters and nurtures), as indexes
    email_send_time: np.ndarray  # when each of those is sent


def campaigns(world: World) -> Campaigns:
    rng = world.rng("campaigns")
    clock = world.clock
    rows = []  # name, channel, platform, utm, start, end (inclusive, days), daily budget, currency
    always_on_start = -30.0
    for name, channel, platform, utm, daily, currency in C.ALWAYS_ON:
        rows.append((name, channel, platform, utm, always_on_start, np.nan, daily, currency))
    months = clock.month_starts()
    month_ends = np.append(months[1:], clock.end) - 1
    for m, (start, end) in enumerate(zip(months, month_ends, strict=False)):
        label = str(np.datetime64(clock.start, "M") + m)
        slug = label.replace("-", "_")
        rows.append((f"Newsletter {label}", "email", "email", f"newsletter_{slug}", start, end, 0, "USD"))
        rows.append((f"Nurture {label}", "email", "email", f"nurture_{slug}", start, end, 0, "USD"))
        rows.append((f"Webinar {label}", "webinar", "none", f"webinar_{slug}", start, end, 40, "USD"))
        if m % 3 == 0:
            quarter_end = month_ends[min(m + 2, len(months) - 1)]
            rows.append((f"Ebook {label}", "content", "none", f"ebook_{slug}", start, quarter_end, 30, "USD"))
            rows.append((f"Field event {label}", "event", "none", f"event_{slug}", start, start + 2, 0, "EUR"))
            rows.append(
                (f"Search - Promo {label}", "paid_search", "google_ads", f"search_promo_{slug}", start, end, 200, "USD")
            )
    n = len(rows)
    name, channel, platform, utm, start, end, daily, currency = (
        np.array(c, dtype=object) for c in zip(*rows, strict=False)
    )
    start = start.astype(float)
    end = end.astype(float)
    daily = daily.astype(float) * world.scale
    span = np.where(np.isnan(end), clock.end - start, end - start + 1)
    budget = np.round(daily * span * rng.uniform(0.9, 1.2, n), -1)
    budget = np.where(channel == "event", np.round(C.EVENT_BUDGET * world.scale * rng.uniform(0.8, 1.2, n), -1), budget)
    local_budget = budget / np.array([V.USD_PER_UNIT.get(c, 1.0) for c in currency])
    campaign_id = ids("cmp_", 1, n, 4)
    # utm_campaign as the marketing team typed it in the tool: not always lower case
    typed_utm = utm.copy()
    upper = rng.random(n) < 0.1
    typed_utm[upper] = np.array([u.upper() for u in utm[upper]], dtype=object)
    frame = make_frame(
        "marketing_campaigns",
        n,
        campaign_id=campaign_id,
        campaign_name=name,
        channel=channel,
        platform=platform,
        utm_campaign=typed_utm,
        start_date=start,
        end_date=end,
        budget=np.round(local_budget, 2),
        currency_code=currency,
        _loaded_at=np.maximum(start - 3, 0.0) + rng.uniform(0.3, 0.7, n),
    )
    world.tables["marketing_campaigns"] = frame
    email_sends = np.flatnonzero(channel == "email")
    send_offset = np.where(np.char.startswith(utm[email_sends].astype(str), "newsletter"), 7, 18)
    return Campaigns(
        id=campaign_id,
        name=name,
        channel=channel,
        platform=platform,
        utm=utm,
        start=start,
        end=end,
        daily=daily,
        currency=currency,
        email_index=email_sends,
        email_send_time=start[email_sends] + send_offset + 15 * HOURS,
    )


# --------------------------------------------------------------------------- email and newsletter


def email_events(world: World, camp: Campaigns, lead: Leads) -> None:
    rng = world.rng("email")
    end = world.clock.end - SECONDS
    reachable = np.flatnonzero((lead.email != None) & ~lead.is_test)  # noqa: E711
    created = lead.created[reachable]
    outsiders = people(
        rng, scaled(world, C.EMAIL_OUTSIDERS), pick(rng, V.FREE_EMAIL_DOMAINS, scaled(world, C.EMAIL_OUTSIDERS))
    )["email"]
    rows = {k: [] for k in ("campaign", "lead", "email", "type", "when")}

    def add(campaign, lead_idx, email, kind, when):
        for key, value in (
            ("campaign", campaign),
            ("lead", lead_idx),
            ("email", email),
            ("type", kind),
            ("when", when),
        ):
            rows[key].append(value)

    for c, send_time in zip(camp.email_index, camp.email_send_time, strict=False):
        if send_time >= end:
            continue
        pool = reachable[created < send_time - 1]
        to_leads = pool[rng.random(len(pool)) < 0.15]
        to_others = outsiders[rng.random(len(outsiders)) < 0.3]
        recipient_lead = np.concatenate([to_leads, np.full(len(to_others), -1)])
        address = np.concatenate([lead.email[to_leads], to_others])
        r = len(recipient_lead)
        sent = send_time + rng.uniform(0, 30, r) * MINUTES
        add(np.full(r, c), recipient_lead, address, np.full(r, "sent", dtype=object), sent)
        bounced = rng.random(r) < 0.03
        arrive = sent + rng.uniform(1, 60, r) * SECONDS
        add(
            np.full(int(bounced.sum()), c),
            recipient_lead[bounced],
            address[bounced],
            np.full(int(bounced.sum()), "bounced", dtype=object),
            arrive[bounced],
        )
        ok = np.flatnonzero(~bounced)
        add(
            np.full(len(ok), c),
            recipient_lead[ok],
            address[ok],
            np.full(len(ok), "delivered", dtype=object),
            arrive[ok],
        )
        interested = np.where(recipient_lead[ok] >= 0, ~np.isnan(lead.mql[np.maximum(recipient_lead[ok], 0)]), False)
        opener = ok[rng.random(len(ok)) < np.where(interested, 0.38, 0.22)]
        opens = 1 + rng.geometric(0.6, len(opener)) - 1
        o = np.repeat(opener, opens)
        open_at = arrive[o] + lognormal_days(rng, 3, 1.5, len(o)) * HOURS
        add(np.full(len(o), c), recipient_lead[o], address[o], np.full(len(o), "opened", dtype=object), open_at)
        clicker = opener[rng.random(len(opener)) < 0.2]
        add(
            np.full(len(clicker), c),
            recipient_lead[clicker],
            address[clicker],
            np.full(len(clicker), "clicked", dtype=object),
            arrive[clicker] + lognormal_days(rng, 4, 1.2, len(clicker)) * HOURS,
        )
        leaving = ok[rng.random(len(ok)) < 0.007]
        add(
            np.full(len(leaving), c),
            recipient_lead[leaving],
            address[leaving],
            np.full(len(leaving), "unsubscribed", dtype=object),
            arrive[leaving] + lognormal_days(rng, 1, 1.0, len(leaving)),
        )
        angry = ok[rng.random(len(ok)) < 0.0005]
        add(
            np.full(len(angry), c),
            recipient_lead[angry],
            address[angry],
            np.full(len(angry), "complained", dtype=object),
            arrive[angry] + lognormal_days(rng, 1, 1.0, len(angry)),
        )
    ev = {k: np.concatenate(v) for k, v in rows.items()}
    keep = ev["when"] < end
    ev = {k: v[keep] for k, v in ev.items()}
    order = np.argsort(ev["when"], kind="stable")
    ev = {k: v[order] for k, v in ev.items()}
    n = len(ev["when"])
    world.tables["email_events"] = make_frame(
        "email_events",
        n,
        event_id=ids("em_", 1, n, 9),
        campaign_id=camp.id[ev["campaign"]],
        recipient_email=messy_email(rng, ev["email"], 0.04),
        lead_id=np.where(ev["lead"] >= 0, lead.lead_id[np.maximum(ev["lead"], 0)], None),
        event_type=messy(rng, ev["type"], V.EMAIL_EVENT_VARIANTS, 0.02),
        occurred_at=ev["when"],
        _loaded_at=world.loaded(world.rng("loaded_at"), ev["when"], 10),
    )


def newsletter(world: World, lead: Leads) -> None:
    rng = world.rng("newsletter")
    end = world.clock.end - SECONDS
    n = scaled(world, C.NEWSLETTER_SIGNUPS)
    known = lead.email[(lead.email != None) & ~lead.is_test]  # noqa: E711
    strangers = people(rng, n, pick(rng, V.FREE_EMAIL_DOMAINS + ("acme.io", "example.org"), n))["email"]
    from_leads = rng.random(n) < 0.55
    email = np.where(
        from_leads & (len(known) > 0),
        known[rng.integers(max(1, len(known)), size=n)] if len(known) else strangers,
        strangers,
    )
    email = np.unique(email)
    n = len(email)
    subscribed = world.clock.sample_times(rng, n)
    source = weighted(rng, (("footer", 35), ("blog", 30), ("webinar", 15), ("event", 10), ("checkout", 10)), n)
    unsub = np.where(rng.random(n) < 0.18, subscribed + lognormal_days(rng, 60, 0.8, n), np.nan)
    back = np.where((rng.random(n) < 0.04) & ~np.isnan(unsub), unsub + lognormal_days(rng, 30, 0.6, n), np.nan)
    # a second 'subscribed' while already subscribed: changes nothing, but it is in the feed
    again = np.where(rng.random(n) < 0.03, subscribed + lognormal_days(rng, 10, 0.6, n), np.nan)
    again[~np.isnan(unsub) & (again >= unsub)] = np.nan
    who, kind, when, src = [], [], [], []
    for moment, event_type in (
        (subscribed, "subscribed"),
        (unsub, "unsubscribed"),
        (back, "subscribed"),
        (again, "subscribed"),
    ):
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
        "newsletter_subscriptions",
        m,
        event_id=ids("nl_", 1, m, 7),
        email=messy_email(rng, email[who], 0.05),
        event_type=typed,
        occurred_at=when,
        source=src,
        _loaded_at=world.loaded(world.rng("loaded_at"), when, 10),
    )


# --------------------------------------------------------------------------- social, ad spend, expenses, rates


def social(world: World, camp: Campaigns) -> None:
    rng = world.rng("social")
    clock = world.clock
    n = scaled(world, C.SOCIAL_POSTS)
    network = pick(rng, ("linkedin", "x", "facebook", "instagram", "youtube"), n, (45, 20, 12, 13, 10))
    posted = clock.sample_times(rng, n)
    organic = np.flatnonzero(camp.channel == "organic_social")[0]
    content = np.flatnonzero(np.isin(camp.channel, ("webinar", "content")))
    at = np.searchsorted(camp.start[content], posted, side="right") - 1
    roll = rng.random(n)
    campaign = np.where(
        roll < 0.45,
        camp.id[organic],
        np.where((roll < 0.65) & (at >= 0), camp.id[content][np.maximum(at, 0)], None),
    )
    days = np.minimum(14, clock.days - np.floor(posted)).astype(int)
    of = np.repeat(np.arange(n), days)
    d = np.arange(len(of)) - np.repeat(np.cumsum(days) - days, days)
    base = lognormal_days(rng, 900, 0.8, n)
    impressions = rng.poisson(base[of] * 0.6**d)
    metric_date = np.floor(posted[of]) + d
    frame = make_frame(
        "social_post_metrics",
        len(of),
        post_id=ids("post_", 1, n, 5)[of],
        network=network[of],
        campaign_id=campaign[of],
        posted_at=posted[of],
        metric_date=metric_date,
        impressions=impressions.astype(float),
        likes=rng.binomial(impressions, 0.02).astype(float),
        shares=rng.binomial(impressions, 0.004).astype(float),
        comments=rng.binomial(impressions, 0.003).astype(float),
        _loaded_at=np.maximum(
            np.minimum(metric_date + 1 + rng.uniform(2, 8, len(of)) * HOURS, clock.end - SECONDS), posted[of]
        ),
    )
    world.tables["social_post_metrics"] = frame


def ad_spend(world: World, camp: Campaigns, lead: Leads) -> None:
    rng = world.rng("ad_spend")
    clock = world.clock
    weights = clock.day_weights() / clock.day_weights().mean()
    paid = np.flatnonzero(np.isin(camp.channel, C.PAID_CHANNELS))
    rows = {k: [] for k in ("campaign", "day", "spend")}
    for c in paid:
        first = int(max(camp.start[c], 0))
        last = int(min(np.nan_to_num(camp.end[c], nan=clock.days - 1), clock.days - 1))
        days = np.arange(first, last + 1)
        rows["campaign"].append(np.full(len(days), c))
        rows["day"].append(days.astype(float))
        rows["spend"].append(camp.daily[c] * weights[days] * rng.uniform(0.85, 1.15, len(days)))
    c, day, spend_usd = (np.concatenate(v) for v in (rows["campaign"], rows["day"], rows["spend"]))
    platform = camp.platform[c]
    cpc = np.array([C.COST_PER_CLICK.get(p, 1.0) for p in platform]) * np.where(camp.channel[c] == "display", 0.3, 1.0)
    clicks = np.round(spend_usd / cpc * rng.uniform(0.9, 1.1, len(c)))
    ctr = np.array([C.CLICK_THROUGH[ch] for ch in camp.channel[c]])
    impressions = np.round(clicks / ctr * rng.uniform(0.8, 1.2, len(c)))
    currency = camp.currency[c]
    local = spend_usd / np.array([V.USD_PER_UNIT.get(x, 1.0) for x in currency])
    n = len(c)
    world.tables["ad_spend"] = make_frame(
        "ad_spend",
        n,
        report_date=day,
        platform=messy(rng, platform, V.PLATFORM_VARIANTS, 0.02),
        campaign_id=camp.id[c],
        impressions=impressions,
        clicks=clicks,
        spend=np.round(local, 2),
        currency_code=currency,
        # the platform reports a day the next morning; today's figures arrive the same evening
        _loaded_at=np.minimum(
            day + 1 + 6 * HOURS + rng.uniform(0, 2, n) * HOURS, clock.end - rng.uniform(1, 60, n) * MINUTES
        ),
        conversions=platform_conversions(world, camp, lead, c, day, platform, impressions),
    )


def platform_conversions(world: World, camp: Campaigns, lead: Leads, c, day, platform, impressions) -> np.ndarray:
    """The conversions each ad_spend row's platform claims (NaN: none reported), from its own random stream.

    A platform sees the leads whose first-touch UTM names its campaign that
    day (what our tracking credits it) and claims more: every one of them times its claim factor (cross-device
    matches, a conversion each platform the person saw claims for itself,
    modelled conversions), plus view-through conversions of people who only
    saw an ad (C.PLATFORM_CLAIMS).  So claims usually exceed tracked leads,
    by a different margin per platform.  Before a platform's conversion tag
    went live (C.CONVERSION_TRACKING_FROM_DAY) its rows carry no claim.
    The draws come from a stream of their own, so every other value stays as it was.
    """
    rng = world.rng("ad_conversions")
    key = np.char.add(np.char.add(camp.utm[c].astype(str), "|"), day.astype(int).astype(str))
    typed = np.array([str(u).strip().lower() if u is not None else "" for u in lead.utm_campaign], dtype=object)
    tracked_keys = np.char.add(np.char.add(typed.astype(str), "|"), np.floor(lead.created).astype(int).astype(str))
    found, counts = np.unique(tracked_keys[typed != ""], return_counts=True)
    per_key = dict(zip(found.tolist(), counts.tolist(), strict=True))
    tracked = np.array([per_key.get(k, 0) for k in key.tolist()], dtype=float)
    factor, view_through = (np.array([C.PLATFORM_CLAIMS.get(p, (1.0, 0.0))[i] for p in platform]) for i in (0, 1))
    claims = rng.poisson(tracked * factor + impressions * view_through).astype(float)
    live_from = np.array([C.CONVERSION_TRACKING_FROM_DAY.get(p, 0) for p in platform])
    return np.where(day >= live_from, claims, np.nan)


def expenses(world: World) -> None:
    rng = world.rng("expenses")
    clock = world.clock
    months = clock.month_starts()
    growth = np.linspace(0.85, 1.2, len(months))
    rows = []
    for category, currency, amount in C.EXPENSES:
        usd = amount * world.scale * growth * rng.uniform(0.9, 1.1, len(months))
        if category == "events":
            usd = usd * np.where(np.arange(len(months)) % 3 == 0, 2.5, 0.4)
        local = np.round(usd / V.USD_PER_UNIT.get(currency, 1.0), 2)
        rows.append(
            (months, np.full(len(months), category, dtype=object), local, np.full(len(months), currency, dtype=object))
        )
    month, category, amount, currency = (np.concatenate(x) for x in zip(*rows, strict=False))
    n = len(month)
    world.tables["marketing_expenses"] = make_frame(
        "marketing_expenses",
        n,
        month=month,
        category=category,
        amount=amount,
        currency_code=currency,
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
    month, currency, rate = (np.concatenate(x) for x in zip(*rows, strict=False))
    n = len(month)
    world.tables["fx_rates"] = make_frame(
        "fx_rates",
        n,
        month=month,
        currency_code=currency,
        usd_per_unit=rate,
        _loaded_at=np.clip(month + 1 + 2 * HOURS, 0.5, clock.end - 2 * HOURS),
    )
