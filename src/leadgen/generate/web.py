"""The website: visitors, their sessions and page events, and the conversions that make leads and users."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import HOURS, MINUTES, SECONDS, Streamed, fixed_width_ids, make_frame, pick
from .marketing import Campaigns
from .records import Leads, Users
from .world import World, expand_paths, lowercase, scaled, weighted


@dataclass
class Visitors:
    """One entry per website visitor."""

    bot: np.ndarray  # bool
    channel: np.ndarray  # index into vocab.CHANNELS of the channel they first came by
    device: np.ndarray
    country: np.ndarray
    user_agent: np.ndarray
    first_session: np.ndarray  # index of their first session kept (-1: none)
    last_session: np.ndarray  # index of their last session kept (-1: none)

    @property
    def n(self) -> int:
        return len(self.bot)


@dataclass
class Sessions:
    """One entry per session, in visitor order; times in days since the clock's start."""

    visitor: np.ndarray  # index into Visitors
    start: np.ndarray
    end: np.ndarray  # the time of its last page event
    channel: np.ndarray  # channel name of the session
    utm_source: np.ndarray
    utm_medium: np.ndarray
    utm_campaign: np.ndarray
    referrer: np.ndarray  # referrer URL of the landing page
    landing: np.ndarray  # landing page path


@dataclass
class PageEvents:
    """The page views and clicks of the sessions (conversions come later), by session then time."""

    session: np.ndarray  # index into Sessions (32-bit where it fits)
    landing: np.ndarray  # bool: the first event of its session, on the landing page
    time: np.ndarray
    path: np.ndarray
    click: np.ndarray  # bool: a click, else a page_view


@dataclass
class Web:
    visitors: Visitors
    sessions: Sessions
    events: PageEvents


@dataclass
class Conversions:
    """Visitors who convert at the end of one of their sessions (web_conversions)."""

    visitor: np.ndarray  # index into Visitors
    session: np.ndarray  # index into Sessions
    time: np.ndarray


# --------------------------------------------------------------------------- web


