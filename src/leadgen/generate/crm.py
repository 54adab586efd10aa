"""The CRM: leads and their lifecycle, routing, activities, accounts."""

from __future__ import annotations

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import HOURS, MINUTES, SECONDS, Frame, ids, lognormal_days, make_frame, pick
from .records import Deals, LeadConversions, Leads, Users
from .web import Conversions, Web
from .world import Companies, World, expand_paths, is_icp_fit, lowercase, messy, messy_email, people, scaled, weighted

# --------------------------------------------------------------------------- leads and their lifecycle


def _company_fields(comp: Companies, company: np.ndarray, rng) -> dict:
    known = company >= 0
    c = np.maximum(company, 0)
    n = len(company)
    employees = np.where(known, comp.employees[c], np.nan)
    return {
        "company_name": np.where(known, comp.name[c], None),
        "company_domain": np.where(known, comp.domain[c], None),
        "industry": np.where(known, comp.industry[c], None),
        "employees": employees,
        "country": np.where(known, comp.country[c], pick(rng, V.COUNTRIES, n, V.COUNTRY_P)),
    }


def leads(world: World, rng, conversion: Conversions, web: Web, comp: Companies, users: Users) -> Leads:
    clock = world.clock
    target = scaled(world, C.LEADS)
    weights = comp.weight / comp.weight.sum()

    # leads from the website: a form or a demo request at the end of a visit
    n_web = len(conversion.visitor)
    web_source = weighted(rng, C.WEB_LEAD_SOURCES, n_web)
    web_company = np.where(rng.random(n_web) < 0.88, rng.choice(len(weights), n_web, p=weights), -1)
    first_session = web.visitors.first_session[conversion.visitor]
    part_web = {
        "source": web_source,
        "created": conversion.time + rng.uniform(2, 60, n_web) * SECONDS,
        "company": web_company,
        "utm_source": web.sessions.utm_source[first_session],
        "utm_medium": web.sessions.utm_medium[first_session],
        "utm_campaign": web.sessions.utm_campaign[first_session],
        "referred_by": np.full(n_web, None, dtype=object),
        "user": np.full(n_web, -1),
        "web": np.arange(n_web),
    }

    # product sign-ups with a work address become trial leads in the CRM
    business = ~np.isin(users.domain, V.FREE_EMAIL_DOMAINS)
    trial = np.flatnonzero(business & ((users.company >= 0) | (rng.random(len(business)) < 0.5)))
    trial_created = users.signed_up_at[trial] + rng.uniform(2, 30, len(trial)) * MINUTES
    in_time = trial_created < clock.end - HOURS
    trial, trial_created = trial[in_time], trial_created[in_time]
    part_trial = {
        "source": np.full(len(trial), "trial_signup", dtype=object),
        "created": trial_created,
        "company": users.company[trial],
        "utm_source": users.utm_source[trial],
        "utm_medium": users.utm_medium[trial],
        "utm_campaign": users.utm_campaign[trial],
        "referred_by": np.full(len(trial), None, dtype=object),
        "user": trial,
        "web": np.full(len(trial), -1),
    }

    # everything else: referrals, events, partners, outbound prospecting, list imports
    n_other = max(10, target - n_web - len(trial))
    other_source = weighted(rng, C.OTHER_LEAD_SOURCES, n_other)
    first_signup = users.signed_up_at.min() if len(users.signed_up_at) else 0.0
    created = clock.sample_times(rng, n_other)
    referral = np.flatnonzero(other_source == "referral")
    created[referral] = clock.sample_times(rng, len(referral), lo=first_signup + 1)
    imports = np.flatnonzero(other_source == "list_import")
    batch_days = clock.sample_times(rng, 14)
    created[imports] = (
        batch_days[rng.integers(len(batch_days), size=len(imports))] + rng.uniform(0, 300, len(imports)) * SECONDS
    )
    referred_by = np.full(n_other, None, dtype=object)
    signed = np.sort(users.signed_up_at)
    signed_order = np.argsort(users.signed_up_at)
    for i in referral:
        available = np.searchsorted(signed, created[i])
        if available:
            referred_by[i] = users.user_id[signed_order[rng.integers(available)]]
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
    lead["country"][from_user] = users.country[lead["user"][from_user]]
    domain = np.where(lead["company"] >= 0, lead["company_domain"], pick(rng, V.FREE_EMAIL_DOMAINS, n))
    person = people(rng, n, domain)
    for key in ("first", "last", "email"):
        person[key][from_user] = getattr(users, key)[lead["user"][from_user]]
    lead.update(person)
    # business sign-ups at companies the CRM does not know yet: the company is typed from the domain
    unknown_business = from_user & (lead["company"] < 0)
    lead["company_domain"][unknown_business] = users.domain[lead["user"][unknown_business]]
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
    lead["account_id_all"] = np.where(lead["company"] >= 0, comp.account_id[np.maximum(lead["company"], 0)], None)
    lead["fit"] = is_icp_fit(np.nan_to_num(lead["employees"]), lead["industry"])
    lead["is_deleted"] = (rng.random(n) < 0.01) & ~lead["is_test"]
    # the web conversion that created each web lead, in lead order
    web_rows = np.flatnonzero(lead["web"] >= 0)
    conv = lead["web"][web_rows]
    lead["conversion"] = LeadConversions(
        session=conversion.session[conv],
        time=conversion.time[conv],
        lead_id=lead["lead_id"][web_rows],
        event_type=np.where(lead["source"][web_rows] == "demo_request", "demo_request", "form_submit").astype(object),
        path=expand_paths(rng, pick_path(lead["source"][web_rows])),
    )
    return Leads(**lead)


