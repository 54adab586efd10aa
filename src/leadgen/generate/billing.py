"""Billing: subscriptions (self-serve trials and sales-led) and monthly invoices."""

from __future__ import annotations

import numpy as np

from . import calibration as C
from ._base import MINUTES, ids, lognormal_days, make_frame
from .records import Deals, Subscriptions, Users
from .world import Companies, World, currency_of, weighted

# --------------------------------------------------------------------------- billing


def billing(world: World, users: Users, deal: Deals, comp: Companies) -> Subscriptions:
    rng = world.rng("subscriptions")
    end = world.clock.end - MINUTES
    # one trial per workspace, started by its first sign-up
    accounts, first_user = np.unique(users.account_id, return_index=True)
    order_in_time = np.argsort(users.signed_up_at, kind="stable")
    first_by_account = {}
    for u in order_in_time:
        first_by_account.setdefault(users.account_id[u], u)
    first_user = np.array([first_by_account[a] for a in accounts])
    activated = np.zeros(len(accounts), bool)
    position = np.searchsorted(accounts, users.account_id)
    np.logical_or.at(activated, position, users.activated)
    trial_start = users.signed_up_at[first_user] + rng.uniform(1, 5, len(accounts)) * MINUTES
    trial_end = trial_start + C.TRIAL_DAYS
    converts = (rng.random(len(accounts)) < np.where(activated, 0.3, 0.07)) & (trial_end < end)
    paid_start = np.where(converts, trial_end + rng.uniform(0, 0.4, len(accounts)), np.nan)
    plan = weighted(rng, (("starter", 65), ("pro", 30), ("enterprise", 5)), len(accounts))
    seats = 1 + rng.poisson(2, len(accounts))
    currency = currency_of(users.country[first_user])
    mrr = np.round(np.array([C.PLAN_PRICE[p] for p in plan]) * seats / np.where(currency == "USD", 1.0, 1.0), 2)
    sub = {
        "account": accounts.astype(object),
        "trial_start": trial_start,
        "trial_end": trial_end,
        "paid_start": paid_start,
        "plan": plan,
        "mrr": mrr,
        "currency": currency,
        "sales_led": np.zeros(len(accounts), bool),
    }
    # won new-business deals start (or upgrade to) a paid subscription at the close
    won = np.flatnonzero(deal.won & (deal.type == "new_business"))
    index = {a: i for i, a in enumerate(sub["account"])}
    extra = {k: [] for k in sub}
    for d in won:
        account = comp.account_id[deal.company[d]]
        closed = deal.closed[d]
        plan_d = "enterprise" if deal.amount[d] >= 40_000 else "pro"
        mrr_d = round(deal.local_amount[d] / 12, 2)
        i = index.get(account)
        if i is not None:
            if np.isnan(sub["paid_start"][i]) or sub["paid_start"][i] > closed:
                if sub["trial_start"][i] < closed:
                    sub["paid_start"][i], sub["plan"][i], sub["mrr"][i] = closed, plan_d, mrr_d
                    sub["currency"][i], sub["sales_led"][i] = deal.currency[d], True
            continue
        index[account] = -1
        for k, v in (
            ("account", account),
            ("trial_start", np.nan),
            ("trial_end", np.nan),
            ("paid_start", closed),
            ("plan", plan_d),
            ("mrr", mrr_d),
            ("currency", deal.currency[d]),
            ("sales_led", True),
        ):
            extra[k].append(v)
    if extra["account"]:
        sub = {k: np.concatenate([sub[k], np.array(extra[k], dtype=sub[k].dtype)]) for k in sub}
    n = len(sub["account"])
    hazard = np.where(sub["sales_led"], C.CHURN_SALES_LED, C.CHURN_SELF_SERVE)
    canceled = sub["paid_start"] + rng.exponential(C.MONTH / hazard)
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
        "billing_subscriptions",
        n,
        subscription_id=sub["subscription_id"],
        account_id=sub["account"],
        plan=sub["plan"],
        status=status,
        trial_started_at=sub["trial_start"],
        trial_ended_at=trial_end_seen,
        paid_started_at=sub["paid_start"],
        canceled_at=canceled,
        mrr_amount=sub["mrr"],
        currency_code=sub["currency"],
        _loaded_at=world.loaded(world.rng("loaded_at"), updated, 60),
    )
    sub["canceled"] = canceled
    sub = Subscriptions(**sub)
    _invoices(world, rng, sub, canceled, status == "past_due")
    return sub


def _invoices(world: World, rng, sub: Subscriptions, canceled: np.ndarray, past_due: np.ndarray) -> None:
    end = world.clock.end - MINUTES
    paying = np.flatnonzero(~np.isnan(sub.paid_start))
    stop = np.fmin(np.nan_to_num(canceled[paying], nan=end), end)
    months = np.ceil((stop - sub.paid_start[paying]) / C.MONTH).astype(int)
    months = np.maximum(months, 1)
    of = np.repeat(paying, months)
    k = np.arange(len(of)) - np.repeat(np.cumsum(months) - months, months)
    issued = sub.paid_start[of] + k * C.MONTH
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
        "billing_invoices",
        n,
        invoice_id=ids("in_", 1, n, 8),
        subscription_id=sub.subscription_id[of],
        account_id=sub.account[of],
        issued_at=issued,
        paid_at=paid,
        amount=sub.mrr[of],
        currency_code=sub.currency[of],
        status=status,
        _loaded_at=world.loaded(world.rng("loaded_at"), np.fmax(issued, paid), 60),
    )