def web_sessions(world: World, camp: Campaigns) -> Web:
    """Visitors and their sessions and page events (conversions are added once leads exist)."""
    rng = world.rng("web")
    clock = world.clock
    n_visitors = scaled(world, C.VISITORS)
    bot = rng.random(n_visitors) < C.BOT_SHARE
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
    del gaps, running, keep, first_visit, n_sessions, first_of_visitor  # (a session's worth each)
    n_sess = len(visitor)

    s_channel = np.array(V.CHANNELS, dtype=object)[channel[visitor]]
    returning = (order > 0) & (rng.random(n_sess) < 0.45)
    s_channel[returning] = "direct"
    del order, returning
    utm_source = np.full(n_sess, None, dtype=object)
    utm_medium = np.full(n_sess, None, dtype=object)
    utm_campaign = np.full(n_sess, None, dtype=object)

    def tag(where, source, medium, campaign):
        utm_source[where], utm_medium[where], utm_campaign[where] = source, medium, campaign

    search = np.flatnonzero(s_channel == "paid_search")
    always = pick(rng, ("search_brand", "search_generic", "search_competitor"), len(search), (0.35, 0.45, 0.2))
    promo_rows = np.flatnonzero(np.char.startswith(camp.utm.astype(str), "search_promo"))
    promo_at = np.searchsorted(camp.start[promo_rows], start[search], side="right") - 1
    in_promo = (promo_at >= 0) & (start[search] <= camp.end[promo_rows][np.maximum(promo_at, 0)] + 1)
    use_promo = in_promo & (rng.random(len(search)) < 0.3)
    always[use_promo] = camp.utm[promo_rows][promo_at[use_promo]]
    tag(search, "google", "cpc", always)
    social = np.flatnonzero(s_channel == "paid_social")
    social_campaign = pick(
        rng, ("linkedin_abm", "linkedin_lead_gen", "meta_retargeting"), len(social), (0.35, 0.4, 0.25)
    )
    tag(social, np.where(social_campaign == "meta_retargeting", "facebook", "linkedin"), "paid_social", social_campaign)
    display = np.flatnonzero(s_channel == "display")
    tag(display, "google", "display", "display_retargeting")
    # email visits follow the latest send, if it went out in the last ten days
    email = np.flatnonzero(s_channel == "email")
    send_order = np.argsort(camp.email_send_time)
    send_time = camp.email_send_time[send_order]
    latest = np.searchsorted(send_time, start[email], side="right") - 1
    recent = (latest >= 0) & (start[email] - send_time[np.maximum(latest, 0)] < 10)
    email_utm = camp.utm[camp.email_index[send_order]][np.maximum(latest, 0)]
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
        landing[where] = weighted(rng, V.LANDING_PAGES[name], len(where))
        if name in V.REFERRERS:
            referrer[where] = weighted(rng, V.REFERRERS[name], len(where))
    social_paid = np.flatnonzero(s_channel == "paid_social")
    referrer[social_paid] = np.where(
        utm_source[social_paid] == "facebook", "https://www.facebook.com/", "https://www.linkedin.com/"
    )
    landing = expand_paths(rng, landing)
    is_bot_session = bot[visitor]
    bot_pages = np.flatnonzero(is_bot_session)
    landing[bot_pages] = expand_paths(rng, weighted(rng, V.INNER_PAGES, len(bot_pages)))
    referrer[bot_pages] = None

    # events of each session: the landing page, then a few more pages and clicks
    n_events = 1 + rng.poisson(1.2, n_sess)
    n_events[is_bot_session] = 4 + rng.poisson(8, int(is_bot_session.sum()))
    # every per-event array is about 1 GB at scale 100 (120M events): the
    # narrowest type that holds it, and none kept longer than it is needed
    e_session = np.repeat(np.arange(n_sess, dtype=np.int32 if n_sess < 2**31 else np.int64), n_events)
    first_of_session = np.cumsum(n_events) - n_events
    del n_events
    landing_event = np.zeros(len(e_session), bool)  # the first event of its session (every session has one)
    landing_event[first_of_session] = True
    e_gap = rng.exponential(70, len(e_session)) * SECONDS
    e_gap[landing_event] = 0
    running = np.cumsum(e_gap, out=e_gap)  # in place: the gaps are not needed once summed
    # (start + running) - running at the session's start, in that order (the same floats as ever)
    e_time = start[e_session]
    e_time += running
    session_offset = running[first_of_session]
    del e_gap, running
    e_time -= session_offset[e_session]
    del session_offset
    # an inner page, but the landing page of its session first (written in
    # place: the same as np.where(landing_event, landing[e_session], inner))
    path = expand_paths(rng, weighted(rng, V.INNER_PAGES, len(e_session)))
    path[first_of_session] = landing
    is_click = ~landing_event & (rng.random(len(e_session)) < 0.15)
    clicks = np.flatnonzero(is_click)
    path[clicks] = path[clicks - 1]  # a click happens on the page just viewed
    del clicks
    session_end = np.maximum.reduceat(e_time, first_of_session)
    inside = e_time < clock.end - SECONDS
    # one array at a time, each original gone before the next copy
    e_session = e_session[inside]
    landing_event = landing_event[inside]
    e_time = e_time[inside]
    path = path[inside]
    is_click = is_click[inside]
    visitors = Visitors(
        bot=bot,
        channel=channel,
        device=device,
        country=country,
        user_agent=user_agent,
        first_session=first_of_visitor_kept(visitor, n_visitors),
        last_session=last_of_visitor_kept(visitor, n_visitors),
    )
    sessions = Sessions(
        visitor=visitor,
        start=start,
        end=session_end,
        channel=s_channel,
        utm_source=utm_source,
        utm_medium=utm_medium,
        utm_campaign=utm_campaign,
        referrer=referrer,
        landing=landing,
    )
    events = PageEvents(session=e_session, landing=landing_event, time=e_time, path=path, click=is_click)
    return Web(visitors, sessions, events)