def pick_path(sources: np.ndarray) -> np.ndarray:
    return np.select(
        [sources == "demo_request", sources == "web_form", sources == "content_download"],
        ["/demo", "/contact", "RESOURCE"],
        "WEBINAR",
    ).astype(object)


def funnel(world: World, lead: Leads) -> None:
    """When each lead became MQL, SQL and opportunity (NaN: not yet), or was disqualified or parked."""
    rng = world.rng("funnel")
    end = world.clock.end - MINUTES
    n = len(lead.lead_id)
    source = lead.source
    fit_factor = np.where(lead.fit, 1.35, 0.7)
    free = np.array([e is not None and e.endswith(V.FREE_EMAIL_DOMAINS) for e in lead.email])
    p_mql = np.array([C.P_MQL[s] for s in source]) * fit_factor * np.where(free, 0.5, 1.0)
    p_mql[lead.is_test] = 0
    mql = np.where(
        rng.random(n) < np.clip(p_mql, 0, 0.95),
        lead.created
        + np.where(source == "demo_request", lognormal_days(rng, 0.05, 0.8, n), lognormal_days(rng, 2.5, 1.0, n)),
        np.nan,
    )
    p_sql = np.where(source == "demo_request", C.P_SQL_DEMO, C.P_SQL_OTHER) * np.where(lead.fit, 1.2, 0.7)
    sql = np.where(rng.random(n) < np.clip(p_sql, 0, 0.9), mql + lognormal_days(rng, 5, 0.8, n), np.nan)
    # sales-sourced leads often skip marketing qualification and go straight to SQL
    direct = np.isin(source, ("outbound",)) & np.isnan(mql) & (rng.random(n) < 0.1) & ~lead.is_test
    sql[direct] = lead.created[direct] + lognormal_days(rng, 6, 0.8, int(direct.sum()))
    # a deal needs a company the CRM knows
    p_opp = np.where(lead.company < 0, 0.0, C.P_OPPORTUNITY)
    opp = np.where(rng.random(n) < p_opp, sql + lognormal_days(rng, 4, 0.7, n), np.nan)
    for moment in (mql, sql, opp):
        moment[moment >= end] = np.nan
    sql[np.isnan(mql) & ~direct] = np.nan
    opp[np.isnan(sql)] = np.nan

    # leads that stop: disqualified or parked in nurture, after their last step
    last = np.fmax(np.fmax(lead.created, np.nan_to_num(mql, nan=-1e9)), np.nan_to_num(sql, nan=-1e9))
    stop = np.where(~np.isnan(sql), 0.6, np.where(~np.isnan(mql), 0.75, 0.5))
    stopped = np.isnan(opp) & (rng.random(n) < stop) & ~lead.is_test
    to_nurture = rng.random(n) < 0.35
    when = last + lognormal_days(rng, 12, 0.8, n)
    stopped &= when < end
    lead.mql, lead.sql, lead.opp = mql, sql, opp
    lead.nurture = np.where(stopped & to_nurture, when, np.nan)
    lead.disqualified = np.where(stopped & ~to_nurture, when, np.nan)


