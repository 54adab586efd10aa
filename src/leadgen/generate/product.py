"""The product: sign-ups, referral invites and usage events."""

from __future__ import annotations

import numpy as np

from . import calibration as C
from . import vocab as V
from ._base import HOURS, MINUTES, SECONDS, ids, make_frame, pick
from .records import SignupConversions, Subscriptions, Users
from .web import Web, web_conversions
from .world import Companies, World, messy_email, people

# --------------------------------------------------------------------------- product sign-ups and referrals


def app_users(world: World, web: Web, comp: Companies, lead_visitors: np.ndarray) -> Users:
    rng = world.rng("app_users")
    conversion = web_conversions(world, rng, web, C.SIGNUP_CONVERSION_SHARE, lead_visitors)
    n_web = len(conversion.visitor)
    session = conversion.session
    # who signs up: a person at a CRM company, at a company the CRM does not know, or with a free address
    kind = pick(rng, ("crm", "other", "free"), n_web, (0.42, 0.23, 0.35))
    company = rng.choice(len(comp.name), n_web, p=comp.weight / comp.weight.sum())
    own_domain = np.array(
        [
            f"{w.lower()}{i}.io"
            for w, i in zip(pick(rng, V.COMPANY_WORDS_B, n_web), rng.integers(10, 999, n_web), strict=False)
        ],
        dtype=object,
    )
    domain = np.where(
        kind == "crm",
        comp.domain[company],
        np.where(kind == "other", own_domain, pick(rng, V.FREE_EMAIL_DOMAINS, n_web)),
    )
    users = {
        "signed_up_at": conversion.time + rng.uniform(3, 30, n_web) * SECONDS,
        "domain": domain,
        "company": np.where(kind == "crm", company, -1),
        "country": web.visitors.country[conversion.visitor],
        "utm_source": web.sessions.utm_source[session],
        "utm_medium": web.sessions.utm_medium[session],
        "utm_campaign": web.sessions.utm_campaign[session],
        "referrer": np.full(n_web, -1),
        "invite": np.full(n_web, -1),
        "workspace": np.arange(n_web),  # index of the user whose workspace they joined
    }
    invites = {k: [] for k in ("inviter", "sent", "accepted", "invitee", "email")}
    end = world.clock.end
    generation = np.arange(n_web)
    next_user = n_web
    for rate in C.INVITE_RATES:  # users invite people; some of those invite again
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
        for key, value in (
            ("inviter", inviter),
            ("sent", sent),
            ("accepted", accepted),
            ("invitee", invitee),
            ("email", domain),
        ):
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
        crm_company >= 0,
        comp.account_id[np.maximum(crm_company, 0)],
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
    users["referred_by_user_id"] = np.where(
        users["referrer"] >= 0, users["user_id"][np.maximum(users["referrer"], 0)], None
    )

    loaded_rng = world.rng("loaded_at")
    world.tables["app_users"] = make_frame(
        "app_users",
        n,
        user_id=users["user_id"],
        account_id=users["account_id"],
        email=messy_email(rng, users["email"], 0.06),
        signed_up_at=users["signed_up_at"],
        utm_source=users["utm_source"],
        utm_medium=users["utm_medium"],
        utm_campaign=users["utm_campaign"],
        referred_by_user_id=users["referred_by_user_id"],
        referral_invite_id=users["referral_invite_id"],
        is_deleted=np.where(users["is_deleted"], True, np.where(rng.random(n) < 0.3, None, False)).astype(object),
        _loaded_at=world.loaded(loaded_rng, users["signed_up_at"], 10),
    )
    accepted_at = inv["accepted"]
    world.tables["referral_invites"] = make_frame(
        "referral_invites",
        n_inv,
        invite_id=invite_ids,
        inviter_user_id=users["user_id"][inv["inviter"].astype(int)],
        invitee_email=messy_email(rng, invitee_email, 0.05),
        sent_at=inv["sent"],
        accepted_at=accepted_at,
        invitee_user_id=np.where(
            inv["invitee"] >= 0, users["user_id"][np.maximum(inv["invitee"].astype(int), 0)], None
        ),
        _loaded_at=world.loaded(loaded_rng, np.where(np.isnan(accepted_at), inv["sent"], accepted_at), 15),
    )
    users["conversion"] = SignupConversions(
        session=conversion.session,
        time=conversion.time,
        user_id=users["user_id"][:n_web],
    )
    return Users(**users)


# --------------------------------------------------------------------------- product usage


def product_events(world: World, users: Users, sub: Subscriptions) -> None:
    rng = world.rng("product")
    end = world.clock.end - SECONDS
    n = len(users.user_id)
    act = users.activated
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
        when.append(users.signed_up_at[u] + rng.uniform(0.001, 14, len(u)))
    # paying workspaces keep using the product: a few logins and views a week
    paid_start = dict(zip(sub.account, sub.paid_start, strict=False))
    cancel = dict(zip(sub.account, sub.canceled, strict=False))
    start = np.array([paid_start.get(a, np.nan) for a in users.account_id])
    stop = np.array([cancel.get(a, np.nan) for a in users.account_id])
    stop = np.fmin(np.nan_to_num(stop, nan=end), end)
    start = np.fmax(start, users.signed_up_at + C.TRIAL_DAYS)
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
        "product_events",
        m,
        event_id=ids("pe_", 1, m, 9),
        user_id=users.user_id[who],
        account_id=users.account_id[who],
        event_name=name,
        occurred_at=when,
        _loaded_at=world.loaded(world.rng("loaded_at"), when, 5),
    )