# The tracker's event types, then every spelling of them (vocab.WEB_EVENT_VARIANTS).
EVENT_TYPES = np.array(
    ["page_view", "click", *(t for t in V.WEB_EVENT_VARIANTS if t not in ("page_view", "click"))]
    + [v for variants in V.WEB_EVENT_VARIANTS.values() for v in variants],
    dtype=object,
)


def messy_codes(rng, codes: np.ndarray, variants: dict, share: float) -> np.ndarray:
    """world.messy over codes into EVENT_TYPES: the same draws, a byte an event instead of a pointer."""
    codes = codes.copy()
    code = {name: i for i, name in enumerate(EVENT_TYPES)}
    names = EVENT_TYPES.tolist()
    for i in np.flatnonzero(rng.random(len(codes)) < share).tolist():
        options = variants.get(names[codes[i]])
        if options:
            codes[i] = code[options[rng.integers(len(options))]]
    return codes


def page_events_up_to(session: np.ndarray, time: np.ndarray, at_session: np.ndarray, at_time: np.ndarray):
    """How many page events come before each (session, time), ties included.

    The page events are by session, then time; so they are the events of
    the sessions before it, and those of its own session up to that time,
    counted a position in the session at a time (sessions are short).
    """
    first = np.searchsorted(session, at_session, side="left")
    last = np.searchsorted(session, at_session, side="right")
    count = first.copy()
    for k in range(int((last - first).max(initial=0))):
        at = first + k
        inside = at < last
        count += inside & (time[np.minimum(at, len(time) - 1)] <= at_time)
    return count


def first_of_visitor_kept(visitor: np.ndarray, n_visitors: int) -> np.ndarray:
    first = np.full(n_visitors, -1)
    positions = np.arange(len(visitor))
    first[visitor[::-1]] = positions[::-1]
    return first


def last_of_visitor_kept(visitor: np.ndarray, n_visitors: int) -> np.ndarray:
    last = np.full(n_visitors, -1)
    last[visitor] = np.arange(len(visitor))
    return last


def web_conversions(world: World, rng, web: Web, share: float, exclude: np.ndarray | None = None) -> Conversions:
    """Human visitors who convert (a form or a sign-up) at the end of one of their sessions."""
    humans = ~web.visitors.bot
    n = round(share * humans.sum())
    weights = np.array(V.CHANNEL_CONVERSION_WEIGHT)[web.visitors.channel] * humans
    if exclude is not None:
        weights[exclude] = 0
    weights = weights / weights.sum()
    visitors = np.sort(rng.choice(web.visitors.n, size=min(n, int((weights > 0).sum())), replace=False, p=weights))
    session = np.where(
        rng.random(len(visitors)) < 0.6, web.visitors.last_session[visitors], web.visitors.first_session[visitors]
    )
    moment = web.sessions.end[session] + rng.uniform(20, 150, len(visitors)) * SECONDS
    ok = moment < world.clock.end - 2 * HOURS
    return Conversions(visitors[ok], session[ok], moment[ok])