def stage_log(world: World, lead: Leads) -> None:
    rng = world.rng("stage_log")
    rows_lead, rows_stage, rows_time = [], [], []
    for stage in ("lead", "mql", "sql", "nurture", "disqualified"):
        moment = lead.created if stage == "lead" else getattr(lead, stage)
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
        "crm_lead_stage_changes",
        n,
        change_id=ids("chg_", 1, n, 8),
        lead_id=lead.lead_id[who],
        stage=messy(rng, stage, V.LEAD_STAGE_VARIANTS, 0.06),
        changed_at=moment,
        _loaded_at=world.loaded(world.rng("loaded_at"), moment, 30),
    )
    updated = np.fmax.reduce([lead.created, lead.mql, lead.sql, lead.nurture, lead.disqualified])
    lead.updated = np.minimum(updated + 2 * SECONDS, world.clock.end - 2 * SECONDS)


def routing(world: World, lead: Leads, users_frame: Frame) -> None:
    """Assignments of leads to SDRs when created, to AEs when they become SQL."""
    rng = world.rng("routing")
    teams = users_frame["team"]
    sdr = np.flatnonzero(teams == "sdr")
    active_sdr = sdr[users_frame["is_active"][sdr].astype(bool)]
    ae = np.flatnonzero(teams == "ae")
    n = len(lead.lead_id)
    half = world.clock.end / 2
    inbound = np.isin(lead.source, C.INBOUND)
    owner = np.where(
        lead.created < half, sdr[rng.integers(len(sdr), size=n)], active_sdr[rng.integers(len(active_sdr), size=n)]
    )
    rule = np.where(
        inbound, weighted(rng, (("territory", 40), ("segment", 20), ("round_robin", 40)), n), "manual"
    ).astype(object)
    at = lead.created + np.where(inbound, lognormal_days(rng, 3, 1.0, n) * MINUTES, rng.uniform(0, 2, n) * MINUTES)
    rows = [(np.arange(n), owner, at, rule)]
    moved = np.flatnonzero(rng.random(n) < 0.08)
    moved_at = at[moved] + lognormal_days(rng, 1, 0.7, len(moved))
    moved_to = active_sdr[rng.integers(len(active_sdr), size=len(moved))]
    rows.append((moved, moved_to, moved_at, np.full(len(moved), "manual", dtype=object)))
    # after a reassignment the new SDR works the lead
    lead.moved_to = np.full(n, -1)
    lead.moved_to[moved] = moved_to
    lead.moved_at = np.full(n, np.nan)
    lead.moved_at[moved] = moved_at
    to_ae = np.flatnonzero(~np.isnan(lead.sql))
    ae_owner = ae[rng.integers(len(ae), size=len(to_ae))]
    rows.append(
        (
            to_ae,
            ae_owner,
            lead.sql[to_ae] + rng.uniform(5, 60, len(to_ae)) * MINUTES,
            np.full(len(to_ae), "segment", dtype=object),
        )
    )
    who, owner_all, when, rule_all = (np.concatenate(c) for c in zip(*rows, strict=False))
    keep = when < world.clock.end - SECONDS
    who, owner_all, when, rule_all = who[keep], owner_all[keep], when[keep], rule_all[keep]
    order = np.argsort(when, kind="stable")
    who, owner_all, when, rule_all = who[order], owner_all[order], when[order], rule_all[order]
    m = len(who)
    user_ids = users_frame["user_id"]
    world.tables["crm_lead_assignments"] = make_frame(
        "crm_lead_assignments",
        m,
        assignment_id=ids("asg_", 1, m, 8),
        lead_id=lead.lead_id[who],
        owner_id=user_ids[owner_all],
        assigned_at=when,
        rule=rule_all,
        _loaded_at=world.loaded(world.rng("loaded_at"), when, 15),
    )
    # the current owner is the one of the latest assignment
    newest_first_who, newest_first_owner = who[::-1], owner_all[::-1]
    _, latest = np.unique(newest_first_who, return_index=True)
    current = np.full(n, -1)
    current[newest_first_who[latest]] = newest_first_owner[latest]
    lead.owner = current
    lead.sdr = owner
    ae_of = np.full(n, -1)
    ae_of[to_ae] = ae_owner
    lead.ae = ae_of
    last_assigned = np.full(n, -np.inf)
    np.maximum.at(last_assigned, who, when)
    lead.updated = np.fmax(lead.updated, last_assigned + SECONDS)
    lead.updated = np.minimum(lead.updated, world.clock.end - SECONDS)


