"""Deals: opportunities, their stages and closes, expansions and renewals."""

from __future__ import annotations

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import MINUTES, SECONDS, Frame, ids, lognormal_days, make_frame
from .crm import touches
from .records import Deals, Leads
from .world import Companies, World, case_mix, currency_of, messy

# --------------------------------------------------------------------------- deals


def deals(world: World, lead: Leads, comp: Companies, users_frame: Frame) -> Deals:
    rng = world.rng("deals")
    end = world.clock.end - MINUTES
    ae = np.flatnonzero(users_frame["team"] == "ae")
    opp = np.flatnonzero(~np.isnan(lead.opp))
    company = lead.company[opp]
    employees = comp.employees[company]
    p_win = np.where(
        lead.source[opp] == "demo_request",
        C.P_WIN_DEMO,
        np.where(lead.source[opp] == "referral", C.P_WIN_REFERRAL, C.P_WIN_OTHER),
    )
    p_win = p_win * np.where(lead.fit[opp], 1.15, 0.85)
    new = {
        "lead": opp,
        "company": company,
        "type": np.full(len(opp), "new_business", dtype=object),
        "created": lead.opp[opp],
        "amount": _deal_size(rng, employees),
        "cycle": lognormal_days(rng, 38, 0.6, len(opp)) * np.where(employees >= 1000, 1.4, 1.0),
        "p_win": p_win,
        "owner": np.where(lead.ae[opp] >= 0, lead.ae[opp], ae[rng.integers(len(ae), size=len(opp))]),
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
            "lead": np.full(len(rows), -1),
            "company": new["company"][rows],
            "type": np.full(len(rows), deal_type, dtype=object),
            "created": closed + offset,
            "amount": np.round(new["amount"][rows] * size, -2),
            "cycle": lognormal_days(rng, cycle, 0.4, len(rows)),
            "p_win": np.full(len(rows), p),
            "owner": new["owner"][rows],
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
    deal["currency"] = currency_of(comp.country[deal["company"]])
    deal["local_amount"] = np.round(
        deal["amount"] / np.array([V.USD_PER_UNIT.get(c, 1.0) for c in deal["currency"]]), -1
    )
    deal["is_deleted"] = rng.random(n) < 0.005
    deal = Deals(**deal)
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
    open_at = np.searchsorted(C.STAGE_AT, elapsed, side="right") - 1
    deal["last_stage"] = np.where(won, 3, np.where(lost, lost_at, np.clip(open_at, 0, 3)))
    deal["won"], deal["lost"] = won, lost
    deal["closed"] = np.where(is_closed, closed, np.nan)
    return won


def _deal_frames(world: World, rng, deal: Deals, lead: Leads, comp: Companies, users_frame: Frame) -> None:
    n = len(deal.deal_id)
    stage = np.where(
        deal.won,
        "closed_won",
        np.where(deal.lost, "closed_lost", np.array(C.OPEN_STAGES, dtype=object)[deal.last_stage]),
    ).astype(object)
    has_lead = deal.lead >= 0
    user_ids = users_frame["user_id"]
    label = {"new_business": "New Business", "expansion": "Expansion", "renewal": "Renewal"}
    updated = np.fmax(deal.created, np.nan_to_num(deal.closed, nan=-1e9))
    world.tables["crm_deals"] = make_frame(
        "crm_deals",
        n,
        deal_id=deal.deal_id,
        lead_id=np.where(has_lead, lead.lead_id[np.maximum(deal.lead, 0)], None),
        account_id=comp.account_id[deal.company],
        owner_id=user_ids[deal.owner],
        deal_name=np.array(
            [f"{comp.name[c]} - {label[t]}" for c, t in zip(deal.company, deal.type, strict=False)],
            dtype=object,
        ),
        deal_type=deal.type,
        created_at=deal.created,
        stage=messy(rng, stage, V.DEAL_STAGE_VARIANTS, 0.04),
        amount=deal.local_amount,
        currency_code=case_mix(rng, deal.currency, 0.05),
        expected_close_date=np.floor(deal.created + lognormal_days(rng, 40, 0.3, n)),
        closed_at=deal.closed,
        is_deleted=np.where(deal.is_deleted, True, np.where(rng.random(n) < 0.5, None, False)).astype(object),
        _loaded_at=world.loaded(world.rng("loaded_at"), updated, 30),
    )
    # stage history: each stage reached, the amount firming up at the proposal
    rows_deal, rows_stage, rows_time, rows_amount = [], [], [], []
    for k, name in enumerate(C.OPEN_STAGES):
        reached = deal.last_stage >= k
        at = deal.created + C.STAGE_AT[k] * deal.cycle
        if k == 0:
            at = deal.created + SECONDS
        reached &= at < np.fmin(np.nan_to_num(deal.closed, nan=np.inf), world.clock.end - MINUTES)
        where = np.flatnonzero(reached)
        estimate = np.round(deal.local_amount[where] * rng.uniform(0.8, 1.3, len(where)), -2)
        amount = deal.local_amount[where] if k >= 2 else estimate
        if k == 0:
            amount = np.where(rng.random(len(where)) < 0.08, np.nan, amount)
        rows_deal.append(where)
        rows_stage.append(np.full(len(where), name, dtype=object))
        rows_time.append(at[where])
        rows_amount.append(amount)
    closed = np.flatnonzero(~np.isnan(deal.closed))
    rows_deal.append(closed)
    rows_stage.append(stage[closed])
    rows_time.append(deal.closed[closed])
    rows_amount.append(deal.local_amount[closed])
    who = np.concatenate(rows_deal)
    moment = np.concatenate(rows_time)
    order = np.lexsort((moment, who))
    who, moment = who[order], moment[order]
    m = len(who)
    world.tables["crm_deal_stage_history"] = make_frame(
        "crm_deal_stage_history",
        m,
        deal_id=deal.deal_id[who],
        stage=np.concatenate(rows_stage)[order],
        entered_at=moment,
        amount=np.concatenate(rows_amount)[order],
        currency_code=deal.currency[who],
        _loaded_at=world.loaded(world.rng("loaded_at"), moment, 30),
    )


def deal_activities(world: World, deal: Deals, lead: Leads) -> dict:
    rng = world.rng("deal_activities")
    end = world.clock.end
    count = 2 + rng.poisson(3, len(deal.deal_id))
    of = np.repeat(np.arange(len(count)), count)
    stop = np.fmin(np.nan_to_num(deal.closed, nan=end), end)
    when = deal.created[of] + rng.random(len(of)) * (stop[of] - deal.created[of])
    kind, outcome = touches(rng, len(of), (("meeting", 35), ("email", 40), ("call", 25)))
    direction = np.where((kind == "email") & (rng.random(len(of)) < 0.15), "inbound", "outbound").astype(object)
    outcome[direction == "inbound"] = "replied"
    return {
        "lead": deal.lead[of],
        "deal": of,
        "owner": deal.owner[of],
        "type": kind,
        "direction": direction,
        "outcome": outcome,
        "when": when,
    }