def web_events(world: World, web: Web, leads: Leads, signups: Users) -> Streamed:
    """The tracker's table: page events plus the conversions that created leads and users.

    At scale 100 it has some 120 million rows: the table is streamed
    (_base.Streamed), its text made a chunk of rows at a time (WebEventRows).
    Every random draw is made here, over all events, as it always was.  It
    uses ``web`` up (its fields are None after it): the rest of the story
    needs none of it.  The caller hands the table to ``World.put_streamed``.
    """
    rng = world.rng("web_events")
    n_sess = len(web.sessions.visitor)
    session_numbers = rng.permutation(n_sess) * 7919 + 104729
    n_visitors = web.visitors.n
    anonymous_numbers = rng.permutation(n_visitors) + 1_000_000
    # the session and visitor fields the rows need are kept, the others let
    # go of now (2 GB at scale 100), each page-event array once it is merged
    # into all events (4 GB)
    kept = dict(
        session_visitor=web.sessions.visitor,
        session_referrer=web.sessions.referrer,
        utm_source=web.sessions.utm_source,
        utm_medium=web.sessions.utm_medium,
        utm_campaign=web.sessions.utm_campaign,
        country=web.visitors.country,
        device=web.visitors.device,
        user_agent=web.visitors.user_agent,
    )
    events = web.events
    web.events = web.sessions = web.visitors = None

    lead_conv, user_conv = leads.conversion, signups.conversion
    n_signups = len(user_conv.session)
    conv_session = np.concatenate([lead_conv.session, user_conv.session])
    conv_time = np.concatenate([lead_conv.time, user_conv.time])
    conv_type = np.concatenate([lead_conv.event_type, np.full(n_signups, "signup", dtype=object)])
    conv_path = np.concatenate([lead_conv.path, np.full(n_signups, "/signup", dtype=object)])

    # All events by session, then time (the order in which a page's referrer
    # is the page before it), ties in page-events-then-conversions order.
    # The page events are in that order already: the few conversions are
    # merged in, each array made once in place (no sort and permuted copies
    # of 120M events at scale 100).  web_events consumes the page events: each
    # array is let go of as soon as its merged copy is made (web_events
    # consumes the page events).
    conv_rank = np.lexsort((conv_time, conv_session))
    conv_at = page_events_up_to(events.session, events.time, conv_session[conv_rank], conv_time[conv_rank])
    conv_at += np.arange(len(conv_rank))  # its row among all events
    n_events = len(events.session) + len(conv_rank)
    page_rows = np.ones(n_events, bool)
    page_rows[conv_at] = False

    def merged(page_values, conv_values, dtype=None):
        out = np.empty(n_events, dtype or page_values.dtype)
        out[page_rows] = page_values
        out[conv_at] = conv_values[conv_rank]
        return out

    index = np.int32 if n_events < 2**31 else np.int64
    session = merged(events.session, conv_session, index)
    events.session = None
    moment = merged(events.time, conv_time)
    events.time = None
    first_page = merged(events.landing, np.zeros(len(conv_rank), bool))
    events.landing = None
    path = merged(events.path, conv_path)
    events.path = None
    # event types as a byte each, codes into EVENT_TYPES (page_view 0, click 1)
    type_code = {name: i for i, name in enumerate(EVENT_TYPES)}
    conv_type = np.array([type_code[t] for t in conv_type], np.uint8)
    event_type = merged(events.click.view(np.uint8), conv_type)
    events.click = None
    conversion = np.full(n_events, -1, np.int32)
    conversion[conv_at] = conv_rank
    del events  # (page_rows is 1 byte an event, held by merged() until the end)

    # some browsers block the tracker's session cookie: those visitors' events have no session id
    blocked = rng.random(n_visitors) < 0.02
    lower = rng.random(len(session)) < 0.05
    typed = messy_codes(rng, event_type, V.WEB_EVENT_VARIANTS, 0.02)
    del event_type

    time_order = np.argsort(moment, kind="stable").astype(index)  # kept for the whole write: 32-bit
    occurred = moment[time_order]
    del moment
    rows = WebEventRows(
        **kept,
        session_numbers=session_numbers,
        anonymous_numbers=anonymous_numbers,
        blocked=blocked,
        conv_lead=np.concatenate([lead_conv.lead_id, np.full(n_signups, None, dtype=object)]),
        conv_user=np.concatenate([np.full(len(lead_conv.session), None, dtype=object), user_conv.user_id]),
        session=session,
        first_page=first_page,
        path=path,
        typed=typed,
        conversion=conversion,
        lower=lower,
        time_order=time_order,
        occurred=occurred,
        loaded=world.loaded(world.rng("loaded_at"), occurred, median_minutes=3),
    )
    return Streamed(len(time_order), rows.loaded, rows)