def touches(rng, n, types_p=(("call", 40), ("email", 45), ("linkedin", 15))):
    kind = weighted(rng, types_p, n)
    outcome = np.empty(n, dtype=object)
    for name, options in C.ACTIVITY_OUTCOMES.items():
        where = np.flatnonzero(kind == name)
        outcome[where] = weighted(rng, options, len(where))
    meeting = np.flatnonzero(kind == "meeting")
    outcome[meeting] = weighted(rng, (("attended", 85), ("no_show", 15)), len(meeting))
    return kind, outcome


def lead_activities(world: World, lead: Leads, users_frame: Frame) -> dict:
    rng = world.rng("activities")
    n = len(lead.lead_id)
    source = lead.source
    inbound = np.isin(source, C.INBOUND)
    contacted = np.where(inbound, rng.random(n) < 0.9, True) & ~lead.is_test
    delay = np.where(
        source == "demo_request",
        lognormal_days(rng, 0.6, 1.0, n) * HOURS,
        np.where(inbound, lognormal_days(rng, 3, 1.3, n) * HOURS, rng.uniform(1, 20, n) * MINUTES),
    )
    first = lead.created + delay
    who = np.flatnonzero(contacted)
    count = 1 + rng.poisson(2.2, len(who))
    lead_of = np.repeat(who, count)
    step = np.arange(len(lead_of)) - np.repeat(np.cumsum(count) - count, count)
    gap = lognormal_days(rng, 2, 0.6, len(lead_of))
    gap[step == 0] = 0
    running = np.cumsum(gap)
    start_of = np.repeat(np.cumsum(count) - count, count)
    when = first[lead_of] + running - running[start_of]
    kind, outcome = touches(rng, len(lead_of))
    engaged_more = ~np.isnan(lead.mql[lead_of]) & (kind == "call") & (rng.random(len(lead_of)) < 0.15)
    outcome[engaged_more] = "connected"
    direction = np.full(len(lead_of), "outbound", dtype=object)
    owner = lead.sdr[lead_of]
    taken_over = (lead.moved_to[lead_of] >= 0) & (when >= np.nan_to_num(lead.moved_at[lead_of], nan=np.inf))
    owner[taken_over] = lead.moved_to[lead_of][taken_over]

    replies = who[rng.random(len(who)) < 0.12]
    reply_at = first[replies] + lognormal_days(rng, 1, 0.8, len(replies))
    # meetings: booked around the SQL decision, sometimes for MQLs that never get there
    sql_leads = np.flatnonzero(~np.isnan(lead.sql))
    mql_only = np.flatnonzero(~np.isnan(lead.mql) & np.isnan(lead.sql) & (rng.random(n) < 0.2))
    meet = np.concatenate([sql_leads, mql_only])
    meet_at = np.concatenate(
        [
            lead.sql[sql_leads] + rng.uniform(0.5, 4, len(sql_leads)),
            lead.mql[mql_only] + rng.uniform(1, 6, len(mql_only)),
        ]
    )
    meet_outcome = np.where(
        rng.random(len(meet)) < np.where(np.arange(len(meet)) < len(sql_leads), 0.85, 0.7), "attended", "no_show"
    ).astype(object)
    meet_owner = np.where(lead.ae[meet] >= 0, lead.ae[meet], lead.sdr[meet])
    return {
        "lead": np.concatenate([lead_of, replies, meet]),
        "deal": np.full(len(lead_of) + len(replies) + len(meet), -1),
        "owner": np.concatenate([owner, lead.sdr[replies], meet_owner]),
        "type": np.concatenate(
            [kind, np.full(len(replies), "email", dtype=object), np.full(len(meet), "meeting", dtype=object)]
        ),
        "direction": np.concatenate(
            [direction, np.full(len(replies), "inbound", dtype=object), np.full(len(meet), "outbound", dtype=object)]
        ),
        "outcome": np.concatenate([outcome, np.full(len(replies), "replied", dtype=object), meet_outcome]),
        "when": np.concatenate([when, reply_at, meet_at]),
    }


def activities_frame(world: World, parts: list[dict], lead: Leads, deal: Deals, users_frame: Frame) -> None:
    rng = world.rng("activity_rows")
    act = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    keep = act["when"] < world.clock.end - SECONDS
    act = {k: v[keep] for k, v in act.items()}
    order = np.argsort(act["when"], kind="stable")
    act = {k: v[order] for k, v in act.items()}
    n = len(act["when"])
    world.tables["crm_activities"] = make_frame(
        "crm_activities",
        n,
        activity_id=ids("act_", 1, n, 8),
        lead_id=np.where(act["lead"] >= 0, lead.lead_id[np.maximum(act["lead"], 0)], None),
        deal_id=np.where(
            act["deal"] >= 0, deal.deal_id[np.maximum(act["deal"], 0)] if len(deal.deal_id) else None, None
        ),
        owner_id=users_frame["user_id"][act["owner"]],
        activity_type=act["type"],
        direction=act["direction"],
        occurred_at=act["when"],
        outcome=messy(rng, act["outcome"], V.OUTCOME_VARIANTS, 0.03),
        _loaded_at=world.loaded(world.rng("loaded_at"), act["when"], 45),
    )


def leads_frame(world: World, lead: Leads, users_frame: Frame) -> None:
    rng = world.rng("lead_rows")
    n = len(lead.lead_id)
    country = lead.country.copy()
    lower = rng.random(n) < 0.08
    country[lower] = lowercase(country[lower])
    industry = lead.industry.copy()
    titled = np.flatnonzero((industry != None) & (rng.random(n) < 0.1))  # noqa: E711
    industry[titled] = [i.replace("_", " ").title() for i in industry[titled]]
    employees = np.where(rng.random(n) < 0.05, np.nan, lead.employees)
    matched = (lead.company >= 0) & ((rng.random(n) < 0.7) | ~np.isnan(lead.opp) | (lead.user >= 0))
    user_ids = users_frame["user_id"]
    world.tables["crm_leads"] = make_frame(
        "crm_leads",
        n,
        lead_id=lead.lead_id,
        created_at=lead.created,
        updated_at=lead.updated,
        email=messy_email(rng, lead.email, 0.06),
        first_name=lead.first,
        last_name=lead.last,
        job_title=pick(rng, V.JOB_TITLES, n),
        company_name=lead.company_name,
        company_domain=lead.company_domain,
        account_id=np.where(matched, lead.account_id_all, None),
        country_code=country,
        industry=industry,
        employee_count=employees,
        lead_source=messy(rng, lead.source, V.LEAD_SOURCE_VARIANTS, 0.05),
        utm_source=lead.utm_source,
        utm_medium=lead.utm_medium,
        utm_campaign=lead.utm_campaign,
        referred_by_user_id=lead.referred_by,
        owner_id=np.where(lead.owner >= 0, user_ids[np.maximum(lead.owner, 0)], None),
        is_deleted=np.where(lead.is_deleted, True, np.where(rng.random(n) < 0.4, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), lead.updated, 20),
    )


def accounts_frame(world: World, comp: Companies, lead: Leads, users: Users, deal: Deals) -> None:
    rng = world.rng("account_rows")
    n = len(comp.name)
    first_seen = np.full(n, np.inf)
    known = lead.company >= 0
    np.minimum.at(first_seen, lead.company[known], lead.created[known])
    crm_users = users.company >= 0
    np.minimum.at(first_seen, users.company[crm_users], users.signed_up_at[crm_users])
    # most accounts exist before anyone from them shows up; the others are created on first contact
    created = np.where(rng.random(n) < 0.55, rng.uniform(-700, -1, n), first_seen - rng.uniform(0.01, 2, n))
    unseen = ~np.isfinite(created)
    created[unseen] = rng.uniform(-700, world.clock.end - 1, int(unseen.sum()))
    created = np.minimum(created, np.where(np.isfinite(first_seen), first_seen - 0.001, np.inf))
    country = comp.country.copy()
    lower = rng.random(n) < 0.05
    country[lower] = lowercase(country[lower])
    with_deals = np.zeros(n, bool)
    with_deals[deal.company] = True
    deleted = (rng.random(n) < 0.005) & ~with_deals
    world.tables["crm_accounts"] = make_frame(
        "crm_accounts",
        n,
        account_id=comp.account_id,
        name=comp.name,
        domain=comp.domain,
        industry=comp.industry,
        employee_count=np.where(rng.random(n) < 0.05, np.nan, comp.employees),
        country_code=country,
        created_at=created,
        is_deleted=np.where(deleted, True, np.where(rng.random(n) < 0.4, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), np.maximum(created, 0), 60),
    )