@dataclass
class WebEventRows:
    """Makes the rows of web_events asked for, in the table's order (by time).

    The per-event arrays are in session order (by session, then time), the
    order in which a page's referrer is the page before it; time_order maps
    the table's rows to them.  They hold numbers and shared strings only: the
    text that is new per event (ids, URLs) is made for the rows asked for.
    """

    # per session (the fields of Sessions and Visitors the rows need, not the others)
    session_visitor: np.ndarray
    session_referrer: np.ndarray
    utm_source: np.ndarray
    utm_medium: np.ndarray
    utm_campaign: np.ndarray
    session_numbers: np.ndarray  # the number its session id shows
    # per visitor
    country: np.ndarray
    device: np.ndarray
    user_agent: np.ndarray
    anonymous_numbers: np.ndarray  # the number their anonymous id shows
    blocked: np.ndarray  # bool: the tracker's session cookie is blocked
    # per conversion (leads' and sign-ups')
    conv_lead: np.ndarray  # the lead it created (or None)
    conv_user: np.ndarray  # the product user it created (or None)
    # per event, in session order
    session: np.ndarray
    first_page: np.ndarray  # bool: the landing page of its session
    path: np.ndarray
    typed: np.ndarray  # event type as the tracker spelt it (code into EVENT_TYPES)
    conversion: np.ndarray  # index of the conversion it is (-1: a page event)
    lower: np.ndarray  # bool: its country code is in lower case
    # per row of the table
    time_order: np.ndarray  # its event's index in session order
    occurred: np.ndarray
    loaded: np.ndarray

    def __call__(self, rows: np.ndarray) -> dict:
        at = self.time_order[rows]
        session = self.session[at]
        visitor = self.session_visitor[session]
        session_id = fixed_width_ids("", self.session_numbers[session], 12, hexadecimal=True).astype(object)
        session_id[self.blocked[visitor]] = None
        referrer = self.session_referrer[session]
        previous = at - 1
        same_session = (at > 0) & (self.session[previous] == session)
        referrer[same_session] = self.page_urls(previous[same_session])
        country = self.country[visitor]
        lower = self.lower[at]
        country[lower] = lowercase(country[lower])
        conversion = self.conversion[at]
        converted = conversion >= 0
        lead_id = np.full(len(rows), None, dtype=object)
        user_id = np.full(len(rows), None, dtype=object)
        lead_id[converted] = self.conv_lead[conversion[converted]]
        user_id[converted] = self.conv_user[conversion[converted]]
        return make_frame(
            "web_events",
            len(rows),
            event_id=fixed_width_ids("evt_", rows + 1, 9),
            anonymous_id=fixed_width_ids("anon-", self.anonymous_numbers[visitor], 8, hexadecimal=True),
            session_id=session_id,
            event_type=EVENT_TYPES[self.typed[at]],
            occurred_at=self.occurred[rows],
            page_url=self.page_urls(at),
            page_path=self.path[at],
            referrer_url=referrer,
            user_agent=self.user_agent[visitor],
            device_type=self.device[visitor],
            country_code=country,
            lead_id=lead_id,
            user_id=user_id,
            _loaded_at=self.loaded[rows],
        )

    def page_urls(self, at: np.ndarray) -> np.ndarray:
        """The URLs of events (indexes in session order): a landing page carries its session's UTM tags."""
        urls = V.SITE + self.path[at]
        session = self.session[at]
        tagged = np.flatnonzero(self.first_page[at] & (self.utm_campaign[session] != None))  # noqa: E711
        tagged_session = session[tagged]
        urls[tagged] = [
            f"{url}?utm_source={s}&utm_medium={m}&utm_campaign={c}"
            for url, s, m, c in zip(
                urls[tagged],
                self.utm_source[tagged_session],
                self.utm_medium[tagged_session],
                self.utm_campaign[tagged_session],
                strict=True,
            )
        ]
        return urls
